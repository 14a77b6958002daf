// ConferenceService (issue 9, conf): conferences made and completed by their members, Bandwidth's
// events one at a time in order, limits, and the REST side (list, get, members, mute/hold, end).
#include <catch2/catch.hpp>

#include "server/net/HttpError.hpp"
#include "server/voice/Conferences.hpp"
#include "tests/unit/voice/VoiceFakes.hpp"

using namespace sb::voice;
using sb::voice::test::FakeCallbacks;
using sb::voice::test::ManualExecutor;

namespace {

class FakeRooms : public ConferenceRooms {
  public:
    std::string createRoom(const std::string& accountId, const std::string& name) override {
        if (fail) throw std::runtime_error("the account has too many sessions");
        created.push_back(accountId + "/" + name);
        return "s-" + std::to_string(created.size());
    }
    void deleteRoom(const std::string& accountId, const std::string& sessionId) override {
        deleted.push_back(accountId + "/" + sessionId);
    }
    bool fail = false;
    std::vector<std::string> created, deleted;
};

struct Fixture {
    std::shared_ptr<FakeRooms> rooms = std::make_shared<FakeRooms>();
    FakeCallbacks callbacks;
    ManualExecutor executor;
    TimePoint now = TimePoint{} + std::chrono::hours(24 * 365 * 50);
    std::shared_ptr<ConferenceService> service =
        std::make_shared<ConferenceService>(rooms, callbacks, executor, ConferenceLimits{3, 2, 100},
                                            "https://sb.example", [this] { return now; });

    Fixture() { callbacks.route("https://app.example/conf", CallbackResult{200, "", {}}); }

    static Call call(const std::string& id, const std::string& account = "9900000") {
        Call c;
        c.callId = id;
        c.accountId = account;
        c.from = "+15550001111";
        c.to = "+15551230000";
        return c;
    }
    static bxml::Conference verb(const std::string& name, bool events = true) {
        bxml::Conference v;
        v.name = name;
        if (events) v.conferenceEventUrl = "https://app.example/conf";
        v.tag = "t1";
        return v;
    }
    ConferenceService::Joining join(const std::string& callId, const std::string& name = "room",
                                    MemberHooks hooks = {},
                                    const std::string& account = "9900000") {
        auto j = service->join(call(callId, account), verb(name), std::move(hooks));
        if (j.error.empty()) service->joined(j.conferenceId, callId);
        executor.run();
        return j;
    }
};

}  // namespace

TEST_CASE_METHOD(Fixture,
                 "members make the conference, the last one out completes it; events in order",
                 "[voice][Conferences]") {
    auto a = join("c-a");
    REQUIRE(a.error.empty());
    CHECK(isConferenceId(a.conferenceId));
    CHECK(a.sessionId == "s-1");
    auto b = join("c-b");
    CHECK(b.conferenceId == a.conferenceId);  // same name, same account: the same conference
    CHECK(rooms->created == std::vector<std::string>{"9900000/room"});

    service->leave(a.conferenceId, "c-a");
    executor.run();
    CHECK(rooms->deleted.empty());
    service->leave(a.conferenceId, "c-b");
    executor.run();
    CHECK(rooms->deleted == std::vector<std::string>{"9900000/s-1"});
    CHECK(callbacks.eventTypes() ==
          std::vector<std::string>{"conferenceCreated", "conferenceMemberJoin",
                                   "conferenceMemberJoin", "conferenceMemberExit",
                                   "conferenceMemberExit", "conferenceCompleted"});
    const auto* exit = callbacks.last("conferenceMemberExit");
    CHECK(exit->body["callId"] == "c-b");
    CHECK(exit->body["conferenceId"] == a.conferenceId);
    CHECK(exit->body["name"] == "room");
    CHECK(exit->body["tag"] == "t1");
    CHECK(exit->body["from"] == "+15550001111");
    CHECK(exit->body["to"] == "+15551230000");
    CHECK(exit->scope.accountId == "9900000");

    // A later <Conference> with the name makes a new conference (Bandwidth: a completed
    // conference cannot be rejoined).
    auto c = join("c-c");
    CHECK(c.conferenceId != a.conferenceId);
    CHECK(service->get("9900000", a.conferenceId).completedTime.has_value());
    CHECK(service->active() == 1);
}

TEST_CASE_METHOD(Fixture, "events wait for the application's reply to the one before",
                 "[voice][Conferences]") {
    FakeCallbacks slow;  // no routes: the test answers each event by hand
    auto service2 = std::make_shared<ConferenceService>(
        rooms, slow, executor, ConferenceLimits{}, "https://sb.example", [this] { return now; });
    auto j = service2->join(call("c-a"), verb("slow"), {});
    service2->joined(j.conferenceId, "c-a");
    service2->leave(j.conferenceId, "c-a");
    executor.run();
    REQUIRE(slow.sent.size() == 1);  // conferenceCreated only, until it is answered
    CHECK(slow.sent[0].body["eventType"] == "conferenceCreated");
    slow.sent[0].done(CallbackResult{500, "", {}});  // a failed delivery does not stop the rest
    executor.run();
    REQUIRE(slow.sent.size() == 2);
    CHECK(slow.sent[1].body["eventType"] == "conferenceMemberJoin");
    slow.sent[1].done(CallbackResult{200, "", {}});
    executor.run();
    REQUIRE(slow.sent.size() == 3);
    CHECK(slow.sent[2].body["eventType"] == "conferenceMemberExit");
}

TEST_CASE_METHOD(Fixture, "a conference without an event URL sends nothing",
                 "[voice][Conferences]") {
    auto j = service->join(call("c-a"), verb("quiet", false), {});
    REQUIRE(j.error.empty());
    service->joined(j.conferenceId, "c-a");
    service->leave(j.conferenceId, "c-a");
    executor.run();
    CHECK(callbacks.sent.empty());
    CHECK(rooms->deleted.size() == 1);
}

TEST_CASE_METHOD(Fixture, "limits: members per conference, conferences per account, no room",
                 "[voice][Conferences]") {
    join("c-1");
    join("c-2");
    join("c-3");
    auto full = service->join(call("c-4"), verb("room"), {});
    CHECK_THAT(full.error, Catch::Contains("is full") && Catch::Contains("conferenceMaxMembers"));
    CHECK(service->get("9900000", join("c-5", "other").conferenceId).members.size() == 1);
    auto third = service->join(call("c-6"), verb("third"), {});
    CHECK_THAT(third.error, Catch::Contains("2 conferences in progress"));
    // Another account has its own conferences, even of the same name.
    auto elsewhere = join("c-7", "room", {}, "9900001");
    CHECK(elsewhere.error.empty());
    CHECK(elsewhere.conferenceId != service->list("9900000", {})[0].id);

    rooms->fail = true;
    auto noRoom = service->join(call("c-8", "9900002"), verb("x"), {});
    CHECK_THAT(noRoom.error, Catch::Contains("media room could not be created") &&
                                 Catch::Contains("too many sessions"));
    CHECK(service->list("9900002", {}).empty());
}

TEST_CASE_METHOD(Fixture, "a member that left before its audio joined sends no exit event",
                 "[voice][Conferences]") {
    auto a = join("c-a");
    auto b = service->join(call("c-b"), verb("room"), {});
    service->leave(b.conferenceId, "c-b");  // its join failed
    executor.run();
    auto types = callbacks.eventTypes();
    CHECK(std::count(types.begin(), types.end(), "conferenceMemberJoin") == 1);
    CHECK(std::count(types.begin(), types.end(), "conferenceMemberExit") == 0);
    CHECK(service->get("9900000", a.conferenceId).members.size() == 1);
}

TEST_CASE_METHOD(Fixture, "mute and hold over REST reach the member's call; coaching is refused",
                 "[voice][Conferences]") {
    std::vector<std::pair<bool, bool>> applied;
    MemberHooks hooks;
    hooks.audio = [&](bool mute, bool hold) { applied.emplace_back(mute, hold); };
    auto j = join("c-a", "room", hooks);
    MemberUpdate mute;
    mute.mute = true;
    service->updateMember("9900000", j.conferenceId, "c-a", mute);
    MemberUpdate hold;
    hold.hold = true;
    service->updateMember("9900000", j.conferenceId, "c-a", hold);
    CHECK(applied == std::vector<std::pair<bool, bool>>{{true, false}, {true, true}});
    auto m = service->member("9900000", j.conferenceId, "c-a");
    CHECK(m.mute);
    CHECK(m.hold);

    MemberUpdate coach;
    coach.callIdsToCoach = std::vector<std::string>{"c-b"};
    CHECK_THROWS_WITH(service->updateMember("9900000", j.conferenceId, "c-a", coach),
                      Catch::Contains("coaching"));
    CHECK(applied.size() == 2);
    CHECK_THROWS_AS(service->updateMember("9900000", j.conferenceId, "c-zz", mute),
                    sb::net::HttpError);
    CHECK_THROWS_AS(service->member("9900001", j.conferenceId, "c-a"),
                    sb::net::HttpError);  // not that account's
}

TEST_CASE_METHOD(Fixture,
                 "ending a conference over REST ejects every member; the name is free at once",
                 "[voice][Conferences]") {
    std::vector<std::string> ejected;
    MemberHooks ha, hb;
    ha.eject = [&](const std::string& id) { ejected.push_back("a " + id); };
    hb.eject = [&](const std::string& id) { ejected.push_back("b " + id); };
    auto a = join("c-a", "room", ha);
    join("c-b", "room", hb);
    ConferenceUpdate end;
    end.status = "completed";
    service->update("9900000", a.conferenceId, end);
    CHECK(ejected.size() == 2);
    CHECK(ejected[0] == "a " + a.conferenceId);
    CHECK(service->join(call("c-c"), verb("room"), {}).conferenceId != a.conferenceId);
    CHECK_THROWS_WITH(service->update("9900000", a.conferenceId, end),
                      Catch::Contains("has completed"));
    // The members leave as their calls go on; the room goes with the last of them.
    service->leave(a.conferenceId, "c-a");
    service->leave(a.conferenceId, "c-b");
    executor.run();
    CHECK(rooms->deleted == std::vector<std::string>{"9900000/s-1"});
    // Too late for a member whose audio only now joined: it must leave again.
    CHECK_FALSE(service->joined(a.conferenceId, "c-a"));
}

TEST_CASE_METHOD(Fixture, "list: by name and time, oldest first, paged by the last id",
                 "[voice][Conferences]") {
    std::vector<std::string> ids;
    for (int i = 0; i < 2; ++i) {
        ids.push_back(join("c-" + std::to_string(i), "n" + std::to_string(i)).conferenceId);
        service->leave(ids.back(), "c-" + std::to_string(i));
        now += std::chrono::seconds(10);
    }
    ids.push_back(join("c-9", "n0").conferenceId);
    auto all = service->list("9900000", {});
    REQUIRE(all.size() == 3);
    CHECK(all[0].id == ids[0]);
    CHECK(all[2].id == ids[2]);
    ConferenceFilter byName;
    byName.name = "n0";
    CHECK(service->list("9900000", byName).size() == 2);
    ConferenceFilter page;
    page.pageSize = 2;
    auto first = service->list("9900000", page);
    REQUIRE(first.size() == 2);
    page.pageToken = first.back().id;
    auto second = service->list("9900000", page);
    REQUIRE(second.size() == 1);
    CHECK(second[0].id == ids[2]);
    page.pageToken = "conf-nope";
    CHECK_THROWS_WITH(service->list("9900000", page), Catch::Contains("pageToken"));
    CHECK(service->list("9900001", {}).empty());
    CHECK(service->memberUrl("9900000", ids[0], "c-0") ==
          "https://sb.example/api/v2/accounts/9900000/conferences/" + ids[0] + "/members/c-0");
}
