// Text to speech: flite produces speech-like 8 kHz audio; the service runs it off the caller's
// thread, shares one synthesis between concurrent requests, caches by (voice, sentence) within
// its byte bound, and reports failures.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "server/sip/media/SpeechService.hpp"
#include "server/sip/media/SpeechSynthesizer.hpp"

using namespace sb::sip::media;

namespace {
struct Waiter {
    std::mutex m;
    std::condition_variable cv;
    int count = 0;
    std::vector<SpeechService::Clip> clips;
    std::vector<std::string> errors;
    SpeechService::Done done() {
        return [this](SpeechService::Clip c, std::string e) {
            std::lock_guard<std::mutex> l(m);
            clips.push_back(c);
            errors.push_back(e);
            ++count;
            cv.notify_all();
        };
    }
    void wait(int n) {
        std::unique_lock<std::mutex> l(m);
        REQUIRE(cv.wait_for(l, std::chrono::seconds(20), [&] { return count >= n; }));
    }
};
double rms(const std::vector<std::int16_t>& s) {
    double sum = 0;
    for (auto v : s) sum += double(v) * v;
    return std::sqrt(sum / double(s.size()));
}
}  // namespace

TEST_CASE("flite speaks a sentence as 8 kHz audio with each voice", "[sip][media][tts]") {
    for (const char* voice : {"slt", "rms", "awb", "kal16"}) {
        INFO(voice);
        auto pcm = SpeechSynthesizer::synthesize("Press one for sales, two for support.", voice);
        // A sentence of this length takes between one and five seconds to say.
        CHECK(pcm.size() > 8000);
        CHECK(pcm.size() < 40000);
        // Every voice at the same level (normalized): a speech-like RMS well above silence.
        CHECK(rms(pcm) > 2000);
        CHECK(rms(pcm) < 12000);
    }
    CHECK_THROWS_AS(SpeechSynthesizer::synthesize("x", "hal9000"), std::invalid_argument);
}

TEST_CASE("SpeechService synthesizes off the caller's thread and caches", "[sip][media][tts]") {
    std::atomic<int> calls{0};
    std::thread::id engineThread;
    SpeechService service({1, 1024 * 1024}, [&](const std::string& text, const std::string&,
                                                const SpeechService::Sink& sink) {
        ++calls;
        engineThread = std::this_thread::get_id();
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        std::vector<std::int16_t> pcm(text.size() * 100, 1000);
        return sink(pcm.data(), pcm.size());
    });
    Waiter w;
    // Two requests while the first is running: one synthesis.
    service.synthesize("hello", "slt", w.done());
    service.synthesize("hello", "slt", w.done());
    w.wait(2);
    CHECK(calls == 1);
    CHECK(engineThread != std::this_thread::get_id());
    CHECK(w.clips[0] == w.clips[1]);
    // Cached: answered at once, on this thread.
    service.synthesize("hello", "slt", w.done());
    CHECK(w.count == 3);
    CHECK(calls == 1);
    // Another voice is another clip.
    service.synthesize("hello", "rms", w.done());
    w.wait(4);
    CHECK(calls == 2);
    auto s = service.stats();
    CHECK(s.hits == 1);
    CHECK(s.misses == 3);
    CHECK(s.cachedClips == 2);
    CHECK(s.cachedBytes == 2 * 500 * 2);
}

TEST_CASE("SpeechService's cache stays within its byte bound", "[sip][media][tts]") {
    std::atomic<int> calls{0};
    SpeechService service(
        {1, 2500}, [&](const std::string&, const std::string&, const SpeechService::Sink& sink) {
            ++calls;
            std::vector<std::int16_t> pcm(500, 1);  // 1000 bytes
            return sink(pcm.data(), pcm.size());
        });
    Waiter w;
    int n = 0;
    for (const char* text : {"a", "b", "c"}) {
        service.synthesize(text, "slt", w.done());
        w.wait(++n);
    }
    CHECK(service.stats().cachedClips == 2);  // "a" evicted (least recently used)
    CHECK(service.stats().cachedBytes <= 2500);
    service.synthesize("c", "slt", w.done());
    CHECK(calls == 3);
    service.synthesize("a", "slt", w.done());
    w.wait(5);
    CHECK(calls == 4);
}

TEST_CASE("SpeechService reports a failed synthesis", "[sip][media][tts]") {
    SpeechService service(
        {1, 1024},
        [](const std::string&, const std::string& voice, const SpeechService::Sink&) -> bool {
            throw std::invalid_argument("unknown voice " + voice);
        });
    Waiter w;
    service.synthesize("x", "zz", w.done());
    w.wait(1);
    CHECK(!w.clips[0]);
    CHECK(w.errors[0] == "unknown voice zz");
    CHECK(service.stats().failures == 1);
}
