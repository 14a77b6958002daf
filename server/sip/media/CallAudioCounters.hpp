#pragma once
// The counters of one call's audio (CallAudioPipeline::Stats), shared by the pipeline and its
// room → phone path. They are written on the call's strand and read from any thread, hence
// atomics; relaxed, because each is a tally on its own.

#include <atomic>
#include <cstdint>

namespace sb::sip::media {

struct CallAudioCounters {
    using Counter = std::atomic<std::uint64_t>;

    Counter roomPacketsIn{0}, roomPacketsDropped{0}, phonePacketsIn{0}, phonePacketsDropped{0},
        phonePacketsOut{0}, janusPacketsOut{0}, framesMixed{0}, concealedFrames{0},
        playbackFrames{0}, dtmfPacketsOut{0}, dtmfDigitsIn{0}, ticks{0}, skippedTicks{0},
        callbackErrors{0}, phonePacketsForeign{0}, phonePacketsSuppressed{0}, dtmfDigitsRefused{0},
        dtmfDigitsInfo{0}, dtmfDigitsOtherSource{0};

    static void bump(Counter& c, std::uint64_t n = 1) { c.fetch_add(n, std::memory_order_relaxed); }
    static std::uint64_t read(const Counter& c) { return c.load(std::memory_order_relaxed); }

    // User callbacks must not unwind through the io_context (it would stop a server thread).
    template <typename F>
    static bool guarded(F&& f) {
        try {
            f();
            return true;
        } catch (...) {
            return false;
        }
    }
    // A user callback, guarded; one that throws is counted in callbackErrors.
    template <typename F>
    void callback(F&& f) {
        if (!guarded(f)) bump(callbackErrors);
    }
};

}  // namespace sb::sip::media
