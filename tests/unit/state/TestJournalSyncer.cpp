// Group commit of the store journal (issue 8, durability): a change is acknowledged only after an
// fdatasync that covers it, concurrent writers share syncs, and every acknowledged record is in
// the journal when it is read back.
#include <sys/stat.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

#include "server/state/CommitScope.hpp"
#include "server/state/JournalSyncer.hpp"
#include "server/state/JournaledSessionStore.hpp"
#include "server/state/OpLog.hpp"
#include "tests/unit/state/StateTestSupport.hpp"

using namespace sb::state;
using sb::state::test::sampleParticipant;
using sb::state::test::TempDir;

namespace {

std::string encodedParticipant(const std::string& id) {
    std::string out;
    encodeStoreOp(StoreOp::createParticipant(sampleParticipant(id)), out);
    return out;
}

unsigned modeOf(const std::string& path) {
    struct stat st {};
    REQUIRE(::stat(path.c_str(), &st) == 0);
    return st.st_mode & 0777;
}

}  // namespace

TEST_CASE("group commit: concurrent writers share fdatasyncs and every acknowledged record is kept",
          "[state][journal][durability]") {
    TempDir dir;
    constexpr int kThreads = 16, kPerThread = 100, kRecords = kThreads * kPerThread;
    std::atomic<int> acknowledged{0}, acknowledgedTooEarly{0};
    std::uint64_t syncs = 0;
    {
        OpLog log(dir.db(), {});
        log.start(1);
        JournalSyncer syncer(log);
        std::mutex appendMutex;  // appends are serialised by the caller (the store's write lock)
        std::vector<std::thread> threads;
        for (int t = 0; t < kThreads; ++t)
            threads.emplace_back([&, t] {
                for (int i = 0; i < kPerThread; ++i) {
                    std::uint64_t seq;
                    {
                        std::lock_guard lock(appendMutex);
                        seq = log.append(
                            encodedParticipant("p" + std::to_string(t) + "-" + std::to_string(i)));
                    }
                    // Waiting happens outside the append lock: that is what lets syncs be shared.
                    if (!syncer.waitDurable(seq)) continue;
                    if (syncer.durableSeq() < seq) ++acknowledgedTooEarly;
                    ++acknowledged;
                }
            });
        for (auto& th : threads) th.join();
        syncs = log.syncCount();
        CHECK(modeOf(dir.db() + ".lock") == 0600);
        CHECK(modeOf(dir.db() + ".oplog.00000000000000000001") == 0600);
    }
    CHECK(acknowledged == kRecords);
    CHECK(acknowledgedTooEarly == 0);
    // One sync per record would be 1600; with 16 writers each sync covers several of them.
    INFO("fdatasync calls: " << syncs << " for " << kRecords << " records");
    CHECK(syncs >= 1);
    CHECK(syncs * 4 < static_cast<std::uint64_t>(kRecords));

    OpLog reopened(dir.db(), {});
    auto recovered = reopened.recover(0);
    CHECK(recovered.ops.size() == static_cast<std::size_t>(kRecords));
    CHECK(recovered.lastSeq == static_cast<std::uint64_t>(kRecords));
    CHECK(recovered.ignoredBytes == 0);
}

TEST_CASE("group commit: callbacks run after their record is synced, many records per sync",
          "[state][journal][durability]") {
    TempDir dir;
    OpLog log(dir.db(), {});
    log.start(1);
    JournalSyncer syncer(log);
    constexpr int kRecords = 1000;
    std::atomic<int> called{0}, early{0}, failed{0};
    for (int i = 0; i < kRecords; ++i) {
        std::uint64_t seq = log.append(encodedParticipant("p" + std::to_string(i)));
        syncer.whenDurable(seq, [&, seq](bool durable) {
            if (!durable) ++failed;
            if (syncer.durableSeq() < seq || log.syncCount() == 0) ++early;
            ++called;
        });
    }
    REQUIRE(syncer.waitDurable(log.appendedSeq()));
    // The last callback runs just after durableSeq moves: wait for it briefly.
    for (int i = 0; i < 200 && called < kRecords; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    CHECK(called == kRecords);
    CHECK(early == 0);
    CHECK(failed == 0);
    INFO("fdatasync calls: " << log.syncCount());
    // One sync per record would be 1000. How many share a sync depends on how fast this thread
    // appends while the syncer runs (101 syncs under ASan on a loaded 2-core machine, ~10 idle):
    // the bound only proves that syncs are shared, not how well (bench/ measures that).
    CHECK(log.syncCount() * 2 < static_cast<std::uint64_t>(kRecords));
}

TEST_CASE("journaled store: a write blocks until durable, or defers to an open CommitScope",
          "[state][journal][durability]") {
    TempDir dir;
    JournaledSessionStore store(dir.db());
    constexpr int kThreads = 8, kPerThread = 50;
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t)
        threads.emplace_back([&, t] {
            for (int i = 0; i < kPerThread; ++i)
                store.createParticipant(
                    sampleParticipant("p" + std::to_string(t) + "-" + std::to_string(i)));
        });
    for (auto& th : threads) th.join();
    CHECK(store.counts().participants == static_cast<std::size_t>(kThreads * kPerThread));
    CHECK(store.journalSyncs() * 2 < static_cast<std::uint64_t>(kThreads * kPerThread));

    std::uint64_t deferred = 0;
    {
        CommitScope scope;
        store.createParticipant(sampleParticipant("in-scope"));
        store.deleteParticipant("acc", "p0-0");
        deferred = scope.seq();
    }
    CHECK(deferred == static_cast<std::uint64_t>(kThreads * kPerThread + 2));
    std::promise<bool> done;
    store.whenDurable(deferred, [&](bool durable) { done.set_value(durable); });
    CHECK(done.get_future().get());

    // Files of the store are private to the server's user, -wal and -shm included.
    for (const char* suffix : {"", "-wal", "-shm", ".lock"}) {
        INFO(suffix);
        CHECK(modeOf(dir.db() + suffix) == 0600);
    }
}
