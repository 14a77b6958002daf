#pragma once
// Call quality from the two peer connections' getStats() reports (W3C webrtc-stats), sampled once
// a second by the Client: per stream and per call round-trip time, jitter, packet loss and bitrate
// over the last interval, audio level, and a MOS from the E-model (EModel.hpp); warnings raised
// and cleared with hysteresis. docs/sdk.md "Call quality" describes what the application sees.
// Deltas are taken against the previous sample's report of the same connection: a stream that is
// new there (its first sample), or whose counters went back (a new SSRC or connection), has no
// interval yet.

#include <string>
#include <vector>

#include "wasm/core/Json.hpp"

namespace sb::sdk {

// connect()'s `qualityThresholds` (docs/sdk.md "Call quality"). The counts are samples, one a
// second.
struct QualityThresholds {
    double rttMs = 400;        // ITU-T G.114: past 200 ms one way, interactivity suffers
    double jitterMs = 30;      // beyond what a jitter buffer absorbs unnoticed
    double packetLoss = 0.05;  // 0..1; 5 % costs Opus about 1.2 MOS (EModel.hpp)
    double mos = 3.5;          // below it, G.107 Annex B "many users dissatisfied"
    double raiseAfter = 3;
    double clearAfter = 3;
    double silenceAfter = 5;  // silent-microphone and no-inbound-audio
    // Takes the members of the JSON object `text` that are numbers within bounds; the others
    // keep their value.
    void read(const std::string& text);
};

enum class QualityWarning {
    HighRtt,
    HighJitter,
    HighPacketLoss,
    LowMos,
    SilentMicrophone,
    NoInboundAudio
};
constexpr int kQualityWarnings = 6;
// "high-rtt", "high-jitter", "high-packet-loss", "low-mos", "silent-microphone",
// "no-inbound-audio".
const char* toString(QualityWarning warning);

// One warning's state: raised after `raiseAfter` samples in a row with its condition, cleared
// after `clearAfter` samples in a row without; once each way.
class Hysteresis {
  public:
    // +1 when this sample raises the warning, -1 when it clears it, else 0.
    int update(bool condition, double raiseAfter, double clearAfter);
    bool active() const { return active_; }

  private:
    bool active_ = false;
    int run_ = 0;  // samples in a row against the current state
};

// What a sample is computed from besides the two reports.
struct QualityInput {
    // Track id, then the endpointId (MediaStream id) it belongs to, for each published and each
    // received track: the reports name tracks only (trackIdentifier).
    std::vector<std::string> tracks;
    int expectedInboundAudio = 0;  // announced remote streams with audio
    bool micEnabled = true;        // the application's last setMicEnabled
};

class CallQuality {
  public:
    void configure(const QualityThresholds& thresholds) {
        thresholds_ = thresholds;
        reset();
    }
    // One sample from the publishing and the subscribing connection's reports (getStats() as
    // JSON arrays; anything else counts as empty): the getCallStats() object. change() then
    // tells which warnings it raised or cleared.
    Json sample(const std::string& publishing, const std::string& subscribing,
                const QualityInput& input);
    // +1: `warning` was raised by the last sample, -1: cleared, 0: neither.
    int change(QualityWarning warning) const { return changes_[static_cast<int>(warning)]; }
    // A raised warning as the qualityWarning event gives it: {name, value, threshold} for the
    // measured ones, {name, seconds} for the silences.
    std::string details(QualityWarning warning) const;
    // Forgets the previous reports and the warnings' state (a new connection), silently.
    void reset();

  private:
    void read(const Json& now, const Json& before, const QualityInput& input, Json& streams);

    QualityThresholds thresholds_;
    Json previous_[2];  // the last reports: publishing, subscribing
    Hysteresis warnings_[kQualityWarnings];
    int changes_[kQualityWarnings] = {};
    // The sample being made: the call's values (-1 unknown).
    // rtt, jitter, loss, mos (the measured warnings' order), bitrate out and in, audio level out
    // and in, timestamp: one array, reset by one loop (size, bench/size/).
    double values_[9] = {};
    int silent_ = 0;     // outbound audio streams without energy while the mic is on
    int receiving_ = 0;  // inbound audio streams whose bytes grew (or first seen)
};

}  // namespace sb::sdk
