// TTS start latency (issue 9: "TTS start latency under 150 ms p95"): how long from asking
// SpeechService for a sentence to having its first audio to play. Cold sentences (never spoken
// before) of IVR length (8–25 words) two ways in the same run, interleaved so both see the same
// machine load:
//   baseline — the whole sentence as one flite utterance, playable when complete (the old way);
//   streamed — phrase by phrase with flite's streaming callback (what SpeakSentence does now).
// Also: whether the streamed audio ever arrives later than a player started at its first sample
// would need it (an underrun), and the cached latency (a prompt the IVR repeats).
// Build: ninja -C build tts_latency; run: build/tts_latency [sentences=60] [workers=2] [nowarm]
// (nowarm: skip the start-up warm-up, to see what the first sentence pays without it).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "server/sip/media/SpeechService.hpp"
#include "server/sip/media/SpeechSynthesizer.hpp"

using Clock = std::chrono::steady_clock;
using sb::sip::media::SpeechService;
using sb::sip::media::SpeechStream;
using sb::sip::media::SpeechSynthesizer;

namespace {

double ms(Clock::duration d) {
    return std::chrono::duration<double, std::milli>(d).count();
}

double percentile(std::vector<double> v, double p) {
    std::sort(v.begin(), v.end());
    auto i = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
    return v[i];
}

std::size_t words(const std::string& s) {
    std::istringstream in(s);
    std::string w;
    std::size_t n = 0;
    while (in >> w) ++n;
    return n;
}

// Distinct IVR prompts of 8–25 words: every combination of an opening and a request.
std::vector<std::string> sentences(std::size_t count) {
    const char* openings[] = {"Thank you for calling Northwind Insurance.",
                              "Welcome to the city water department.",
                              "You have reached the Acme support line.",
                              "Hello, and thanks for your patience.",
                              "Our offices are closed for the holiday.",
                              "Your call may be recorded for quality purposes.",
                              "Please listen carefully, as our menu options have changed.",
                              "This is an automated reminder from your pharmacy."};
    const char* requests[] = {"To check the status of a claim, press one.",
                              "For billing questions, press two, or say billing.",
                              "Please enter your account number followed by the pound key.",
                              "To speak with an agent, stay on the line.",
                              "Say or enter the date of your appointment.",
                              "To hear these options again, press nine.",
                              "Your estimated wait time is four minutes.",
                              "Press star to return to the main menu at any time."};
    // Short (a request alone), usual (an opening and a request) and long (and a second request),
    // mixed in a fixed order.
    std::vector<std::string> pool;
    for (std::size_t r = 0; r < 8; ++r) {
        pool.push_back(requests[r]);
        for (std::size_t o = 0; o < 8; ++o) {
            std::string two = std::string(openings[o]) + " " + requests[r];
            pool.push_back(two);
            std::string three = two + " " + requests[(r + o + 1) % 8];
            if (words(three) <= 25) pool.push_back(three);
        }
    }
    std::mt19937 shuffle(9);
    std::shuffle(pool.begin(), pool.end(), shuffle);
    std::vector<std::string> out;
    for (std::size_t i = 0; out.size() < count; ++i)  // more than the pool: numbered variants
        out.push_back(i < pool.size()
                          ? pool[i]
                          : pool[i % pool.size()] + " Reference " + std::to_string(i) + ".");
    return out;
}

// The chunks of the sentence being synthesized: when each came and how many samples it brought.
struct Timeline {
    std::mutex m;
    std::vector<std::pair<Clock::time_point, std::size_t>> chunks;
    void add(std::size_t n) {
        std::lock_guard<std::mutex> l(m);
        chunks.emplace_back(Clock::now(), n);
    }
    // A player starting when the stream is playable (SpeechStream::kPlayableSamples) plays 8
    // samples per ms; the smallest margin (ms) by which each later chunk came before it was
    // needed (negative: it would have paused).
    double slack() {
        std::lock_guard<std::mutex> l(m);
        double least = 1e9;
        std::size_t before = 0;
        std::optional<Clock::time_point> start;
        for (const auto& [at, n] : chunks) {
            if (start) least = std::min(least, static_cast<double>(before) / 8.0 - ms(at - *start));
            before += n;
            if (!start && before >= SpeechStream::kPlayableSamples) start = at;
        }
        chunks.clear();
        return least;
    }
};

struct Result {
    double firstAudio = 0, complete = 0;
};

Result measure(SpeechService& service, const std::string& text, const std::string& voice) {
    auto start = Clock::now();
    auto reader = service.speak(text, voice);
    auto& stream = reader->stream();
    stream.waitFinished(std::chrono::seconds(60));
    Clock::time_point first = Clock::now();
    stream.playableAt(first);
    first = std::max(first, start);  // a cached sentence had its audio before it was asked for
    return {ms(first - start), ms(Clock::now() - start)};
}

// `calls` calls start a prompt at the same moment (more than the workers): first audio of each.
std::vector<double> burst(SpeechService& service, const std::vector<std::string>& texts,
                          std::size_t calls) {
    const char* voices[] = {"slt", "rms", "awb", "kal16"};
    std::vector<double> out;
    for (std::size_t at = 0; at + calls <= texts.size(); at += calls) {
        auto start = Clock::now();
        std::vector<std::unique_ptr<SpeechStream::Reader>> readers;
        for (std::size_t k = 0; k < calls; ++k)
            readers.push_back(service.speak(texts[at + k], voices[k % 4]));
        for (auto& r : readers) {
            r->stream().waitFinished(std::chrono::seconds(60));
            Clock::time_point first = Clock::now();
            r->stream().playableAt(first);
            out.push_back(ms(first - start));
        }
    }
    return out;
}

}  // namespace

int main(int argc, char** argv) {
    std::size_t count = argc > 1 ? static_cast<std::size_t>(std::atoi(argv[1])) : 60;
    std::size_t workers = argc > 2 ? static_cast<std::size_t>(std::atoi(argv[2])) : 2;
    if (count < 1) count = 1;
    bool warmUp = !(argc > 3 && std::string(argv[3]) == "nowarm");
    auto warmStart = Clock::now();
    if (warmUp) SpeechSynthesizer::warmUp();  // what the server does at start-up
    double warm = ms(Clock::now() - warmStart);

    // The old way: one utterance, handed over whole.
    SpeechService baseline(
        {workers, 64 * 1024 * 1024, false, false},
        [](const std::string& text, const std::string& voice, const SpeechService::Sink& sink) {
            auto pcm = SpeechSynthesizer::synthesize(text, voice);
            return sink(pcm.data(), pcm.size());
        });
    Timeline timeline;
    SpeechService streamed({workers, 64 * 1024 * 1024, false},
                           [&timeline](const std::string& text, const std::string& voice,
                                       const SpeechService::Sink& sink) {
                               return SpeechSynthesizer::stream(
                                   text, voice, [&](const std::int16_t* s, std::size_t n) {
                                       timeline.add(n);
                                       return sink(s, n);
                                   });
                           });
    const char* voices[] = {"slt", "rms", "awb", "kal16"};
    std::vector<double> oldFirst, newFirst, newComplete, cached, slacks;
    std::size_t minWords = 1000, maxWords = 0, late = 0;
    auto texts = sentences(count);
    for (std::size_t i = 0; i < texts.size(); ++i) {
        const std::string& text = texts[i];
        const char* voice = voices[i % 4];
        minWords = std::min(minWords, words(text));
        maxWords = std::max(maxWords, words(text));
        // Streamed first on the first sentence: without the warm-up, that one pays for loading
        // the voices; after it, baseline first, so neither always follows the other's work.
        Result r;
        if (i == 0) {
            r = measure(streamed, text, voice);
            std::printf("first sentence of the run (streamed, %s): first audio after %.1f ms\n",
                        warmUp ? "voices warmed at start-up" : "voices NOT warmed", r.firstAudio);
            oldFirst.push_back(measure(baseline, text, voice).firstAudio);
        } else {
            oldFirst.push_back(measure(baseline, text, voice).firstAudio);
            r = measure(streamed, text, voice);
        }
        newFirst.push_back(r.firstAudio);
        newComplete.push_back(r.complete);
        double s = timeline.slack();
        slacks.push_back(s);
        if (s < 0) ++late;
        for (int k = 0; k < 5; ++k) cached.push_back(measure(streamed, text, voice).firstAudio);
    }
    double oldP50 = percentile(oldFirst, 0.5), oldP95 = percentile(oldFirst, 0.95);
    double newP50 = percentile(newFirst, 0.5), newP95 = percentile(newFirst, 0.95);
    std::printf(
        "TTS start latency (request -> first 60 ms of audio ready to play), %zu distinct cold "
        "sentences of %zu-%zu words,\n"
        "voices slt/rms/awb/kal16 in turn, %zu workers; warm-up %.0f ms\n",
        texts.size(), minWords, maxWords, workers, warm);
    std::printf(
        "  baseline (whole sentence, then play): p50 %8.1f ms  p95 %8.1f ms  max %8.1f ms\n",
        oldP50, oldP95, percentile(oldFirst, 1.0));
    std::printf(
        "  streamed (phrase by phrase, flite streaming): p50 %6.1f ms  p95 %8.1f ms  max %8.1f "
        "ms\n",
        newP50, newP95, percentile(newFirst, 1.0));
    std::printf("  streamed/baseline ratio: p50 %.3f  p95 %.3f\n", newP50 / oldP50,
                newP95 / oldP95);
    std::printf("  streamed, whole sentence synthesized: p50 %8.1f ms  p95 %8.1f ms\n",
                percentile(newComplete, 0.5), percentile(newComplete, 0.95));
    std::printf(
        "  a player started when playable: %zu of %zu sentences would wait for a late chunk; "
        "least margin %.1f ms (p5 %.1f ms)\n",
        late, texts.size(), percentile(slacks, 0.0), percentile(slacks, 0.05));
    std::printf("  cached (same sentence again): p50 %8.3f ms  p95 %8.3f ms\n",
                percentile(cached, 0.5), percentile(cached, 0.95));
    // Several calls at once, more than the workers: the last in line waits for a worker.
    std::size_t calls = 2 * workers;
    SpeechService oldBurst(
        {workers, 0, false, false},
        [](const std::string& text, const std::string& voice, const SpeechService::Sink& sink) {
            auto pcm = SpeechSynthesizer::synthesize(text, voice);
            return sink(pcm.data(), pcm.size());
        });
    SpeechService newBurst({workers, 0, false});  // no cache: every request is cold
    std::vector<double> oldB, newB;
    for (std::size_t at = 0; at + calls <= texts.size(); at += calls) {
        std::vector<std::string> group(texts.begin() + static_cast<std::ptrdiff_t>(at),
                                       texts.begin() + static_cast<std::ptrdiff_t>(at + calls));
        auto o = burst(oldBurst, group, calls);
        auto n = burst(newBurst, group, calls);
        oldB.insert(oldB.end(), o.begin(), o.end());
        newB.insert(newB.end(), n.begin(), n.end());
    }
    std::printf(
        "  %zu calls at once (%zu requests): baseline p50 %6.1f ms p95 %6.1f ms; streamed p50 "
        "%6.1f ms p95 %6.1f ms; "
        "ratio p95 %.3f\n",
        calls, newB.size(), percentile(oldB, 0.5), percentile(oldB, 0.95), percentile(newB, 0.5),
        percentile(newB, 0.95), percentile(newB, 0.95) / percentile(oldB, 0.95));
    auto s = streamed.stats();
    std::printf("  cache: %zu clips, %zu bytes; hits %llu, misses %llu\n", s.cachedClips,
                s.cachedBytes, static_cast<unsigned long long>(s.hits),
                static_cast<unsigned long long>(s.misses));
    return 0;
}
