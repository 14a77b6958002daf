// RecordingReservation: recordings reserve storage as their files grow, so many share a budget;
// the budgets are never exceeded, even by recordings growing at once on several threads; a
// recording that reaches the budget mid-way stops there with a valid WAV; deletes free bytes.
#include <sndfile.h>
#include <catch2/catch.hpp>

#include <unistd.h>
#include <atomic>
#include <filesystem>
#include <future>
#include <thread>
#include <vector>

#include "server/voice/Call.hpp"
#include "server/voice/CallIds.hpp"
#include "server/voice/RecordingReservation.hpp"
#include "server/voice/RecordingWriter.hpp"

using namespace sb::voice;
namespace fs = std::filesystem;

namespace {
// The folders tempDir() made, removed when the test binary exits.
struct MadeDirs {
    std::vector<fs::path> dirs;
    MadeDirs() = default;
    MadeDirs(const MadeDirs&) = delete;
    MadeDirs& operator=(const MadeDirs&) = delete;
    ~MadeDirs() {
        std::error_code ignored;
        for (const auto& d : dirs) fs::remove_all(d, ignored);
    }
};
fs::path tempDir() {
    static MadeDirs made;
    auto dir = fs::temp_directory_path() /
               ("sb-recr-" + std::to_string(::getpid()) + "-" + std::to_string(std::rand()));
    fs::create_directories(dir);
    made.dirs.push_back(dir);
    return dir;
}
constexpr std::uint64_t kHour = 3600ull * 16000 + 1024;  // a one-hour mono recording's cap
constexpr std::uint64_t kBlock = 320;                    // 20 ms mono
}  // namespace

TEST_CASE("a recording reserves a chunk at a time, not its longest size",
          "[voice][RecordingReservation]") {
    auto store = std::make_shared<RecordingStore>(tempDir().string(), RecordingLimits{1000000, 0});
    RecordingReservation r(store, "a", 1, kHour);
    REQUIRE(r.start().empty());
    CHECK(r.reserved() == 44 + 80000);  // the header and 5 s of mono audio
    CHECK(store->usedBytes("a") == 44 + 80000);
    CHECK(r.cover(44 + 80000));
    CHECK(store->usedBytes("a") == 44 + 80000);  // covered already: nothing more taken
    CHECK(r.cover(44 + 80000 + kBlock));
    CHECK(r.reserved() == 44 + 160000);  // one more chunk
    // Two channels take chunks twice the size; a short recording never more than its cap.
    RecordingReservation stereo(store, "a", 2, kHour);
    REQUIRE(stereo.start().empty());
    CHECK(stereo.reserved() == 44 + 160000);
    RecordingReservation shortOne(store, "a", 1, 1000);
    REQUIRE(shortOne.start().empty());
    CHECK(shortOne.reserved() == 1000);
    CHECK_FALSE(shortOne.cover(1001));
    CHECK(store->usedBytes("a") == 44 + 160000 + 44 + 160000 + 1000);
}

TEST_CASE("near the limit: what is left if the block fits, then refusal",
          "[voice][RecordingReservation]") {
    auto store = std::make_shared<RecordingStore>(tempDir().string(), RecordingLimits{100000, 0});
    RecordingReservation r(store, "a", 1, kHour);
    REQUIRE(r.start().empty());      // 80044
    CHECK(r.cover(80044 + kBlock));  // 19956 left: all of it, though less than a chunk
    CHECK(r.reserved() == 100000);
    CHECK(store->usedBytes("a") == 100000);
    CHECK_FALSE(r.cover(100000 + kBlock));  // nothing left
    CHECK(store->usedBytes("a") == 100000);
    RecordingReservation late(store, "a", 1, kHour);
    CHECK(late.start() == "the account's recording storage limit is reached (0 bytes left)");
    CHECK(late.reserved() == 0);
    // Another account has its own budget.
    RecordingReservation other(store, "b", 1, kHour);
    CHECK(other.start().empty());
}

TEST_CASE("concurrent recordings never take more than the budgets together",
          "[voice][RecordingReservation]") {
    constexpr std::uint64_t kAccount = 3000000, kTotal = 5000000;
    auto store =
        std::make_shared<RecordingStore>(tempDir().string(), RecordingLimits{kAccount, kTotal});
    constexpr int kRecordings = 24;  // 12 per account, on 24 threads
    std::vector<std::unique_ptr<RecordingReservation>> rs;
    for (int i = 0; i < kRecordings; ++i)
        rs.push_back(std::make_unique<RecordingReservation>(store, i % 2 ? "a" : "b", 1, kHour));
    std::vector<std::uint64_t> written(kRecordings, 0);
    std::atomic<bool> go{false};
    std::vector<std::thread> threads;
    for (int i = 0; i < kRecordings; ++i)
        threads.emplace_back([&, i] {
            while (!go) std::this_thread::yield();
            if (!rs[i]->start().empty()) return;
            std::uint64_t size = 44;
            while (rs[i]->cover(size + kBlock)) size += kBlock;  // grows until the budget is spent
            written[i] = size;
        });
    go = true;
    for (auto& t : threads) t.join();
    std::uint64_t a = 0, b = 0, reservedA = 0, reservedB = 0;
    for (int i = 0; i < kRecordings; ++i) {
        (i % 2 ? a : b) += written[i];
        (i % 2 ? reservedA : reservedB) += rs[i]->reserved();
        CHECK(written[i] <= rs[i]->reserved());
    }
    // The budgets went to the recordings up to less than one block, and not one byte more.
    CHECK(reservedA + reservedB <= kTotal);
    CHECK(reservedA + reservedB > kTotal - kBlock);
    CHECK(reservedA <= kAccount);
    CHECK(reservedB <= kAccount);
    CHECK(store->usedBytes("a") == reservedA);
    CHECK(store->usedBytes("b") == reservedB);
    CHECK(store->totalBytes() == reservedA + reservedB);
    // What was written fills the budget up to less than one block per recording.
    CHECK(a + b > kTotal - kRecordings * kBlock);
}

TEST_CASE(
    "the budget hit mid-recording stops the file there; finishing and deleting give bytes back",
    "[voice][RecordingReservation]") {
    auto dir = tempDir();
    auto store = std::make_shared<RecordingStore>(dir.string(), RecordingLimits{200000, 0});
    RecordingMeta m;
    m.recordingId = newRecordingId();
    m.accountId = "a";
    m.callId = newCallId();
    m.startTime = "2026-01-01T10:00:00.000Z";
    auto reservation = std::make_shared<RecordingReservation>(store, "a", 1, kHour);
    REQUIRE(reservation->start().empty());
    store->begin(m);
    RecordingWriter w(2000);
    std::atomic<int> failures{0};
    auto path = store->mediaPath(m);
    auto file = w.open(path, 1,
                       RecordingWriter::Budget{
                           [reservation](std::uint64_t total) { return reservation->cover(total); },
                           [&failures] { ++failures; }});
    for (int k = 0; k < 1000; ++k)
        REQUIRE(w.write(file, std::vector<std::int16_t>(160, 7)));  // 20 s > 12.5 s
    std::promise<RecordingFileResult> done;
    w.close(file, [&done](RecordingFileResult r) { done.set_value(r); });
    auto r = done.get_future().get();
    CHECK_FALSE(r.ok);
    CHECK(r.error == "storage limit reached");
    CHECK(failures == 1);
    CHECK(fs::file_size(path) <= 200000);
    CHECK(r.bytes == fs::file_size(path));
    CHECK(r.frames == (200000 - 44) / kBlock * 160);  // every block that fitted
    SF_INFO info{};
    SNDFILE* in = sf_open(path.c_str(), SFM_READ, &info);
    REQUIRE(in);
    CHECK(info.frames == static_cast<sf_count_t>(r.frames));
    sf_close(in);
    m.bytes = r.bytes;
    m.status = "error";
    store->finish(m, reservation->reserved());  // the reservation becomes the file's real size
    CHECK(store->usedBytes("a") == r.bytes);
    CHECK(store->remove("a", m.callId, m.recordingId));
    CHECK(store->usedBytes("a") == 0);
    CHECK(store->totalBytes() == 0);
    fs::remove_all(dir);
}
