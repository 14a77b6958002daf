// ConferenceRegistry (conf): the conference in progress per (account, name), lookup within the
// account, and completed conferences kept for GET up to keepCompleted, the oldest dropped first.
#include <catch2/catch.hpp>

#include "server/net/HttpError.hpp"
#include "server/voice/ConferenceRegistry.hpp"

using namespace sb::voice;

namespace {

const TimePoint kStart = TimePoint{} + std::chrono::hours(24 * 365 * 50);

std::shared_ptr<ConferenceRecord> record(const std::string& id, const std::string& name,
                                         int createdSecond, const std::string& account = "acc") {
    auto c = std::make_shared<ConferenceRecord>();
    c->info.id = id;
    c->info.accountId = account;
    c->info.name = name;
    c->info.createdTime = kStart + std::chrono::seconds(createdSecond);
    c->info.members.push_back(ConferenceMember{});
    return c;
}

// What a conference's last member leaving does to it (ConferenceMembers::leave).
void complete(ConferenceRegistry& r, ConferenceRecord& c, int second) {
    c.info.members.clear();
    c.info.completedTime = kStart + std::chrono::seconds(second);
    r.release(c);
}

}  // namespace

TEST_CASE("a name is in progress until released; released, only the same conference frees it",
          "[voice][Conferences]") {
    ConferenceRegistry r(100);
    auto a = record("conf-a", "room", 0);
    r.add(a);
    CHECK(r.inProgress("acc", "room") == a);
    CHECK(r.inProgress("other", "room") == nullptr);
    CHECK(r.withMembers("acc") == 1);
    CHECK(r.active() == 1);

    complete(r, *a, 1);
    CHECK(r.inProgress("acc", "room") == nullptr);
    CHECK(r.byId("conf-a") == a);  // kept for GET
    auto b = record("conf-b", "room", 2);
    r.add(b);
    r.release(*a);  // a late release of the old conference leaves the new one in progress
    CHECK(r.inProgress("acc", "room") == b);
    CHECK(r.withMembers("acc") == 1);
}

TEST_CASE("find is within the account; unknown ids are 404", "[voice][Conferences]") {
    ConferenceRegistry r(100);
    r.add(record("conf-a", "room", 0));
    CHECK(r.find("acc", "conf-a")->info.name == "room");
    for (const auto& [account, id] :
         std::vector<std::pair<std::string, std::string>>{{"other", "conf-a"}, {"acc", "conf-b"}}) {
        try {
            r.find(account, id);
            FAIL("no 404");
        } catch (const sb::net::HttpError& e) {
            CHECK(e.code() == sb::net::ErrorCode::NotFound);
            CHECK(e.field() == "conferenceId");
        }
    }
    CHECK(r.byId("conf-b") == nullptr);
}

TEST_CASE("completed conferences past keepCompleted go, the oldest completed first",
          "[voice][Conferences]") {
    ConferenceRegistry r(2);
    std::vector<std::shared_ptr<ConferenceRecord>> done;
    for (int i = 0; i < 3; ++i) {
        done.push_back(record("conf-" + std::to_string(i), "n" + std::to_string(i), i));
        r.add(done.back());
    }
    // Completed in the order 1, 0, 2: conf-1 is the oldest completed.
    complete(r, *done[1], 10);
    complete(r, *done[0], 11);
    complete(r, *done[2], 12);
    r.add(record("conf-x", "x", 20, "elsewhere"));  // another account's: nothing of acc goes
    CHECK(r.list("acc", {}).size() == 3);
    r.add(record("conf-3", "n3", 30));  // the account's new conference prunes
    CHECK(r.byId("conf-1") == nullptr);
    CHECK(r.byId("conf-0") != nullptr);
    CHECK(r.byId("conf-2") != nullptr);
    auto all = r.list("acc", {});
    REQUIRE(all.size() == 3);
    CHECK(all[0].id == "conf-0");
    CHECK(all[2].id == "conf-3");
}
