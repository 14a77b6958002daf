#include "server/sip/media/SpeechSynthesizer.hpp"

#include <flite.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>

#include "server/sip/media/Resampler.hpp"

extern "C" {
cst_voice* register_cmu_us_slt(const char* voxdir);
cst_voice* register_cmu_us_rms(const char* voxdir);
cst_voice* register_cmu_us_awb(const char* voxdir);
cst_voice* register_cmu_us_kal16(const char* voxdir);
}

namespace sb::sip::media {

namespace {

struct Voice {
    cst_voice* voice = nullptr;
    std::mutex busy;  // flite voices carry per-synthesis state in their features
};

// flite_init and the register_* functions are not thread-safe (flite.h): done once, first use.
std::map<std::string, std::unique_ptr<Voice>>& voices() {
    static std::map<std::string, std::unique_ptr<Voice>> table = [] {
        flite_init();
        std::map<std::string, std::unique_ptr<Voice>> t;
        auto add = [&t](const char* name, cst_voice* v) {
            if (!v) return;
            auto entry = std::make_unique<Voice>();
            entry->voice = v;
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

struct WaveDeleter {
    void operator()(cst_wave* w) const { delete_wave(w); }
};

// flite's voices speak at very different levels (rms peaks far lower than slt): every clip is
// brought to the same peak, about -3 dBFS, with the gain capped so silence stays silence.
void normalize(std::vector<std::int16_t>& pcm) {
    int peak = 0;
    for (auto v : pcm) peak = std::max(peak, std::abs(static_cast<int>(v)));
    if (peak == 0) return;
    double gain = std::min(8.0, 23000.0 / peak);
    for (auto& v : pcm)
        v = static_cast<std::int16_t>(std::clamp(std::lround(v * gain), -32768L, 32767L));
}

}  // namespace

bool SpeechSynthesizer::knownVoice(const std::string& voice) { return voices().count(voice) != 0; }

std::vector<std::int16_t> SpeechSynthesizer::synthesize(const std::string& text, const std::string& voice) {
    auto it = voices().find(voice);
    if (it == voices().end()) throw std::invalid_argument("unknown text-to-speech voice \"" + voice + "\"");
    std::unique_ptr<cst_wave, WaveDeleter> wave;
    {
        std::lock_guard<std::mutex> lock(it->second->busy);
        wave.reset(flite_text_to_wave(text.c_str(), it->second->voice));
    }
    if (!wave || wave->num_samples <= 0 || wave->num_channels != 1 || wave->sample_rate <= 0)
        throw std::runtime_error("text to speech produced no audio");
    std::vector<std::int16_t> pcm(wave->samples, wave->samples + wave->num_samples);
    auto out = Resampler::to8k(pcm, wave->sample_rate);
    normalize(out);
    return out;
}

}  // namespace sb::sip::media
