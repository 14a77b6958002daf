#include "server/sip/media/SpeechSynthesizer.hpp"

#include <flite.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>

#include "server/sip/media/PhraseSplitter.hpp"
#include "server/sip/media/Resampler.hpp"

extern "C" {
cst_voice* register_cmu_us_slt(const char* voxdir);
cst_voice* register_cmu_us_rms(const char* voxdir);
cst_voice* register_cmu_us_awb(const char* voxdir);
cst_voice* register_cmu_us_kal16(const char* voxdir);
}

namespace sb::sip::media {

namespace {

// What flite's streaming callback feeds while one utterance of a voice is synthesized.
struct Feed {
    std::unique_ptr<Resampler> resampler;           // made at the first samples, at the wave's rate
    const SpeechSynthesizer::Sink* sink = nullptr;  // null: collect only
    std::vector<std::int16_t>* collect = nullptr;
    double gain = 1.0;
    bool stopped = false;
    std::size_t produced = 0;  // 8 kHz samples so far
};

struct Voice {
    cst_voice* voice = nullptr;
    std::mutex busy;  // flite voices carry per-synthesis state in their features
    double gain = 1.0;
    Feed* feed = nullptr;  // set while `busy` is held
};

constexpr const char* kCalibration =
    "Thank you for calling. Please press one, or stay on the line.";

std::int16_t scaled(float v, double gain) {
    return static_cast<std::int16_t>(std::clamp(std::lround(v * 32768.0 * gain), -32768L, 32767L));
}

// flite calls this with the utterance's wave as it grows (cst_audio.h); [start, start+size) is
// new. Runs on the synthesizing thread, inside flite_text_to_wave.
int onAudio(const cst_wave* w, int start, int size, int, cst_audio_streaming_info* asi) {
    auto* voice = static_cast<Voice*>(asi->userdata);
    Feed* feed = voice ? voice->feed : nullptr;
    if (!feed || size <= 0 || w->sample_rate <= 0 || w->num_channels != 1)
        return CST_AUDIO_STREAM_CONT;
    if (!feed->resampler) feed->resampler = std::make_unique<Resampler>(w->sample_rate);
    std::vector<float> in(static_cast<std::size_t>(size));
    for (int i = 0; i < size; ++i)
        in[static_cast<std::size_t>(i)] = static_cast<float>(w->samples[start + i]) / 32768.0f;
    std::vector<std::int16_t> pcm;
    feed->resampler->push(in.data(), in.size(), pcm);
    // The resampler gives floats back as int16 at unity: apply the voice's gain on the way out.
    for (auto& v : pcm) v = scaled(static_cast<float>(v) / 32768.0f, feed->gain);
    feed->produced += pcm.size();
    if (feed->collect) feed->collect->insert(feed->collect->end(), pcm.begin(), pcm.end());
    if (feed->sink && !pcm.empty() && !(*feed->sink)(pcm.data(), pcm.size())) {
        feed->stopped = true;
        return CST_AUDIO_STREAM_STOP;
    }
    return CST_AUDIO_STREAM_CONT;
}

// One utterance through flite with the voice's streaming callback feeding `feed`.
void utter(Voice& v, const std::string& text, Feed& feed) {
    std::lock_guard<std::mutex> lock(v.busy);
    v.feed = &feed;
    cst_wave* wave = flite_text_to_wave(text.c_str(), v.voice);
    v.feed = nullptr;
    if (wave) delete_wave(wave);  // its samples were all streamed already
}

// flite's voices speak at very different levels (rms peaks far lower than slt): each voice gets
// the gain that brings a reference sentence to a peak of about -2 dBFS (capped so silence stays
// silence). A fixed gain per voice, not per clip, because streamed audio is played before the
// sentence's own peak is known.
void calibrate(Voice& v) {
    std::vector<std::int16_t> pcm;
    Feed feed;
    feed.collect = &pcm;
    utter(v, kCalibration, feed);
    int peak = 0;
    for (auto s : pcm) peak = std::max(peak, std::abs(static_cast<int>(s)));
    v.gain = peak == 0 ? 1.0 : std::min(8.0, 26000.0 / peak);
}

// flite_init and the register_* functions are not thread-safe (flite.h): done once, first use.
std::map<std::string, std::unique_ptr<Voice>>& voices() {
    static std::map<std::string, std::unique_ptr<Voice>> table = [] {
        flite_init();
        std::map<std::string, std::unique_ptr<Voice>> t;
        auto add = [&t](const char* name, cst_voice* v) {
            if (!v) return;
            auto entry = std::make_unique<Voice>();
            entry->voice = v;
            // Registered once for the voice's life; the Voice says where its samples go.
            cst_audio_streaming_info* asi = new_audio_streaming_info();
            asi->asc = onAudio;
            asi->userdata = entry.get();
            flite_feat_set(v->features, "streaming_info", audio_streaming_info_val(asi));
            calibrate(*entry);
            t.emplace(name, std::move(entry));
        };
        add("slt", register_cmu_us_slt(nullptr));
        add("rms", register_cmu_us_rms(nullptr));
        add("awb", register_cmu_us_awb(nullptr));
        add("kal16", register_cmu_us_kal16(nullptr));
        return t;
    }();
    return table;
}

Voice& voiceNamed(const std::string& name) {
    auto it = voices().find(name);
    if (it == voices().end())
        throw std::invalid_argument("unknown text-to-speech voice \"" + name + "\"");
    return *it->second;
}

// The resampler's delay line, flushed at the end of the sentence, at the voice's gain.
std::vector<std::int16_t> tailOf(Feed& feed) {
    std::vector<std::int16_t> tail;
    if (feed.resampler) feed.resampler->finish(tail);
    for (auto& s : tail) s = scaled(static_cast<float>(s) / 32768.0f, feed.gain);
    return tail;
}

}  // namespace

bool SpeechSynthesizer::knownVoice(const std::string& voice) {
    return voices().count(voice) != 0;
}

void SpeechSynthesizer::warmUp() {
    (void)voices();
}

bool SpeechSynthesizer::stream(const std::string& text, const std::string& voice,
                               const Sink& sink) {
    Voice& v = voiceNamed(voice);
    Feed feed;
    feed.sink = &sink;
    feed.gain = v.gain;
    for (const auto& phrase : PhraseSplitter::split(text)) {
        utter(v, phrase, feed);
        if (feed.stopped) return false;
    }
    auto tail = tailOf(feed);
    if (feed.produced + tail.size() == 0)
        throw std::runtime_error("text to speech produced no audio");
    if (!tail.empty() && !sink(tail.data(), tail.size())) return false;
    return true;
}

std::vector<std::int16_t> SpeechSynthesizer::synthesize(const std::string& text,
                                                        const std::string& voice) {
    Voice& v = voiceNamed(voice);
    std::vector<std::int16_t> out;
    Feed feed;
    feed.collect = &out;
    feed.gain = v.gain;
    utter(v, text, feed);
    auto tail = tailOf(feed);
    out.insert(out.end(), tail.begin(), tail.end());
    if (out.empty()) throw std::runtime_error("text to speech produced no audio");
    return out;
}

}  // namespace sb::sip::media
