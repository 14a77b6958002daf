#include "server/media/LegStates.hpp"

namespace sb::media {

// publisher

namespace {
using P = PubState;
using PA = PubAction;

PubStep stay(PubState s) {
    return {s, {}};
}

// An answer or error for an offer no longer in flight (the leg left its room meanwhile): the
// device still gets a reply to its request, and nothing else changes.
PubStep stale(PubState s) {
    return {s, {PA::ReplyError}};
}
}  // namespace

PubStep next(PubState s, PubEvent e) {
    if (e == PubEvent::Leave)
        return s == P::Detached ? stay(s) : PubStep{P::Detached, {PA::Retire, PA::RefreshRoom}};
    switch (s) {
        case P::Detached:
            if (e == PubEvent::Offer) return {P::Attaching, {PA::AttachAndJoin}};
            if (e == PubEvent::Answered || e == PubEvent::Failed) return stale(s);
            return stay(s);
        case P::Unpublished:
            if (e == PubEvent::Offer) return {P::Publishing, {PA::Publish}};
            if (e == PubEvent::Answered || e == PubEvent::Failed) return stale(s);
            return stay(s);
        case P::Connecting:
        case P::Live:
            if (e == PubEvent::Offer)
                return {s == P::Live ? P::ConfiguringLive : P::Configuring, {PA::Configure}};
            if (e == PubEvent::WebrtcUp)
                return s == P::Live ? stay(s) : PubStep{P::Live, {PA::RefreshRoom}};
            if (e == PubEvent::Hangup) return {P::Unpublished, {PA::RefreshRoom}};
            return stale(s);
        case P::Attaching:
        case P::Publishing:
        case P::Configuring:
        case P::ConfiguringLive:
            break;
    }
    // An offer is in flight (isBusy).
    switch (e) {
        case PubEvent::Offer:
            return {s, {PA::RejectBusy}};
        case PubEvent::Answered:
            if (s == P::ConfiguringLive) return {P::Live, {PA::ReplyAnswer, PA::RefreshRoom}};
            return {P::Connecting, {PA::ReplyAnswer}};
        case PubEvent::Failed:
            if (s == P::Attaching) return {P::Detached, {PA::ReplyError, PA::Retire}};
            if (s == P::Publishing) return {P::Unpublished, {PA::ReplyError}};
            return {s == P::ConfiguringLive ? P::Live : P::Connecting, {PA::ReplyError}};
        case PubEvent::WebrtcUp:
            return s == P::Configuring ? PubStep{P::ConfiguringLive, {PA::RefreshRoom}} : stay(s);
        case PubEvent::Hangup:
            // The PeerConnection ended under a renegotiation: its answer brings a new one up.
            if (s == P::Configuring || s == P::ConfiguringLive)
                return {P::Publishing, {PA::RefreshRoom}};
            return stay(s);
        case PubEvent::Leave:
            break;  // handled above
    }
    return stay(s);
}

bool isLive(PubState s) {
    return s == P::Live || s == P::ConfiguringLive;
}
bool hasHandle(PubState s) {
    return s != P::Detached && s != P::Attaching;
}
bool isBusy(PubState s) {
    return s == P::Attaching || s == P::Publishing || s == P::Configuring ||
           s == P::ConfiguringLive;
}

// subscriber

namespace {
using S = SubPhase;
using SA = SubAction;

// Nothing in flight any more: what waited goes next — Janus's own offer first (it describes
// Janus's current state), then a refresh.
SubStep drain(SubState s, std::vector<SubAction> actions = {}) {
    s.phase = S::Idle;
    if (s.janusOfferQueued) {
        s.phase = S::Offered;
        s.janusOfferQueued = false;
        actions.push_back(SA::SendJanusOffer);
    } else if (s.refreshQueued) {
        s.phase = S::Requesting;
        s.refreshQueued = false;
        actions.push_back(SA::Request);
    }
    return {s, std::move(actions)};
}
}  // namespace

SubStep next(SubState s, SubEvent e) {
    switch (e) {
        case SubEvent::Refresh:
            if (s.phase == S::Idle)
                return {{S::Requesting, false, s.janusOfferQueued}, {SA::Request}};
            s.refreshQueued = true;
            return {s, {}};
        case SubEvent::JanusOffer:
            if (s.phase == S::Idle)
                return {{S::Offered, s.refreshQueued, false}, {SA::SendJanusOffer}};
            s.janusOfferQueued = true;
            return {s, {}};
        case SubEvent::DeviceAnswer:
            if (!awaitsAnswer(s)) return {s, {SA::RejectAnswer}};
            s.phase = S::Starting;
            return {s, {SA::Start}};
        case SubEvent::Hangup:
            return {{S::Requesting, false, false}, {SA::Reset, SA::Request}};
        case SubEvent::ReplyOffer:
            if (s.phase != S::Requesting) return {s, {}};
            if (s.janusOfferQueued) {
                s.janusOfferQueued = false;
                s.phase = S::Offered;
                return {s, {SA::DropJanusOffer, SA::SendOffer}};
            }
            s.phase = S::Offered;
            return {s, {SA::SendOffer}};
        case SubEvent::NothingToAsk:
        case SubEvent::ReplyNoOffer:
        case SubEvent::ReplyFailed:
            if (s.phase != S::Requesting) return {s, {}};
            return drain(s);
        case SubEvent::Started:
            if (s.phase != S::Starting) return {s, {}};
            return drain(s);
    }
    return {s, {}};
}

bool awaitsAnswer(const SubState& s) {
    return s.phase == S::Offered;
}

// phone

PhoneStep next(PhoneState s, PhoneEvent e) {
    using Ph = PhoneState;
    using A = PhoneAction;
    if (s == Ph::Ended) return {s, {}};
    if (e == PhoneEvent::End) return {Ph::Ended, {A::EndCall}};
    switch (s) {
        case Ph::Joining:
            if (e == PhoneEvent::Joined)
                return {Ph::Live, {A::RefreshRoom}};  // the room's refresh includes this leg
            return {s, {}};                           // not in its room yet: Joined refreshes
        case Ph::Live:
            if (e == PhoneEvent::Refresh) return {Ph::Forwarding, {A::ApplyForwards}};
            return {s, {}};
        case Ph::Forwarding:
            if (e == PhoneEvent::Refresh) return {Ph::ForwardingStale, {}};
            if (e == PhoneEvent::ForwardsDone) return {Ph::Live, {A::Report}};
            if (e == PhoneEvent::NothingToForward) return {Ph::Live, {}};
            return {s, {}};
        case Ph::ForwardingStale:
            if (e == PhoneEvent::ForwardsDone)
                return {Ph::Forwarding, {A::Report, A::ApplyForwards}};
            if (e == PhoneEvent::NothingToForward) return {Ph::Forwarding, {A::ApplyForwards}};
            return {s, {}};
        case Ph::Ended:
            break;
    }
    return {s, {}};
}

const char* nameOf(PubState s) {
    switch (s) {
        case P::Detached:
            return "detached";
        case P::Attaching:
            return "attaching";
        case P::Unpublished:
            return "unpublished";
        case P::Publishing:
            return "publishing";
        case P::Connecting:
            return "connecting";
        case P::Live:
            return "live";
        case P::Configuring:
            return "configuring";
        case P::ConfiguringLive:
            return "configuring-live";
    }
    return "?";
}

const char* nameOf(SubPhase s) {
    switch (s) {
        case S::Idle:
            return "idle";
        case S::Requesting:
            return "requesting";
        case S::Offered:
            return "offered";
        case S::Starting:
            return "starting";
    }
    return "?";
}

const char* nameOf(PhoneState s) {
    switch (s) {
        case PhoneState::Joining:
            return "joining";
        case PhoneState::Live:
            return "live";
        case PhoneState::Forwarding:
            return "forwarding";
        case PhoneState::ForwardingStale:
            return "forwarding-stale";
        case PhoneState::Ended:
            return "ended";
    }
    return "?";
}

}  // namespace sb::media
