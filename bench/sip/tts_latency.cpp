// TTS start latency (issue 9 figures): how long from asking SpeechService for a sentence to having
// its audio ready to play, cold (synthesized by flite on the workers) and cached (a prompt the IVR
// repeats). Prints p50/p95 of each and the cached/cold ratio. Build: ninja -C build tts_latency;
// run: build/tts_latency [sentences=40] [workers=2].
#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>
#include <vector>

#include "server/sip/media/SpeechService.hpp"

using Clock = std::chrono::steady_clock;
using sb::sip::media::SpeechService;

namespace {

double measure(SpeechService& service, const std::string& text, const std::string& voice) {
    std::mutex m;
    std::condition_variable cv;
    bool done = false;
    auto start = Clock::now();
    Clock::time_point end;
    service.synthesize(text, voice, [&](SpeechService::Clip, std::string) {
        std::lock_guard<std::mutex> l(m);
        end = Clock::now();
        done = true;
        cv.notify_all();
    });
    std::unique_lock<std::mutex> l(m);
    cv.wait(l, [&] { return done; });
    return std::chrono::duration<double, std::milli>(end - start).count();
}

double percentile(std::vector<double> v, double p) {
    std::sort(v.begin(), v.end());
    auto i = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
    return v[i];
}

}  // namespace

int main(int argc, char** argv) {
    int sentences = argc > 1 ? std::atoi(argv[1]) : 40;
    std::size_t workers = argc > 2 ? static_cast<std::size_t>(std::atoi(argv[2])) : 2;
    SpeechService service({workers, 64 * 1024 * 1024});
    const char* voices[] = {"slt", "rms"};
    std::vector<double> cold, cached;
    for (int i = 0; i < sentences; ++i) {
        std::string text = "Thank you for calling. Press " + std::to_string(i % 10) + " for department number " +
                           std::to_string(i) + ", or stay on the line.";
        cold.push_back(measure(service, text, voices[i % 2]));
        for (int k = 0; k < 5; ++k) cached.push_back(measure(service, text, voices[i % 2]));
    }
    double coldP50 = percentile(cold, 0.5), coldP95 = percentile(cold, 0.95);
    double hitP50 = percentile(cached, 0.5), hitP95 = percentile(cached, 0.95);
    std::printf("TTS start latency, %d sentences (~3 s of speech each), %zu workers\n", sentences, workers);
    std::printf("  cold   (flite + resample): p50 %8.3f ms  p95 %8.3f ms\n", coldP50, coldP95);
    std::printf("  cached (same sentence):    p50 %8.3f ms  p95 %8.3f ms\n", hitP50, hitP95);
    std::printf("  cached/cold p95 ratio: %.5f\n", hitP95 / coldP95);
    auto s = service.stats();
    std::printf("  cache: %zu clips, %zu bytes; hits %llu, misses %llu\n", s.cachedClips, s.cachedBytes,
                static_cast<unsigned long long>(s.hits), static_cast<unsigned long long>(s.misses));
    return 0;
}
