// RecordingStore (sidecars, limits, filters, deletes), isoDuration, and the recording verbs' BXML.
#include <catch2/catch.hpp>

#include <unistd.h>
#include <filesystem>
#include <fstream>

#include "server/voice/Bxml.hpp"
#include "server/voice/CallIds.hpp"
#include "server/voice/RecordingEvents.hpp"
#include "server/voice/RecordingStore.hpp"

using namespace sb::voice;
namespace fs = std::filesystem;

namespace {
fs::path tempDir() {
    auto dir = fs::temp_directory_path() /
               ("sb-recs-" + std::to_string(::getpid()) + "-" + std::to_string(std::rand()));
    fs::create_directories(dir);
    return dir;
}
RecordingMeta meta(const std::string& account, const std::string& callId,
                   const std::string& start) {
    RecordingMeta m;
    m.recordingId = newRecordingId();
    m.accountId = account;
    m.callId = callId;
    m.to = "+15551234567";
    m.from = "+15550001111";
    m.direction = "outbound";
    m.startTime = start;
    return m;
}
void finishWithFile(RecordingStore& s, RecordingMeta m, std::uint64_t reserved, std::size_t bytes) {
    fs::create_directories(fs::path(s.mediaPath(m)).parent_path());
    std::ofstream(s.mediaPath(m)) << std::string(bytes, 'x');
    m.bytes = bytes;
    m.status = "complete";
    m.durationSeconds = 1.5;
    s.finish(m, reserved);
}
}  // namespace

TEST_CASE("ISO 8601 durations as Bandwidth writes them", "[voice][RecordingEvents]") {
    CHECK(isoDuration(13.67) == "PT13.67S");
    CHECK(isoDuration(3) == "PT3S");
    CHECK(isoDuration(2.5) == "PT2.5S");
    CHECK(isoDuration(63.5) == "PT1M3.5S");
    CHECK(isoDuration(3600 + 2) == "PT1H0M2S");
    CHECK(isoDuration(59.999) == "PT1M0S");
    CHECK(isoDuration(0) == "PT0S");
    CHECK(isoDuration(-1) == "PT0S");
}

TEST_CASE("recordings persist as sidecars and survive a reload", "[voice][RecordingStore]") {
    auto dir = tempDir();
    std::string callId = newCallId();
    RecordingMeta done, crashed;
    {
        RecordingStore s(dir.string(), {});
        done = meta("acc1", callId, "2026-01-01T10:00:00.000Z");
        s.begin(done);
        finishWithFile(s, done, 0, 1000);
        crashed = meta("acc1", callId, "2026-01-01T11:00:00.000Z");
        s.begin(crashed);  // still "processing" when the server stops
        std::ofstream(s.mediaPath(crashed)) << std::string(300, 'y');
    }
    RecordingStore s(dir.string(), {});
    CHECK(s.load() == 2);
    auto a = s.get("acc1", callId, done.recordingId);
    REQUIRE(a);
    CHECK(a->status == "complete");
    CHECK(a->bytes == 1000);
    CHECK(s.get("acc1", callId, crashed.recordingId)->status == "partial");
    CHECK(s.usedBytes("acc1") == 1300);
    CHECK_FALSE(s.get("acc2", callId, done.recordingId));       // another account
    CHECK_FALSE(s.get("acc1", newCallId(), done.recordingId));  // another call
    fs::remove_all(dir);
}

TEST_CASE("a sidecar that cannot be written (disk full) leaves the previous one intact",
          "[voice][RecordingStore]") {
    auto dir = tempDir();
    std::string callId = newCallId();
    auto m = meta("acc1", callId, "2026-01-01T10:00:00.000Z");
    {
        RecordingStore s(dir.string(), {});
        s.begin(m);  // the sidecar says "processing"
        std::ofstream(s.mediaPath(m)) << std::string(500, 'z');
        // The next write of the sidecar goes to /dev/full: every write to it fails with ENOSPC,
        // but only when the stream flushes (at its close).
        auto tmp = fs::path(s.mediaPath(m)).replace_extension(".json.tmp");
        fs::create_symlink("/dev/full", tmp);
        m.status = "error";
        m.errorMessage = "write failed (disk full?)";
        m.bytes = 500;
        s.finish(m, 0);
        CHECK(s.get("acc1", callId, m.recordingId)->status == "error");  // in memory: the outcome
        CHECK_FALSE(fs::exists(fs::symlink_status(tmp)));  // the failed temp file is gone
    }
    auto sidecar = fs::path(dir) / "acc1" / callId / (m.recordingId + ".json");
    CHECK_FALSE(fs::is_symlink(sidecar));
    // A restart finds the recording from its previous sidecar: the one it stopped in the middle of.
    RecordingStore s(dir.string(), {});
    CHECK(s.load() == 1);
    auto r = s.get("acc1", callId, m.recordingId);
    REQUIRE(r);
    CHECK(r->status == "partial");
    CHECK(r->bytes == 500);
    CHECK(s.usedBytes("acc1") == 500);
    fs::remove_all(dir);
}

TEST_CASE("filters: call, to, from, start times", "[voice][RecordingStore]") {
    auto dir = tempDir();
    RecordingStore s(dir.string(), {});
    auto c1 = newCallId(), c2 = newCallId();
    auto m1 = meta("acc", c1, "2026-01-01T10:00:00.000Z");
    auto m2 = meta("acc", c2, "2026-01-02T10:00:00.000Z");
    m2.to = "+15559999999";
    s.begin(m1);
    s.begin(m2);
    s.begin(meta("other", c1, "2026-01-01T10:00:00.000Z"));
    CHECK(s.list("acc", {}).size() == 2);
    RecordingFilter f;
    f.callId = c2;
    CHECK(s.list("acc", f).size() == 1);
    f = {};
    f.to = "+15559999999";
    CHECK(s.list("acc", f)[0].recordingId == m2.recordingId);
    f = {};
    f.minStartTime = "2026-01-01T12:00:00Z";
    CHECK(s.list("acc", f)[0].recordingId == m2.recordingId);
    f = {};
    f.maxStartTime = "2026-01-02T10:00:00Z";  // before, not including
    REQUIRE(s.list("acc", f).size() == 1);
    CHECK(s.list("acc", f)[0].recordingId == m1.recordingId);
    fs::remove_all(dir);
}

TEST_CASE("storage limits: grants, refusals, and what deletes give back",
          "[voice][RecordingStore]") {
    auto dir = tempDir();
    RecordingStore s(dir.string(), {100000, 150000});
    auto g1 = s.reserve("a", 16044, 60000);
    CHECK(g1.bytes == 60000);
    auto g2 = s.reserve("a", 16044, 60000);  // only 40000 left for the account
    CHECK(g2.bytes == 40000);
    auto g3 = s.reserve("a", 16044, 60000);
    CHECK(g3.bytes == 0);
    CHECK(g3.refusal == "the account's recording storage limit is reached (0 bytes left)");
    auto g4 = s.reserve("b", 16044, 60000);  // the server's limit: 50000 left
    CHECK(g4.bytes == 50000);
    auto g5 = s.reserve("c", 16044, 60000);
    CHECK(g5.refusal == "the server's recording storage limit is reached (0 bytes left)");
    s.release("b", g4.bytes);
    // A finished recording keeps only its real size.
    auto m = meta("a", newCallId(), "2026-01-01T10:00:00.000Z");
    s.begin(m);
    finishWithFile(s, m, g1.bytes, 20000);
    CHECK(s.usedBytes("a") == 20000 + 40000);
    CHECK(s.reserve("a", 16044, 60000).bytes == 40000);
    // Deleting the media gives its bytes back; deleting a recording in progress is refused.
    CHECK(s.removeMedia("a", m.callId, m.recordingId));
    CHECK_FALSE(fs::exists(s.mediaPath(m)));
    CHECK(s.get("a", m.callId, m.recordingId)->hasMedia == false);
    CHECK(s.usedBytes("a") == 80000);
    auto running = meta("a", newCallId(), "2026-01-01T10:00:00.000Z");
    s.begin(running);
    CHECK_THROWS_AS(s.remove("a", running.callId, running.recordingId), std::logic_error);
    CHECK(s.remove("a", m.callId, m.recordingId));
    CHECK_FALSE(s.get("a", m.callId, m.recordingId));
    CHECK_FALSE(s.remove("a", m.callId, m.recordingId));
    fs::remove_all(dir);
}

TEST_CASE("the recording verbs' attributes, defaults and refusals", "[voice][Bxml][recording]") {
    using namespace sb::voice::bxml;
    auto verbs = parse(R"(<Response>
        <Record recordCompleteUrl="/done" recordCompleteMethod="get" recordingAvailableUrl="https://a.example/av"
                maxDuration="3" silenceTimeout="2.5" terminatingDigits="*#" tag="t" fileFormat="wav"
                username="u" password="p" transcribe="false"/>
        <Record/>
        <StartRecording multiChannel="true" recordingAvailableUrl="/av"/>
        <PauseRecording/><ResumeRecording/><StopRecording/></Response>)");
    REQUIRE(verbs.size() == 6);
    auto& r = std::get<Record>(verbs[0]);
    REQUIRE(r.recordComplete);
    CHECK(r.recordComplete->url == "/done");
    CHECK(r.recordComplete->method == "GET");
    REQUIRE(r.recordComplete->credentials);
    CHECK(r.recordComplete->credentials->username == "u");
    REQUIRE(r.callbacks.recordingAvailable);
    CHECK(r.callbacks.recordingAvailable->url == "https://a.example/av");
    REQUIRE(r.callbacks.recordingAvailable->credentials);  // the verb's credentials apply to it too
    CHECK(r.callbacks.recordingAvailable->credentials->password == "p");
    CHECK(r.maxDuration == 3);
    CHECK(*r.silenceTimeout == 2.5);
    CHECK(r.terminatingDigits == "*#");
    CHECK(*r.callbacks.tag == "t");
    auto& d = std::get<Record>(verbs[1]);
    CHECK(d.maxDuration == 60);
    CHECK(d.terminatingDigits == "#");
    CHECK_FALSE(d.silenceTimeout);
    CHECK(std::get<StartRecording>(verbs[2]).multiChannel);
    CHECK(verbName(verbs[3]) == "PauseRecording");
    CHECK(verbName(verbs[5]) == "StopRecording");

    auto error = [](const std::string& verb) -> std::string {
        try {
            parse("<Response>" + verb + "</Response>");
        } catch (const BxmlError& e) {
            return e.what();
        }
        return "parsed";
    };
    CHECK(error(R"(<Record maxDuration="10801"/>)") ==
          "invalid BXML: verb 1 <Record>: maxDuration \"10801\" is out of range: must be between 1 "
          "and 10800 seconds");
    CHECK(error(R"(<Record maxDuration="abc"/>)") ==
          "invalid BXML: verb 1 <Record>: maxDuration \"abc\" is not a decimal number");
    CHECK(error(R"(<Record fileFormat="mp3"/>)") ==
          "invalid BXML: verb 1 <Record>: fileFormat \"mp3\" is not supported by this server: use "
          "wav");
    CHECK(error(R"(<Record fileFormat="ogg"/>)") ==
          "invalid BXML: verb 1 <Record>: fileFormat \"ogg\" must be wav");
    CHECK(error(R"(<Record volume="3"/>)") ==
          "invalid BXML: verb 1 <Record>: unknown attribute \"volume\"");
    CHECK(error(R"(<Record recordCompleteUrl="ftp://x/y"/>)") ==
          "invalid BXML: verb 1 <Record>: recordCompleteUrl \"ftp://x/y\" is not an http(s) URL or "
          "a relative URL");
    CHECK(error(R"(<StartRecording multiChannel="1"/>)") ==
          "invalid BXML: verb 1 <StartRecording>: multiChannel \"1\" must be true or false");
    CHECK(error(R"(<StopRecording>now</StopRecording>)") ==
          "invalid BXML: verb 1 <StopRecording>: must not have text content");
    CHECK(
        error(R"(<Record terminatingDigits="1x"/>)") ==
        "invalid BXML: verb 1 <Record>: terminatingDigits: 'x' is not a DTMF digit (0-9 * # A-D)");
}
