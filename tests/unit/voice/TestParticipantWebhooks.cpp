// Participant webhooks (reference §4.5): bodies, order per participant, one request at a time,
// the queue bound, and participants without a callbackUrl.
#include <catch2/catch.hpp>

#include "server/voice/ParticipantWebhooks.hpp"
#include "tests/unit/voice/VoiceFakes.hpp"

using namespace sb::voice;
using sb::session::DeviceEvent;
using sb::session::DeviceRef;
using sb::voice::test::FakeCallbacks;

namespace {
struct Rig {
    std::shared_ptr<FakeCallbacks> client = std::make_shared<FakeCallbacks>();
    std::int64_t now = 1700000000123;
    std::shared_ptr<ParticipantWebhooks> hooks;
    explicit Rig(WebhookLimits limits = {}) {
        hooks = std::make_shared<ParticipantWebhooks>(
            client,
            [](const std::string& account,
               const std::string& participant) -> std::optional<WebhookTarget> {
                if (participant == "silent") return std::nullopt;
                return WebhookTarget{
                    "http://app.example/" + account + "/" + participant,
                    participant == "tagged" ? std::optional<std::string>("t-1") : std::nullopt};
            },
            [this] { return now; }, limits);
    }
    void event(const std::string& participant, const std::string& device, DeviceEvent e) {
        hooks->deviceEvent(DeviceRef{"acc", participant, device}, e);
    }
    // Answers the oldest request still waiting for its reply.
    void answer(int status = 200) {
        for (auto& s : client->sent)
            if (s.done) {
                auto done = std::move(s.done);
                s.done = nullptr;
                done(CallbackResult{status, "", {}});
                return;
            }
        FAIL("no request waits for a reply");
    }
    // Answers every request, those sent after an earlier answer included, until none waits.
    void drain() {
        auto waiting = [this] {
            for (const auto& s : client->sent)
                if (s.done) return true;
            return false;
        };
        while (waiting()) answer();
    }
    std::vector<std::string> events() const {
        std::vector<std::string> out;
        for (const auto& s : client->sent) out.push_back(s.body.value("event", ""));
        return out;
    }
};
}  // namespace

TEST_CASE("a device's connect, leave and disconnect are POSTed with the reference's fields",
          "[voice][webhooks]") {
    Rig rig;
    rig.event("tagged", "d-1", DeviceEvent::Connect);
    REQUIRE(rig.client->sent.size() == 1);
    const auto& first = rig.client->sent[0];
    CHECK(first.url == "http://app.example/acc/tagged");
    CHECK(first.method == "POST");
    CHECK(first.scope.accountId == "acc");
    CHECK(first.body == nlohmann::json{{"event", "onConnect"},
                                       {"timestamp", "1700000000123"},
                                       {"participantId", "tagged"},
                                       {"deviceId", "d-1"},
                                       {"tag", "t-1"}});
    rig.now += 5;
    rig.event("tagged", "d-1", DeviceEvent::Leave);
    rig.event("tagged", "d-1", DeviceEvent::Disconnect);
    // One at a time: the next waits for the application's reply to the one before.
    CHECK(rig.client->sent.size() == 1);
    rig.answer();
    CHECK(rig.events() == std::vector<std::string>{"onConnect", "onLeave"});
    CHECK(rig.client->sent[1].body["timestamp"] == "1700000000128");  // when it happened
    rig.answer(500);  // a failure after the client's retries: the next one still goes
    CHECK(rig.events() == std::vector<std::string>{"onConnect", "onLeave", "onDisconnect"});
    rig.answer();
    CHECK(rig.client->sent[2].body["tag"] == "t-1");
}

TEST_CASE("participants without a callbackUrl send nothing; others are not held up by a slow one",
          "[voice][webhooks]") {
    Rig rig;
    rig.event("silent", "d-0", DeviceEvent::Connect);
    rig.event("silent", "d-0", DeviceEvent::Disconnect);
    CHECK(rig.client->sent.empty());
    rig.event("slow", "d-1", DeviceEvent::Connect);  // never answered
    rig.event("other", "d-2", DeviceEvent::Connect);
    REQUIRE(rig.client->sent.size() == 2);
    CHECK(rig.client->sent[1].url == "http://app.example/acc/other");
    CHECK_FALSE(rig.client->sent[1].body.contains("tag"));
}

TEST_CASE("two devices of one participant share its order", "[voice][webhooks]") {
    Rig rig;
    rig.event("p", "d-1", DeviceEvent::Connect);
    rig.event("p", "d-2", DeviceEvent::Connect);
    rig.event("p", "d-1", DeviceEvent::Disconnect);
    rig.hooks->deviceGone(DeviceRef{"acc", "p", "d-1"});
    for (int i = 0; i < 3; ++i) rig.answer();
    REQUIRE(rig.client->sent.size() == 3);
    CHECK(rig.client->sent[0].body["deviceId"] == "d-1");
    CHECK(rig.client->sent[1].body["deviceId"] == "d-2");
    CHECK(rig.client->sent[2].body["event"] == "onDisconnect");
    CHECK(rig.client->sent[2].body["deviceId"] == "d-1");
    // A device that is gone is forgotten: a late event for it is not sent.
    rig.event("p", "d-1", DeviceEvent::Leave);
    CHECK(rig.client->sent.size() == 3);
}

TEST_CASE("past the queue bound, new events are dropped and counted, never held",
          "[voice][webhooks]") {
    Rig rig(WebhookLimits{2});
    rig.event("p", "d-1", DeviceEvent::Connect);  // under way, unanswered
    for (int i = 0; i < 3; ++i) {
        rig.event("p", "d-" + std::to_string(i + 2), DeviceEvent::Connect);
    }
    CHECK(rig.hooks->dropped() == 1);  // two wait behind the first; the third is dropped
    for (int i = 0; i < 3; ++i) rig.answer();
    CHECK(rig.events().size() == 3);
    CHECK(rig.client->sent[2].body["deviceId"] == "d-3");
}

TEST_CASE("a kept device's resume is onResume, and it is remembered until it is gone",
          "[voice][webhooks]") {
    Rig rig;
    rig.event("p", "d-1", DeviceEvent::Connect);
    rig.event("p", "d-1", DeviceEvent::Disconnect);  // lost, kept for its grace period
    rig.event("p", "d-1", DeviceEvent::Resume);
    rig.event("p", "d-1", DeviceEvent::Disconnect);
    rig.event("p", "d-1", DeviceEvent::Leave);  // the grace period ended
    rig.hooks->deviceGone(DeviceRef{"acc", "p", "d-1"});
    for (int i = 0; i < 5; ++i) rig.answer();
    CHECK(rig.events() == std::vector<std::string>{"onConnect", "onDisconnect", "onResume",
                                                   "onDisconnect", "onLeave"});
}

TEST_CASE("a new device after a lost connection is an onReconnect naming the lost one",
          "[voice][webhooks]") {
    Rig rig;
    rig.event("p", "d-1", DeviceEvent::Connect);
    rig.event("p", "d-1", DeviceEvent::Disconnect);  // lost: no leave before it
    rig.event("p", "d-1", DeviceEvent::Leave);       // its grace period ended
    rig.now += 1000;
    rig.event("p", "d-2", DeviceEvent::Connect);
    rig.drain();
    REQUIRE(rig.events() == std::vector<std::string>{"onConnect", "onDisconnect", "onLeave",
                                                     "onConnect", "onReconnect"});
    const auto& reconnect = rig.client->sent[4].body;
    CHECK(reconnect["deviceId"] == "d-2");
    CHECK(reconnect["previousDeviceId"] == "d-1");
    CHECK(reconnect["timestamp"] == "1700000001123");

    SECTION("only once") {
        rig.event("p", "d-3", DeviceEvent::Connect);
        rig.drain();
        CHECK(rig.events().back() == "onConnect");
    }
    SECTION("a device that left is not lost") {
        rig.event("p", "d-2", DeviceEvent::Leave);
        rig.event("p", "d-2", DeviceEvent::Disconnect);
        rig.event("p", "d-3", DeviceEvent::Connect);
        rig.drain();
        CHECK(rig.events().back() == "onConnect");
    }
    SECTION("a lost device that resumed is not lost") {
        rig.event("p", "d-2", DeviceEvent::Disconnect);
        rig.event("p", "d-2", DeviceEvent::Resume);
        rig.event("p", "d-3", DeviceEvent::Connect);
        rig.drain();
        CHECK(rig.events().back() == "onConnect");
    }
    SECTION("past the window a new device is only a connect") {
        rig.event("p", "d-2", DeviceEvent::Disconnect);
        rig.now += ParticipantWebhooks::kReconnectWindowMs + 1;
        rig.event("p", "d-3", DeviceEvent::Connect);
        rig.drain();
        CHECK(rig.events().back() == "onConnect");
    }
    SECTION("another participant's loss is not this one's reconnect") {
        rig.event("p", "d-2", DeviceEvent::Disconnect);
        rig.event("q", "d-9", DeviceEvent::Connect);
        rig.drain();
        CHECK(rig.events().back() == "onConnect");
    }
}

TEST_CASE(
    "a device restored after a restart is known again: onDisconnect if it was connected, "
    "then onResume or onLeave",
    "[voice][webhooks]") {
    Rig rig;
    SECTION("connected when the process died") {
        rig.hooks->deviceRestored(DeviceRef{"acc", "tagged", "d-1"}, true);
        rig.event("tagged", "d-1", DeviceEvent::Resume);
        rig.drain();
        CHECK(rig.events() == std::vector<std::string>{"onDisconnect", "onResume"});
        CHECK(rig.client->sent[0].body["tag"] == "t-1");
        CHECK(rig.client->sent[0].url == "http://app.example/acc/tagged");
    }
    SECTION("already parked (its onDisconnect was sent by the previous process)") {
        rig.hooks->deviceRestored(DeviceRef{"acc", "p", "d-1"}, false);
        CHECK(rig.client->sent.empty());
        rig.event("p", "d-1", DeviceEvent::Leave);  // its grace period ended
        rig.drain();
        CHECK(rig.events() == std::vector<std::string>{"onLeave"});
    }
    SECTION("a participant without a callbackUrl stays silent") {
        rig.hooks->deviceRestored(DeviceRef{"acc", "silent", "d-1"}, true);
        rig.event("silent", "d-1", DeviceEvent::Leave);
        CHECK(rig.client->sent.empty());
    }
}
