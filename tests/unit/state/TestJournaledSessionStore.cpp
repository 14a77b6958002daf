// JournaledSessionStore (the default store): what it acknowledged survives a clean stop, the
// process being killed at any point, and it ends up in the SQLite database.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <functional>
#include <random>

#include "StateTestSupport.hpp"
#include "server/state/JournaledSessionStore.hpp"
#include "server/state/MemorySessionStore.hpp"
#include "server/state/SqliteSessionStore.hpp"

using namespace sb::state;
using sb::state::test::TempDir;

namespace {

constexpr int kSessions = 6;
constexpr int kParticipants = 40;

std::string sid(int i) {
    return "s" + std::to_string(i);
}
std::string pid(int i) {
    return "p" + std::to_string(i);
}

// A deterministic mix of every kind of change (participants get fresh ids, as in production).
std::vector<StoreOp> randomOps(unsigned seed, int count) {
    std::mt19937 rng(seed);
    auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
    int nextParticipant = 0;
    std::vector<StoreOp> ops;
    while (static_cast<int>(ops.size()) < count) {
        switch (pick(6)) {
            case 0:
                ops.push_back(StoreOp::createSession(
                    test::sampleSession(sid(pick(kSessions)), "acc", pick(100))));
                break;
            case 1:
                ops.push_back(
                    StoreOp::deleteSession(pick(2) ? "acc" : "other", sid(pick(kSessions))));
                break;
            case 2:
                if (nextParticipant < kParticipants) {
                    auto p = test::sampleParticipant(pid(nextParticipant++));
                    if (pick(2)) p.tag.reset();
                    p.publishPermissions.video = pick(2) == 1;
                    ops.push_back(StoreOp::createParticipant(p));
                }
                break;
            case 3:
                ops.push_back(StoreOp::deleteParticipant(pick(4) ? "acc" : "other",
                                                         pid(pick(kParticipants))));
                break;
            default: {
                std::optional<std::string> session;
                if (pick(4)) session = sid(pick(kSessions));
                std::optional<Subscriptions> subs;
                if (pick(2)) subs = test::sampleSubscriptions();
                ops.push_back(
                    StoreOp::setMembership("acc", pid(pick(kParticipants)), session, subs));
            }
        }
    }
    return ops;
}

// Makes the changes [from, to) of randomOps(seed, ...) through the SessionStore interface;
// `checkpoint` runs every 37 changes.
void randomChanges(SessionStore& store, unsigned seed, int to,
                   const std::function<void()>& checkpoint = {}, int from = 0) {
    auto ops = randomOps(seed, to);
    for (int i = from; i < to; ++i) {
        if (checkpoint && i % 37 == 36) checkpoint();
        const auto& op = ops[static_cast<std::size_t>(i)];
        const auto& p = op.participant;
        switch (op.kind) {
            case StoreOp::Kind::CreateSession:
                store.createSession(op.session);
                break;
            case StoreOp::Kind::DeleteSession:
                store.deleteSession(op.session.accountId, op.session.id);
                break;
            case StoreOp::Kind::CreateParticipant:
                store.createParticipant(p);
                break;
            case StoreOp::Kind::DeleteParticipant:
                store.deleteParticipant(p.accountId, p.id);
                break;
            case StoreOp::Kind::SetMembership:
                store.setMembership(p.accountId, p.id, p.sessionId, p.subscriptions);
                break;
        }
    }
}

// Everything a store answers about the ids randomChanges uses.
void requireSameState(const SessionStore& expected, const SessionStore& actual) {
    for (int i = 0; i < kSessions; ++i) {
        INFO("session " << sid(i));
        CHECK(expected.session("acc", sid(i)) == actual.session("acc", sid(i)));
        auto e = expected.sessionParticipants("acc", sid(i));
        auto a = actual.sessionParticipants("acc", sid(i));
        CHECK(e == a);
        CHECK(expected.sessionParticipantCount("acc", sid(i)) ==
              actual.sessionParticipantCount("acc", sid(i)));
    }
    for (int i = 0; i < kParticipants; ++i) {
        INFO("participant " << pid(i));
        CHECK(expected.participant("acc", pid(i)) == actual.participant("acc", pid(i)));
    }
    CHECK(expected.counts().sessions == actual.counts().sessions);
    CHECK(expected.counts().participants == actual.counts().participants);
    CHECK(expected.expiredSessions(50).size() == actual.expiredSessions(50).size());
}

std::size_t journalFiles(const TempDir& dir) {
    std::size_t n = 0;
    for (const auto& e : std::filesystem::directory_iterator(dir.path()))
        n += e.path().filename().string().find(".oplog.") != std::string::npos;
    return n;
}

// Runs `body` in a child process that is then killed with SIGKILL. `body` leaks its store, so that
// no destructor runs: the kill finds it in the middle of its work.
void inKilledChild(const std::function<void()>& body) {
    pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        try {
            body();
        } catch (const std::exception& e) {
            std::fprintf(stderr, "child failed: %s\n", e.what());
            ::_exit(3);
        }
        ::raise(SIGKILL);
        ::_exit(4);
    }
    int status = 0;
    REQUIRE(::waitpid(child, &status, 0) == child);
    INFO("child status " << status);
    REQUIRE(WIFSIGNALED(status));
    REQUIRE(WTERMSIG(status) == SIGKILL);
}

JournaledSessionStore::Options neverApplying() {
    JournaledSessionStore::Options o;
    o.applier.interval = std::chrono::hours(1);
    o.applier.batchOps = std::size_t{1} << 30;
    o.log.segmentBytes = 2048;  // several segments
    return o;
}

}  // namespace

TEST_CASE(
    "JournaledSessionStore matches the memory model, in memory and in SQLite after a clean stop",
    "[server][state][JournaledSessionStore]") {
    TempDir dir;
    MemorySessionStore expected;
    randomChanges(expected, 7, 600);
    {
        JournaledSessionStore store(dir.db());
        randomChanges(store, 7, 600);
        requireSameState(expected, store);
        CHECK(store.flush());
        requireSameState(expected, SqliteSessionStore(dir.db()));
    }
    CHECK(journalFiles(dir) == 0);  // all applied: the journal is gone
    requireSameState(expected, SqliteSessionStore(dir.db()));
    JournaledSessionStore reopened(dir.db());
    requireSameState(expected, reopened);
}

TEST_CASE("JournaledSessionStore keeps every acknowledged change when the process is killed",
          "[server][state][JournaledSessionStore]") {
    TempDir dir;
    MemorySessionStore expected;
    randomChanges(expected, 11, 800);

    SECTION("nothing applied to the database yet") {
        inKilledChild([&] {
            auto& store = *new JournaledSessionStore(dir.db(), neverApplying());
            randomChanges(store, 11, 800);
        });
        CHECK(journalFiles(dir) > 1);
    }
    SECTION("part of it applied, part only journaled") {
        inKilledChild([&] {
            auto& store = *new JournaledSessionStore(dir.db(), neverApplying());
            randomChanges(store, 11, 800, [&] {
                if (!store.flush()) ::_exit(5);
            });
        });
    }
    SECTION("killed twice: after a restart that replayed the journal") {
        inKilledChild([&] {
            auto& store = *new JournaledSessionStore(dir.db(), neverApplying());
            randomChanges(store, 11, 400);
        });
        inKilledChild([&] {
            auto& store = *new JournaledSessionStore(dir.db(), neverApplying());
            randomChanges(store, 11, 800, {}, 400);
        });
    }
    JournaledSessionStore reopened(dir.db());
    requireSameState(expected, reopened);
    // Recovery put the journal into the database itself.
    requireSameState(expected, SqliteSessionStore(dir.db()));
}

TEST_CASE(
    "A journal left by a killed process is applied before SqliteSessionStore opens the database "
    "alone",
    "[server][state][JournaledSessionStore]") {
    TempDir dir;
    MemorySessionStore expected;
    randomChanges(expected, 5, 300);
    inKilledChild([&] {
        auto& store = *new JournaledSessionStore(dir.db(), neverApplying());
        randomChanges(store, 5, 300);
    });
    REQUIRE(journalFiles(dir) > 0);
    JournaledSessionStore::applyLeftoverJournal(dir.db());
    CHECK(journalFiles(dir) == 0);
    requireSameState(expected, SqliteSessionStore(dir.db()));
    JournaledSessionStore::applyLeftoverJournal(dir.db());  // nothing left: no change
    requireSameState(expected, SqliteSessionStore(dir.db()));
}

TEST_CASE(
    "JournaledSessionStore loads a database written by SqliteSessionStore, old index included",
    "[server][state][JournaledSessionStore]") {
    TempDir dir;
    {
        sqlite3* db = nullptr;
        REQUIRE(sqlite3_open(dir.db().c_str(), &db) == SQLITE_OK);
        // The schema of the first release (every participant in the session_id index).
        REQUIRE(sqlite3_exec(
                    db,
                    "CREATE TABLE participants (id TEXT PRIMARY KEY, account_id TEXT NOT NULL, "
                    "callback_url TEXT, publish_audio INTEGER NOT NULL, publish_video INTEGER NOT "
                    "NULL, "
                    "tag TEXT, device_api_version TEXT NOT NULL, created_at INTEGER NOT NULL, "
                    "session_id TEXT, subscriptions TEXT) WITHOUT ROWID;"
                    "CREATE INDEX participants_session ON participants(session_id);",
                    nullptr, nullptr, nullptr) == SQLITE_OK);
        sqlite3_close(db);
    }
    MemorySessionStore expected;
    randomChanges(expected, 3, 300);
    {
        SqliteSessionStore old(dir.db());
        randomChanges(old, 3, 300);
    }
    JournaledSessionStore store(dir.db());
    requireSameState(expected, store);
}

TEST_CASE("JournaledSessionStore refuses a second instance on the same database",
          "[server][state][JournaledSessionStore]") {
    TempDir dir;
    JournaledSessionStore first(dir.db());
    CHECK_THROWS_WITH(JournaledSessionStore(dir.db()), Catch::Contains("in use"));
}
