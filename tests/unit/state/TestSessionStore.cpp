// The same contract tests run against every SessionStore implementation.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <set>

#include "StateTestSupport.hpp"
#include "server/state/JournaledSessionStore.hpp"
#include "server/state/MemorySessionStore.hpp"
#include "server/state/SqliteSessionStore.hpp"

using namespace sb::state;

namespace {

struct MemoryFactory {
    std::unique_ptr<SessionStore> make() { return std::make_unique<MemorySessionStore>(); }
};

struct SqliteFactory {
    std::unique_ptr<SessionStore> make() {
        return std::make_unique<SqliteSessionStore>(":memory:");
    }
};

// The default store: memory + journal + SQLite in the background. Declared before the store in
// each test, so the directory outlives it.
struct JournaledFactory {
    test::TempDir dir;
    std::unique_ptr<SessionStore> make() {
        return std::make_unique<JournaledSessionStore>(dir.db());
    }
};

Session session(const std::string& id, const std::string& account = "acc",
                EpochSeconds expires = 1000) {
    return test::sampleSession(id, account, expires);
}
Participant participant(const std::string& id, const std::string& account = "acc") {
    return test::sampleParticipant(id, account);
}
Subscriptions subs() {
    return test::sampleSubscriptions();
}

}  // namespace

TEMPLATE_TEST_CASE("SessionStore contract", "[server][state][SessionStore]", MemoryFactory,
                   SqliteFactory, JournaledFactory) {
    TestType factory;
    auto store = factory.make();

    SECTION("sessions are stored per account and read back whole") {
        store->createSession(session("s1"));
        REQUIRE(store->session("acc", "s1") == session("s1"));
        CHECK_FALSE(store->session("other", "s1"));
        CHECK_FALSE(store->session("acc", "nope"));
        CHECK(store->counts().sessions == 1);
    }

    SECTION("participants are stored per account and read back whole") {
        store->createParticipant(participant("p1"));
        REQUIRE(store->participant("acc", "p1") == participant("p1"));
        CHECK_FALSE(store->participant("other", "p1"));
        CHECK(store->counts().participants == 1);
        CHECK_FALSE(store->deleteParticipant("other", "p1"));
        CHECK(store->deleteParticipant("acc", "p1"));
        CHECK_FALSE(store->deleteParticipant("acc", "p1"));
        CHECK_FALSE(store->participant("acc", "p1"));
    }

    SECTION("membership carries subscriptions and lists members in id order") {
        store->createSession(session("s1"));
        for (auto id : {"p3", "p1", "p2"}) store->createParticipant(participant(id));
        store->setMembership("acc", "p3", std::string("s1"), subs());
        store->setMembership("acc", "p1", std::string("s1"), std::nullopt);
        auto members = store->sessionParticipants("acc", "s1");
        REQUIRE(members.size() == 2);
        CHECK(members[0].id == "p1");
        CHECK(members[1].id == "p3");
        CHECK(members[1].subscriptions == subs());
        CHECK_FALSE(members[0].subscriptions);
        CHECK(store->sessionParticipantCount("acc", "s1") == 2);
        CHECK(store->sessionParticipants("other", "s1").empty());

        store->setMembership("acc", "p3", std::nullopt, std::nullopt);
        auto p3 = store->participant("acc", "p3");
        CHECK_FALSE(p3->sessionId);
        CHECK_FALSE(p3->subscriptions);
        CHECK(store->sessionParticipantCount("acc", "s1") == 1);
    }

    SECTION("deleting a session detaches its members and returns them") {
        store->createSession(session("s1"));
        store->createParticipant(participant("p1"));
        store->createParticipant(participant("p2"));
        store->setMembership("acc", "p1", std::string("s1"), subs());
        store->setMembership("acc", "p2", std::string("s1"), std::nullopt);
        CHECK(store->deleteSession("other", "s1").empty());
        auto removed = store->deleteSession("acc", "s1");
        CHECK(removed == std::vector<std::string>{"p1", "p2"});
        CHECK_FALSE(store->session("acc", "s1"));
        CHECK_FALSE(store->participant("acc", "p1")->sessionId);
        CHECK_FALSE(store->participant("acc", "p1")->subscriptions);
        CHECK(store->sessionParticipantCount("acc", "s1") == 0);
    }

    SECTION("deleting a participant removes it from its session") {
        store->createSession(session("s1"));
        store->createParticipant(participant("p1"));
        store->setMembership("acc", "p1", std::string("s1"), std::nullopt);
        store->deleteParticipant("acc", "p1");
        CHECK(store->sessionParticipants("acc", "s1").empty());
    }

    SECTION("expired sessions are found across accounts") {
        store->createSession(session("s1", "acc", 100));
        store->createSession(session("s2", "other", 200));
        store->createSession(session("s3", "acc", 300));
        auto expired = store->expiredSessions(200);
        REQUIRE(expired.size() == 2);
        std::set<std::string> ids{expired[0].id, expired[1].id};
        CHECK(ids == std::set<std::string>{"s1", "s2"});
    }

    SECTION("optional fields round-trip as absent") {
        Participant p;
        p.id = "bare";
        p.accountId = "acc";
        store->createParticipant(p);
        auto back = store->participant("acc", "bare");
        REQUIRE(back);
        CHECK(*back == p);
    }
}

TEST_CASE("SqliteSessionStore keeps state in its file across reopen",
          "[server][state][SqliteSessionStore]") {
    auto path = std::filesystem::temp_directory_path() /
                ("sb-store-test-" + std::to_string(::getpid()) + ".db");
    std::filesystem::remove(path);
    {
        SqliteSessionStore store(path.string());
        store.createSession(session("s1"));
        store.createParticipant(participant("p1"));
        store.setMembership("acc", "p1", std::string("s1"), subs());
    }
    {
        SqliteSessionStore store(path.string());
        CHECK(store.session("acc", "s1") == session("s1"));
        auto p = store.participant("acc", "p1");
        REQUIRE(p);
        CHECK(p->sessionId == std::optional<std::string>("s1"));
        CHECK(p->subscriptions == subs());
    }
    for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
}
