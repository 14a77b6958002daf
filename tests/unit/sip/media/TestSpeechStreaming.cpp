// SpeakSentence streamed (issue 9, first audio within 150 ms): the first samples reach the player
// before the sentence is finished, in order, without gaps; the phrase-by-phrase speech matches
// the one-shot synthesis; a reader that goes away (hang-up, a digit cutting the prompt) stops the
// synthesis without touching freed memory (run under the ASan build too).
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "server/sip/media/PhraseSplitter.hpp"
#include "server/sip/media/PlaybackQueue.hpp"
#include "server/sip/media/SpeechService.hpp"
#include "server/sip/media/SpeechSynthesizer.hpp"

using namespace sb::sip::media;
using namespace std::chrono_literals;

namespace {
// An engine the test paces: it sends `chunks` chunks of 100 samples (chunk i holds the value
// i+1), each only once the test allows it, and stops as soon as the sink says so.
struct PacedEngine {
    std::mutex m;
    std::condition_variable cv;
    int allowed = 0, sent = 0, runs = 0;
    bool stopped = false;
    int chunks = 10;
    void allow(int n) {
        std::lock_guard<std::mutex> l(m);
        allowed = n;
        cv.notify_all();
    }
    bool waitSent(int n) {
        std::unique_lock<std::mutex> l(m);
        return cv.wait_for(l, 10s, [&] { return sent >= n; });
    }
    bool waitStopped() {
        std::unique_lock<std::mutex> l(m);
        return cv.wait_for(l, 10s, [&] { return stopped; });
    }
    SpeechService::Engine engine() {
        return [this](const std::string&, const std::string&, const SpeechService::Sink& sink) {
            {
                std::lock_guard<std::mutex> l(m);
                ++runs;
            }
            for (int i = 0; i < chunks; ++i) {
                {
                    std::unique_lock<std::mutex> l(m);
                    // Polls so that a cancelled reader is noticed even when nothing is allowed.
                    while (allowed <= i) {
                        cv.wait_for(l, 5ms);
                        if (allowed <= i) {
                            l.unlock();
                            bool more = sink(nullptr, 0);
                            l.lock();
                            if (!more) break;
                        }
                    }
                }
                std::vector<std::int16_t> chunk(100, static_cast<std::int16_t>(i + 1));
                bool more = allowed > i && sink(chunk.data(), chunk.size());
                std::lock_guard<std::mutex> l(m);
                if (!more) {
                    stopped = true;
                    cv.notify_all();
                    return false;
                }
                ++sent;
                cv.notify_all();
            }
            return true;
        };
    }
};

// The paced engines' audio is all quiet (sample values 1–10): with the lead-in trimmed it would
// be held back until the phrase ends, and these tests are about streaming it as it comes.
SpeechService::Config untrimmed() {
    SpeechService::Config config{1, std::size_t{1024} * 1024};
    config.trimLead = false;
    return config;
}

double rms(const std::vector<std::int16_t>& s) {
    double sum = 0;
    for (auto v : s) sum += double(v) * v;
    return s.empty() ? 0 : std::sqrt(sum / double(s.size()));
}
}  // namespace

TEST_CASE("PhraseSplitter cuts at sentence ends and commas, keeping every character",
          "[sip][media][tts]") {
    std::string text =
        "Thank you for calling Acme, your call is important. Press 1.5 now! Or, wait";
    auto phrases = PhraseSplitter::split(text);
    REQUIRE(phrases == std::vector<std::string>{"Thank you for calling Acme, ",
                                                "your call is important. ", "Press 1.5 now! ",
                                                "Or, wait"});  // "Or," is too short a phrase
    std::string words;
    for (int i = 0; i < 40; ++i) words += "word ";
    auto cut = PhraseSplitter::split(words);
    REQUIRE(cut.size() == 3);  // 16 + 16 + 8 words
    std::string joined;
    for (auto& p : cut) joined += p;
    CHECK(joined == words);
    CHECK(PhraseSplitter::split("").empty());
    CHECK(PhraseSplitter::split("Hello.  ") == std::vector<std::string>{"Hello.  "});
}

TEST_CASE("The first chunk reaches the reader before the sentence is finished, in order",
          "[sip][media][tts]") {
    PacedEngine paced;
    SpeechService service(untrimmed(), paced.engine());
    auto reader = service.speak("hello there", "slt");
    auto& stream = reader->stream();
    paced.allow(1);
    REQUIRE(stream.waitForSamples(100, 10s));
    CHECK(stream.state() == SpeechStream::State::Growing);  // the rest is not even allowed yet
    std::int16_t buf[300];
    std::size_t n = 0;
    CHECK(stream.read(0, buf, 300, n) == SpeechStream::State::Growing);
    CHECK(n == 100);
    CHECK(buf[0] == 1);
    paced.allow(10);
    REQUIRE(stream.waitFinished(10s));
    CHECK(stream.state() == SpeechStream::State::Complete);
    REQUIRE(stream.size() == 1000);
    for (std::size_t i = 0; i < 1000; ++i)
        REQUIRE(stream.samples()[i] == static_cast<std::int16_t>(i / 100 + 1));
    // The finished sentence is cached: the next request gets it complete, with no synthesis.
    auto again = service.speak("hello there", "slt");
    CHECK(again->stream().state() == SpeechStream::State::Complete);
    CHECK(&again->stream() == &stream);
    CHECK(paced.runs == 1);
}

TEST_CASE("The player waits for a late frame instead of playing a gap", "[sip][media][tts]") {
    auto stream = std::make_shared<SpeechStream>();
    PlaybackQueue q;
    std::vector<bool> done;
    q.enqueueStream(std::make_shared<SpeechStream::Reader>(stream), PlayMode::Replace,
                    [&](bool c) { done.push_back(c); });
    PcmFrame f;
    f.fill(5);
    REQUIRE(q.apply(f));  // nothing yet: silence in place of the room, the clip still waits
    CHECK(f[0] == 0);
    std::vector<std::int16_t> a(300, 7), b(300, 9);
    stream->append(a.data(), a.size());
    REQUIRE(q.apply(f));  // 300 samples: less than the 60 ms it starts with
    CHECK(f[0] == 0);
    CHECK(q.underruns() == 0);  // the start is latency, not an underrun
    stream->append(b.data(), b.size());
    REQUIRE(q.apply(f));  // 600: playable
    CHECK(f[0] == 7);
    CHECK(f[159] == 7);
    REQUIRE(q.apply(f));
    CHECK(f[139] == 7);
    CHECK(f[140] == 9);  // in order, nothing skipped
    REQUIRE(q.apply(f));
    CHECK(f[0] == 9);
    REQUIRE(q.apply(f));  // 120 left of 600, the stream still growing: wait, not part of a frame
    CHECK(f[0] == 0);
    CHECK(q.underruns() == 1);
    stream->finish();
    REQUIRE(q.apply(f));  // complete: the last 120 samples, nothing lost
    CHECK(f[0] == 9);
    CHECK(f[119] == 9);
    CHECK(f[120] == 0);
    CHECK(done.empty());
    CHECK_FALSE(q.apply(f));
    CHECK(done == std::vector<bool>{true});
}

TEST_CASE("A short sentence plays once complete even below the start amount", "[sip][media][tts]") {
    auto stream = std::make_shared<SpeechStream>();
    PlaybackQueue q;
    bool completed = false;
    q.enqueueStream(std::make_shared<SpeechStream::Reader>(stream), PlayMode::Mix,
                    [&](bool c) { completed = c; });
    std::vector<std::int16_t> a(100, 7);
    stream->append(a.data(), a.size());
    PcmFrame f;
    f.fill(5);
    REQUIRE(q.apply(f));
    CHECK(f[0] == 5);  // mixed: waiting leaves the room audio as it is
    stream->finish();
    REQUIRE(q.apply(f));
    CHECK(f[0] == 12);
    CHECK(f[100] == 5);
    CHECK_FALSE(q.apply(f));
    CHECK(completed);
}

TEST_CASE("Dropping the last reader cancels the synthesis; the sentence is not cached",
          "[sip][media][tts]") {
    PacedEngine paced;
    SpeechService service(untrimmed(), paced.engine());
    {
        PlaybackQueue q;  // the call's player, as a digit or a hang-up stops it
        std::vector<bool> done;
        q.enqueueStream(std::shared_ptr<SpeechStream::Reader>(service.speak("press one", "slt")),
                        PlayMode::Replace, [&](bool c) { done.push_back(c); });
        paced.allow(2);
        REQUIRE(paced.waitSent(2));
        q.stop();
        CHECK(done == std::vector<bool>{false});
    }
    REQUIRE(paced.waitStopped());
    for (int i = 0; i < 200 && service.stats().cancelled == 0; ++i)
        std::this_thread::sleep_for(5ms);
    CHECK(service.stats().cancelled == 1);
    CHECK(service.stats().failures == 0);
    CHECK(service.stats().cachedClips == 0);
    // Asked again: synthesized anew, to the end.
    paced.allow(10);
    auto reader = service.speak("press one", "slt");
    REQUIRE(reader->stream().waitFinished(10s));
    CHECK(reader->stream().state() == SpeechStream::State::Complete);
    CHECK(paced.runs == 2);
}

TEST_CASE("A second listener keeps a shared synthesis going when the first leaves",
          "[sip][media][tts]") {
    PacedEngine paced;
    SpeechService service(untrimmed(), paced.engine());
    auto first = service.speak("hold please", "slt");
    auto second = service.speak("hold please", "slt");
    CHECK(&first->stream() == &second->stream());
    first.reset();
    paced.allow(10);
    REQUIRE(second->stream().waitFinished(10s));
    CHECK(second->stream().state() == SpeechStream::State::Complete);
    CHECK(paced.runs == 1);
    CHECK(service.stats().cachedClips == 1);
}

TEST_CASE("Destroying the service mid-synthesis ends every stream", "[sip][media][tts]") {
    auto paced = std::make_unique<PacedEngine>();
    std::shared_ptr<SpeechStream::Reader> running, queued;
    {
        SpeechService service(untrimmed(), paced->engine());
        running = service.speak("one", "slt");
        queued = service.speak("two", "slt");  // behind it on the one worker
        paced->allow(1);
        REQUIRE(paced->waitSent(1));
    }
    CHECK(running->stream().state() == SpeechStream::State::Failed);
    CHECK(queued->stream().state() == SpeechStream::State::Failed);
    CHECK_FALSE(queued->stream().error().empty());
}

TEST_CASE("flite streams a sentence in many chunks, the first long before the end",
          "[sip][media][tts]") {
    SpeechSynthesizer::warmUp();
    const std::string text =
        "Thank you for calling Acme Insurance, your call is important to us. "
        "Please stay on the line and the next available agent will answer.";
    std::vector<std::int16_t> streamed;
    int chunks = 0;
    REQUIRE(SpeechSynthesizer::stream(text, "slt", [&](const std::int16_t* s, std::size_t n) {
        ++chunks;
        streamed.insert(streamed.end(), s, s + n);
        return true;
    }));
    CHECK(chunks > 20);
    // Stopped by its sink after the first chunk: flite stops there (no more phrases either).
    int calls = 0;
    CHECK_FALSE(SpeechSynthesizer::stream(
        text, "slt", [&](const std::int16_t*, std::size_t) { return ++calls < 1; }));
    CHECK(calls == 1);
}

TEST_CASE("Phrase-by-phrase speech matches the one-shot synthesis in length and level",
          "[sip][media][tts]") {
    const char* texts[] = {
        // One element in two literals: the parentheses say so to clang's -Wstring-concatenation.
        ("Thank you for calling Acme Insurance, your call is important to us, please stay on the "
         "line."),
        "To check the status of an existing claim, press one. For billing, press two.",
        "Please enter your twelve digit account number followed by the pound key."};
    for (const char* voice : {"slt", "rms", "awb", "kal16"}) {
        for (const char* text : texts) {
            INFO(voice << ": " << text);
            auto whole = SpeechSynthesizer::synthesize(text, voice);
            std::vector<std::int16_t> streamed;
            REQUIRE(
                SpeechSynthesizer::stream(text, voice, [&](const std::int16_t* s, std::size_t n) {
                    streamed.insert(streamed.end(), s, s + n);
                    return true;
                }));
            double lengthRatio = double(streamed.size()) / double(whole.size());
            double levelRatio = rms(streamed) / rms(whole);
            CHECK(lengthRatio > 0.85);
            CHECK(lengthRatio < 1.25);  // each phrase ends in a short pause of its own
            CHECK(levelRatio > 0.8);
            CHECK(levelRatio < 1.25);
            // One phrase: one flite utterance either way, so exactly as long.
            if (PhraseSplitter::split(text).size() == 1) CHECK(streamed.size() == whole.size());
        }
    }
}

TEST_CASE(
    "The workers take phrases in turn: a new sentence waits for one phrase, not a whole sentence",
    "[sip][media][tts]") {
    std::mutex m;
    std::vector<std::string> order;
    SpeechService service(
        {1, std::size_t{1024} * 1024},
        [&](const std::string& phrase, const std::string&, const SpeechService::Sink& sink) {
            std::this_thread::sleep_for(
                50ms);  // long enough for the second request to arrive meanwhile
            {
                std::lock_guard<std::mutex> l(m);
                order.push_back(phrase);
            }
            std::vector<std::int16_t> pcm(600, 1);
            return sink(pcm.data(), pcm.size());
        });
    auto a = service.speak("Welcome to Acme. Our offices are open. Please hold.", "slt");
    auto b = service.speak("Press one.", "rms");
    REQUIRE(a->stream().waitFinished(10s));
    REQUIRE(b->stream().waitFinished(10s));
    CHECK(order == std::vector<std::string>{"Welcome to Acme. ", "Press one.",
                                            "Our offices are open. ", "Please hold."});
    CHECK(a->stream().size() == std::size_t{3} * 600);  // every phrase, in order, in one stream
    CHECK(service.stats().cachedClips == 2);
}
