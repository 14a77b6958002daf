#pragma once
// Call quality from the two peer connections' getStats() reports (W3C webrtc-stats), sampled once
// a second by the Client: per stream and per call round-trip time, jitter, packet loss and bitrate
// over the last interval, audio level, and a MOS from the E-model (EModel.hpp); warnings raised
// and cleared with hysteresis. docs/sdk.md "Call quality" describes what the application sees.

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
    int raiseAfter = 3;
    int clearAfter = 3;
    int silenceAfter = 5;  // silent-microphone and no-inbound-audio
    // Takes the members of `json` that are numbers within bounds; the others keep their value.
    void read(const Json& json);
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
    int update(bool condition, int raiseAfter, int clearAfter);
    bool active() const { return active_; }

  private:
    bool active_ = false;
    int run_ = 0;  // samples in a row against the current state
};

// What a sample is computed from besides the two reports (arrays of RTCStats dictionaries).
struct QualityInput {
    Json publishing;
    Json subscribing;
    // Track id, then the endpointId (MediaStream id) it belongs to, for each published and each
    // received track: the reports name tracks only (trackIdentifier).
    std::vector<std::string> tracks;
    int expectedInboundAudio = 0;  // announced remote streams with audio
    bool micEnabled = true;        // the application's last setMicEnabled
};

class CallQuality {
  public:
    struct Change {
        QualityWarning warning;
        bool raised;  // else cleared
        Json details;
    };

    void configure(const QualityThresholds& thresholds) {
        thresholds_ = thresholds;
        reset();
    }
    // The sample (getCallStats()); warnings raised or cleared by it are appended to `changes`.
    Json sample(const QualityInput& input, std::vector<Change>& changes);
    // Forgets the previous counters and the warnings' state (a new connection), silently.
    void reset();

  private:
    // Cumulative counters of one RTP stream at its previous sample, keyed by connection and
    // stats id.
    struct Counters {
        std::string key;
        double at = 0;  // the stats' timestamp, ms
        double bytes = 0;
        double packets = 0;
        double lost = 0;
        double buffered = 0;  // jitterBufferDelay, s
        double emitted = 0;   // jitterBufferEmittedCount
        double energy = 0;    // totalAudioEnergy
        bool seen = false;
    };
    // Stores `now` under `now.key` and gives its growth since the previous sample in `delta`;
    // false on the first sample and when a counter went back (a new SSRC or connection: the
    // baseline starts again).
    bool advance(const Counters& now, Counters& delta);
    struct Stream;
    void readConnection(const Json& report, bool subscribing, const QualityInput& input,
                        std::vector<Stream>& out);

    QualityThresholds thresholds_;
    std::vector<Counters> counters_;
    Hysteresis warnings_[kQualityWarnings];
    double connectionRtt_[2] = {-1, -1};  // the selected candidate pairs', per sample
    int silentStreams_ = 0;               // outbound audio without energy while the mic is on
    int receivingAudio_ = 0;              // inbound audio streams whose bytes grew
};

}  // namespace sb::sdk
