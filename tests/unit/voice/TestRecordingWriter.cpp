// RecordingWriter: WAV files through libsndfile on its own thread, the byte limit, the full
// queue (drops counted, nothing blocks), and files that cannot be created.
#include <sndfile.h>
#include <catch2/catch.hpp>

#include <unistd.h>
#include <filesystem>
#include <fstream>
#include <future>
#include <thread>
#include <vector>

#include "server/voice/RecordingWriter.hpp"

using namespace sb::voice;
namespace fs = std::filesystem;

namespace {
fs::path tempDir() {
    auto dir = fs::temp_directory_path() /
               ("sb-recw-" + std::to_string(::getpid()) + "-" + std::to_string(std::rand()));
    fs::create_directories(dir);
    return dir;
}
RecordingFileResult closeAndWait(RecordingWriter& w,
                                 const std::shared_ptr<RecordingWriter::File>& f) {
    std::promise<RecordingFileResult> p;
    w.close(f, [&p](RecordingFileResult r) { p.set_value(r); });
    return p.get_future().get();
}
}  // namespace

TEST_CASE("a two-channel WAV at 8 kHz 16-bit with what was written", "[voice][RecordingWriter]") {
    auto dir = tempDir();
    RecordingWriter w(64);
    auto path = (dir / "a" / "b" / "r.wav").string();  // directories are created
    auto f = w.open(path, 2, 1 << 20);
    for (int k = 0; k < 50; ++k) {
        std::vector<std::int16_t> block(320);
        for (int i = 0; i < 160; ++i) block[2 * i] = 1000, block[2 * i + 1] = -1000;
        while (!w.write(f, std::vector<std::int16_t>(block))) std::this_thread::yield();
    }
    auto r = closeAndWait(w, f);
    CHECK(r.ok);
    CHECK(r.frames == 8000);
    CHECK(r.bytes == fs::file_size(path));
    SF_INFO info{};
    SNDFILE* in = sf_open(path.c_str(), SFM_READ, &info);
    REQUIRE(in);
    CHECK(info.samplerate == 8000);
    CHECK(info.channels == 2);
    CHECK(info.frames == 8000);
    CHECK((info.format & SF_FORMAT_TYPEMASK) == SF_FORMAT_WAV);
    CHECK((info.format & SF_FORMAT_SUBMASK) == SF_FORMAT_PCM_16);
    std::int16_t first[2];
    sf_readf_short(in, first, 1);
    CHECK(first[0] == 1000);
    CHECK(first[1] == -1000);
    sf_close(in);
    fs::remove_all(dir);
}

TEST_CASE("the byte limit stops the file with a valid WAV of what fit",
          "[voice][RecordingWriter]") {
    auto dir = tempDir();
    RecordingWriter w(1000);
    auto path = (dir / "r.wav").string();
    auto f = w.open(path, 1, 44 + 3 * 320);  // three 20 ms blocks
    for (int k = 0; k < 10; ++k) REQUIRE(w.write(f, std::vector<std::int16_t>(160, 5)));
    auto r = closeAndWait(w, f);
    CHECK_FALSE(r.ok);
    CHECK(r.error == "storage limit reached");
    CHECK(r.frames == 480);
    SF_INFO info{};
    SNDFILE* in = sf_open(path.c_str(), SFM_READ, &info);
    REQUIRE(in);
    CHECK(info.frames == 480);
    sf_close(in);
    fs::remove_all(dir);
}

TEST_CASE("a full queue refuses writes at once and counts them", "[voice][RecordingWriter]") {
    auto dir = tempDir();
    RecordingWriter w(0);  // no room at all: every block is dropped
    auto f = w.open((dir / "r.wav").string(), 1, 1 << 20);
    for (int k = 0; k < 7; ++k) CHECK_FALSE(w.write(f, std::vector<std::int16_t>(160)));
    CHECK(w.droppedBlocks() == 7);
    auto r = closeAndWait(w, f);  // close is never refused
    CHECK(r.ok);
    CHECK(r.frames == 0);
    fs::remove_all(dir);
}

TEST_CASE("a file that cannot be created fails with the reason", "[voice][RecordingWriter]") {
    auto dir = tempDir();
    fs::create_directories(dir / "ro");
    fs::permissions(dir / "ro", fs::perms::owner_read | fs::perms::owner_exec);
    RecordingWriter w(16);
    // A regular file where a directory should be: refused even for root.
    std::ofstream(dir / "plain") << "x";
    auto f = w.open((dir / "plain" / "r.wav").string(), 1, 1 << 20);
    w.write(f, std::vector<std::int16_t>(160));
    auto r = closeAndWait(w, f);
    CHECK_FALSE(r.ok);
    CHECK(r.error.rfind("cannot create the file", 0) == 0);
    fs::permissions(dir / "ro", fs::perms::owner_all);
    fs::remove_all(dir);
}

TEST_CASE("after shutdown nothing is accepted and nothing blocks", "[voice][RecordingWriter]") {
    RecordingWriter w(16);
    w.shutdown();
    auto f = w.open("/nonexistent/r.wav", 1, 1000);
    CHECK_FALSE(w.write(f, std::vector<std::int16_t>(160)));
    bool called = false;
    w.close(f, [&](RecordingFileResult) { called = true; });
    CHECK_FALSE(called);
}

TEST_CASE("a file never closed is finished at shutdown and stays a valid WAV",
          "[voice][RecordingWriter]") {
    auto dir = tempDir();
    auto path = (dir / "r.wav").string();
    {
        RecordingWriter w(16);
        auto f = w.open(path, 1, 1 << 20);
        REQUIRE(w.write(f, std::vector<std::int16_t>(160, 9)));
        w.shutdown();
    }
    SF_INFO info{};
    SNDFILE* in = sf_open(path.c_str(), SFM_READ, &info);
    REQUIRE(in);
    CHECK(info.frames == 160);
    sf_close(in);
    fs::remove_all(dir);
}
