// The legs' negotiation states as tables: each row is (state, event) → (state, actions), checked
// against the pure transition functions of LegStates.hpp. A row changed on purpose is a
// behaviour change of the media legs and must be changed here too.
#include <catch2/catch.hpp>

#include "server/media/LegStates.hpp"

using namespace sb::media;

namespace {

struct PubRow {
    PubState from;
    PubEvent event;
    PubState to;
    std::vector<PubAction> actions;
};

struct SubRow {
    SubState from;
    SubEvent event;
    SubState to;
    std::vector<SubAction> actions;
};

struct PhoneRow {
    PhoneState from;
    PhoneEvent event;
    PhoneState to;
    std::vector<PhoneAction> actions;
};

constexpr SubState idle{SubPhase::Idle, false, false};
constexpr SubState requesting{SubPhase::Requesting, false, false};
constexpr SubState offered{SubPhase::Offered, false, false};
constexpr SubState starting{SubPhase::Starting, false, false};

SubState with(SubState s, bool refresh, bool janusOffer) {
    s.refreshQueued = refresh;
    s.janusOfferQueued = janusOffer;
    return s;
}

}  // namespace

TEST_CASE("publisher: an offer runs one at a time and the first one joins the room",
          "[media][legs]") {
    using S = PubState;
    using E = PubEvent;
    using A = PubAction;
    const std::vector<PubRow> rows = {
        {S::Detached, E::Offer, S::Attaching, {A::AttachAndJoin}},
        {S::Attaching, E::Offer, S::Attaching, {A::RejectBusy}},
        {S::Attaching, E::Answered, S::Connecting, {A::ReplyAnswer}},
        {S::Attaching, E::Failed, S::Detached, {A::ReplyError, A::Retire}},
        {S::Connecting, E::WebrtcUp, S::Live, {A::RefreshRoom}},
        {S::Connecting, E::Offer, S::Configuring, {A::Configure}},
        {S::Live, E::Offer, S::ConfiguringLive, {A::Configure}},
        {S::Live, E::WebrtcUp, S::Live, {}},
        {S::Configuring, E::Offer, S::Configuring, {A::RejectBusy}},
        {S::ConfiguringLive, E::Offer, S::ConfiguringLive, {A::RejectBusy}},
        {S::Configuring, E::Answered, S::Connecting, {A::ReplyAnswer}},
        // Live again after a renegotiation: what it publishes may have changed.
        {S::ConfiguringLive, E::Answered, S::Live, {A::ReplyAnswer, A::RefreshRoom}},
        {S::Configuring, E::WebrtcUp, S::ConfiguringLive, {A::RefreshRoom}},
        {S::Configuring, E::Failed, S::Connecting, {A::ReplyError}},
        {S::ConfiguringLive, E::Failed, S::Live, {A::ReplyError}},
        // Janus closed the PeerConnection: the handle stays, the next offer is a "publish".
        {S::Live, E::Hangup, S::Unpublished, {A::RefreshRoom}},
        {S::Connecting, E::Hangup, S::Unpublished, {A::RefreshRoom}},
        {S::ConfiguringLive, E::Hangup, S::Publishing, {A::RefreshRoom}},
        {S::Unpublished, E::Offer, S::Publishing, {A::Publish}},
        {S::Publishing, E::Offer, S::Publishing, {A::RejectBusy}},
        {S::Publishing, E::Answered, S::Connecting, {A::ReplyAnswer}},
        {S::Publishing, E::Failed, S::Unpublished, {A::ReplyError}},
        // Leaving the room from any state with a handle: others unsubscribe, then it is retired.
        {S::Live, E::Leave, S::Detached, {A::Retire, A::RefreshRoom}},
        {S::Attaching, E::Leave, S::Detached, {A::Retire, A::RefreshRoom}},
        {S::ConfiguringLive, E::Leave, S::Detached, {A::Retire, A::RefreshRoom}},
        {S::Detached, E::Leave, S::Detached, {}},
        // An answer for an offer no longer in flight still answers the device's request.
        {S::Detached, E::Answered, S::Detached, {A::ReplyError}},
        {S::Live, E::Failed, S::Live, {A::ReplyError}},
        {S::Detached, E::WebrtcUp, S::Detached, {}},
    };
    for (const auto& row : rows) {
        INFO(nameOf(row.from) << " + event " << static_cast<int>(row.event));
        auto step = next(row.from, row.event);
        CHECK(nameOf(step.state) == std::string(nameOf(row.to)));
        CHECK(step.actions == row.actions);
    }
    CHECK(isLive(S::Live));
    CHECK(isLive(S::ConfiguringLive));
    CHECK_FALSE(isLive(S::Configuring));
    CHECK_FALSE(hasHandle(S::Attaching));
    CHECK(hasHandle(S::Unpublished));
}

TEST_CASE("publisher: isBusy is exactly the states where next() refuses another offer",
          "[media][legs]") {
    using S = PubState;
    for (auto s : {S::Detached, S::Attaching, S::Unpublished, S::Publishing, S::Connecting, S::Live,
                   S::Configuring, S::ConfiguringLive}) {
        INFO(nameOf(s));
        const auto actions = next(s, PubEvent::Offer).actions;
        CHECK(isBusy(s) == (actions == std::vector<PubAction>{PubAction::RejectBusy}));
    }
}

TEST_CASE("subscriber: awaitsAnswer is exactly the states where next() takes the device's answer",
          "[media][legs]") {
    for (auto s : {idle, requesting, offered, starting, with(offered, true, true),
                   with(requesting, true, false)}) {
        INFO(nameOf(s.phase));
        const auto actions = next(s, SubEvent::DeviceAnswer).actions;
        CHECK(awaitsAnswer(s) == (actions == std::vector<SubAction>{SubAction::Start}));
    }
}

TEST_CASE("subscriber: one negotiation at a time; what arrives meanwhile waits its turn",
          "[media][legs]") {
    using E = SubEvent;
    using A = SubAction;
    const std::vector<SubRow> rows = {
        {idle, E::Refresh, requesting, {A::Request}},
        {requesting, E::NothingToAsk, idle, {}},
        {requesting, E::ReplyOffer, offered, {A::SendOffer}},
        {requesting, E::ReplyNoOffer, idle, {}},
        {requesting, E::ReplyFailed, idle, {}},
        {offered, E::DeviceAnswer, starting, {A::Start}},
        {starting, E::Started, idle, {}},
        // A refresh while busy is remembered, once, and runs when the negotiation ends.
        {requesting, E::Refresh, with(requesting, true, false), {}},
        {with(offered, true, false), E::Refresh, with(offered, true, false), {}},
        {with(starting, true, false), E::Started, requesting, {A::Request}},
        {with(requesting, true, false), E::ReplyNoOffer, requesting, {A::Request}},
        // Janus's own offer: sent at once when idle, else after the negotiation in progress…
        {idle, E::JanusOffer, offered, {A::SendJanusOffer}},
        {offered, E::JanusOffer, with(offered, false, true), {}},
        {with(starting, false, true), E::Started, offered, {A::SendJanusOffer}},
        // …and before a queued refresh (it describes Janus's current state)…
        {with(starting, true, true), E::Started, with(offered, true, false), {A::SendJanusOffer}},
        // …unless our own request's offer, newer, replaces it.
        {with(requesting, false, true), E::ReplyOffer, offered, {A::DropJanusOffer, A::SendOffer}},
        {with(requesting, false, true), E::ReplyNoOffer, offered, {A::SendJanusOffer}},
        // Answers only when an offer waits for one.
        {idle, E::DeviceAnswer, idle, {A::RejectAnswer}},
        {starting, E::DeviceAnswer, starting, {A::RejectAnswer}},
        {requesting, E::DeviceAnswer, requesting, {A::RejectAnswer}},
        // A hangup starts over with a new handle, forgetting what waited.
        {with(offered, true, true), E::Hangup, requesting, {A::Reset, A::Request}},
        {idle, E::Hangup, requesting, {A::Reset, A::Request}},
        // Replies that arrive in the wrong phase change nothing.
        {idle, E::ReplyOffer, idle, {}},
        {offered, E::Started, offered, {}},
        {offered, E::ReplyNoOffer, offered, {}},
    };
    for (const auto& row : rows) {
        INFO(nameOf(row.from.phase)
             << " (refresh " << row.from.refreshQueued << ", janus offer "
             << row.from.janusOfferQueued << ") + event " << static_cast<int>(row.event));
        auto step = next(row.from, row.event);
        CHECK(nameOf(step.state.phase) == std::string(nameOf(row.to.phase)));
        CHECK(step.state.refreshQueued == row.to.refreshQueued);
        CHECK(step.state.janusOfferQueued == row.to.janusOfferQueued);
        CHECK(step.actions == row.actions);
    }
}

TEST_CASE("phone: forwards change one batch at a time and it ends once", "[media][legs]") {
    using S = PhoneState;
    using E = PhoneEvent;
    using A = PhoneAction;
    const std::vector<PhoneRow> rows = {
        // Not in its room yet: refreshes wait for Joined, whose room refresh includes the phone.
        {S::Joining, E::Refresh, S::Joining, {}},
        {S::Joining, E::Joined, S::Live, {A::RefreshRoom}},
        {S::Live, E::Refresh, S::Forwarding, {A::ApplyForwards}},
        {S::Forwarding, E::NothingToForward, S::Live, {}},
        {S::Forwarding, E::ForwardsDone, S::Live, {A::Report}},
        {S::Forwarding, E::Refresh, S::ForwardingStale, {}},
        {S::ForwardingStale, E::Refresh, S::ForwardingStale, {}},
        {S::ForwardingStale, E::ForwardsDone, S::Forwarding, {A::Report, A::ApplyForwards}},
        {S::Live, E::ForwardsDone, S::Live, {}},
        {S::Joining, E::End, S::Ended, {A::EndCall}},
        {S::Forwarding, E::End, S::Ended, {A::EndCall}},
        {S::Ended, E::End, S::Ended, {}},
        {S::Ended, E::Refresh, S::Ended, {}},
        {S::Ended, E::ForwardsDone, S::Ended, {}},
    };
    for (const auto& row : rows) {
        INFO(nameOf(row.from) << " + event " << static_cast<int>(row.event));
        auto step = next(row.from, row.event);
        CHECK(nameOf(step.state) == std::string(nameOf(row.to)));
        CHECK(step.actions == row.actions);
    }
}
