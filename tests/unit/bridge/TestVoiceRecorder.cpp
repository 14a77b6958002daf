// Recordings of SIP calls (server/bridge/VoiceRecorder) on a real call pipeline ticking every
// 20 ms on 127.0.0.1: what each way of ending reports (docs/voice.md endReason), the WAV's
// channels and length, and which recordings stopVerbRecordings ends.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <optional>
#include <string>

#include "server/bridge/VoiceRecorder.hpp"
#include "unit/sip/media/PipelineHarness.hpp"

using namespace std::chrono_literals;
using sb::bridge::VoiceRecorder;
using sb::sip::media::CallAudioPipeline;
using sb::sip::media::PortAllocator;
using sb::voice::RecordingResult;
using sb::voice::RecordingSpec;

namespace {

// One recording's result, waited for across threads (`done` runs on the writer thread).
class Outcome {
  public:
    sb::voice::RecordingDone callback() {
        return [this](RecordingResult r) {
            std::lock_guard lock(mutex_);
            result_ = std::move(r);
            changed_.notify_all();
        };
    }
    std::optional<RecordingResult> wait(std::chrono::milliseconds limit = 5s) {
        std::unique_lock lock(mutex_);
        changed_.wait_for(lock, limit, [&] { return result_.has_value(); });
        return result_;
    }
    bool done() {
        std::lock_guard lock(mutex_);
        return result_.has_value();
    }

  private:
    std::mutex mutex_;
    std::condition_variable changed_;
    std::optional<RecordingResult> result_;
};

struct Call {
    sb::sip::media::test::Loop loop;
    std::shared_ptr<PortAllocator> ports = std::make_shared<PortAllocator>(46700, 46739);
    std::shared_ptr<CallAudioPipeline> pipeline;
    std::shared_ptr<sb::voice::RecordingWriter> writer =
        std::make_shared<sb::voice::RecordingWriter>();
    std::shared_ptr<VoiceRecorder> recorder = std::make_shared<VoiceRecorder>(writer);
    std::string dir;

    Call() {
        CallAudioPipeline::Config c;
        c.phoneAddress = sb::sip::media::test::kLoopback;
        c.roomAddress = sb::sip::media::test::kLoopback;
        pipeline = CallAudioPipeline::create(loop.io.get_executor(), c, ports);
        pipeline->start();
        char name[] = "/tmp/sb-voicerecorder-XXXXXX";
        REQUIRE(::mkdtemp(name));
        dir = name;
    }
    ~Call() {
        pipeline->stop();
        writer->shutdown();
        loop.stop();
        std::remove((dir + "/a.wav").c_str());
        std::remove((dir + "/b.wav").c_str());
        std::remove((dir + "/c.wav").c_str());
        ::rmdir(dir.c_str());
    }
    RecordingSpec spec(const std::string& file) const {
        RecordingSpec s;
        s.path = dir + "/" + file;
        return s;
    }
};

// The channel count in a canonical WAV header (RIFF, then "fmt " at byte 12).
int wavChannels(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    char header[24] = {};
    in.read(header, sizeof header);
    if (std::string(header, 4) != "RIFF" || std::string(header + 8, 4) != "WAVE") return -1;
    return static_cast<unsigned char>(header[22]) | static_cast<unsigned char>(header[23]) << 8;
}

}  // namespace

TEST_CASE("maxDuration ends a recording after that much audio", "[server][bridge][VoiceRecorder]") {
    Outcome out;  // outlives the call: a late result must find it
    Call call;
    auto spec = call.spec("a.wav");
    spec.maxSeconds = 0.2;  // ten 20 ms ticks
    auto id = VoiceRecorder::newId();
    call.recorder->start(id, "call-1", call.pipeline, spec, out.callback());
    auto r = out.wait();
    REQUIRE(r);
    CHECK(r->ok);
    CHECK(r->endReason == "maxDuration");
    CHECK_FALSE(r->digit);
    CHECK(r->durationSeconds == Approx(0.2));
    CHECK(r->bytes >= 44 + 3200);  // the header and 1600 16-bit samples
    CHECK(wavChannels(spec.path) == 1);
    CHECK(call.recorder->active() == 0);  // forgotten once it ended
}

TEST_CASE("stop ends a recording as \"stopped\"; unknown ids are ignored",
          "[server][bridge][VoiceRecorder]") {
    Outcome out;  // outlives the call: a late result must find it
    Call call;
    auto id = VoiceRecorder::newId();
    call.recorder->start(id, "call-1", call.pipeline, call.spec("a.wav"), out.callback());
    CHECK(call.recorder->active() == 1);
    std::this_thread::sleep_for(100ms);
    call.recorder->stop(id + 1000);  // not ours: nothing happens
    call.recorder->setPaused(id + 1000, true);
    CHECK_FALSE(out.done());
    call.recorder->stop(id);
    auto r = out.wait();
    REQUIRE(r);
    CHECK(r->ok);
    CHECK(r->endReason == "stopped");
    CHECK(r->durationSeconds > 0);
    CHECK(call.recorder->active() == 0);
    call.recorder->stop(id);  // again: no second result, no crash
}

TEST_CASE("Two channels record the phone left and what it hears right",
          "[server][bridge][VoiceRecorder]") {
    Outcome out;  // outlives the call: a late result must find it
    Call call;
    auto spec = call.spec("a.wav");
    spec.channels = 2;
    spec.maxSeconds = 0.1;
    call.recorder->start(VoiceRecorder::newId(), "call-1", call.pipeline, spec, out.callback());
    auto r = out.wait();
    REQUIRE(r);
    CHECK(r->durationSeconds == Approx(0.1));  // seconds of audio, not samples of both channels
    CHECK(wavChannels(spec.path) == 2);
}

TEST_CASE("stopVerbRecordings ends the call's <Record> only", "[server][bridge][VoiceRecorder]") {
    Outcome verb, background, otherCall;
    Call call;
    auto record = call.spec("a.wav");
    record.phoneOnly = true;  // <Record>
    auto other = call.spec("c.wav");
    other.phoneOnly = true;
    auto verbId = VoiceRecorder::newId(), backgroundId = VoiceRecorder::newId(),
         otherId = VoiceRecorder::newId();
    call.recorder->start(verbId, "call-1", call.pipeline, record, verb.callback());
    call.recorder->start(backgroundId, "call-1", call.pipeline, call.spec("b.wav"),
                         background.callback());  // <StartRecording>
    call.recorder->start(otherId, "call-2", call.pipeline, other, otherCall.callback());
    CHECK(call.recorder->active() == 3);

    call.recorder->stopVerbRecordings("call-1");
    auto r = verb.wait();
    REQUIRE(r);
    CHECK(r->endReason == "stopped");
    std::this_thread::sleep_for(100ms);
    CHECK_FALSE(background.done());
    CHECK_FALSE(otherCall.done());
    CHECK(call.recorder->active() == 2);

    call.recorder->stop(backgroundId);
    call.recorder->stop(otherId);
    REQUIRE(background.wait());
    REQUIRE(otherCall.wait());
    CHECK(call.recorder->active() == 0);
}

TEST_CASE("A paused recording does not grow", "[server][bridge][VoiceRecorder]") {
    Outcome out;  // outlives the call: a late result must find it
    Call call;
    auto id = VoiceRecorder::newId();
    auto spec = call.spec("a.wav");
    spec.maxSeconds = 0.2;
    call.recorder->setPaused(id, true);  // before it exists: ignored
    call.recorder->start(id, "call-1", call.pipeline, spec, out.callback());
    call.recorder->setPaused(id, true);
    std::this_thread::sleep_for(400ms);  // twice maxDuration, all of it paused
    CHECK_FALSE(out.done());
    call.recorder->setPaused(id, false);
    auto r = out.wait();
    REQUIRE(r);
    CHECK(r->endReason == "maxDuration");
    CHECK(r->durationSeconds == Approx(0.2));
}

TEST_CASE("A storage budget that runs out ends the recording early and says why",
          "[server][bridge][VoiceRecorder]") {
    Outcome out;  // outlives the call: a late result must find it
    Call call;
    auto spec = call.spec("a.wav");
    spec.maxSeconds = 5;
    spec.cover = [](std::uint64_t totalBytes) { return totalBytes <= 2000; };
    auto started = std::chrono::steady_clock::now();
    call.recorder->start(VoiceRecorder::newId(), "call-1", call.pipeline, spec, out.callback());
    auto r = out.wait();
    REQUIRE(r);
    CHECK_FALSE(r->ok);
    CHECK_FALSE(r->error.empty());
    CHECK(r->endReason == "stopped");
    CHECK(std::chrono::steady_clock::now() - started < 3s);  // not at maxDuration
    CHECK(call.recorder->active() == 0);
}
