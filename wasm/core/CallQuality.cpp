#include "wasm/core/CallQuality.hpp"

#include "wasm/core/EModel.hpp"

namespace sb::sdk {

namespace {

const Json kNone;

// The helpers below are called from many places: out of line, each call is a few bytes of the
// wasm (bench/size/). Keys are C strings, measured inside: a std::string_view argument is built in
// memory at every call site. max/min by value: std::max's references make its operands spill.

double hi(double a, double b) {
    return a < b ? b : a;
}
double lo(double a, double b) {
    return b < a ? b : a;
}
// Member `key` of a stats dictionary (null when it is not there).
[[gnu::noinline]] const Json& at(const Json& stats, const char* key) {
    return stats[std::string_view(key)];
}
// The same as a number, -1 when it is not one ("unknown" throughout).
[[gnu::noinline]] double num(const Json& stats, const char* key) {
    return at(stats, key).asNumber(-1);
}
// The same in ms, from seconds (webrtc-stats' unit for jitter and round-trip times).
[[gnu::noinline]] double ms(const Json& stats, const char* key) {
    double v = num(stats, key);
    return v < 0 ? v : v * 1000;
}
// The growth of counter `key` since the previous report's dictionary of the same stream.
// Unknown (-2 or less) when either dictionary lacks the counter: before the far end's first RTCP
// receiver report, or at the first one, a missing count is not a count of 0.
[[gnu::noinline]] double grown(const Json& now, const Json& before, const char* key) {
    double a = num(now, key), b = num(before, key);
    return a < 0 || b < 0 ? -2 : a - b;
}
[[gnu::noinline]] void put(Json& object, const char* key, double v) {
    object.set(key, v < 0 ? Json() : Json(v));
}
[[gnu::noinline]] void put(Json& object, const char* key, const char* text) {
    object.set(key, text);
}
// {inbound: v[1], outbound: v[0]} as member `key`.
[[gnu::noinline]] void both(Json& object, const char* key, const double* v) {
    Json& j = object.set(key, Json::object());  // built where it lies (size, bench/size/)
    put(j, "inbound", v[1]);
    put(j, "outbound", v[0]);
}
[[gnu::noinline]] bool is(const Json& stats, const char* key, const char* value) {
    return at(stats, key).asString() == value;
}
// The dictionary of `report` whose `key` is member `from` of `stats` (its id, or a
// remote-inbound-rtp's localId).
[[gnu::noinline]] const Json& find(const Json& report, const char* key, const Json& stats,
                                   const char* from) {
    const std::string& value = at(stats, from).asString();
    for (const auto& s : report.values())
        if (!value.empty() && is(s, key, value.c_str())) return s;
    return kNone;
}
// The thresholds in connect()'s names' order, as member pointers: a table in the data rather
// than addresses stored at run time.
constexpr double QualityThresholds::*kThresholds[] = {
    &QualityThresholds::rttMs,       &QualityThresholds::jitterMs,   &QualityThresholds::packetLoss,
    &QualityThresholds::mos,         &QualityThresholds::raiseAfter, &QualityThresholds::clearAfter,
    &QualityThresholds::silenceAfter};
Json parse(const std::string& text) {
    auto json = Json::parse(text);
    return json && json->isArray() ? std::move(*json) : Json::array();
}

}  // namespace

const char* toString(QualityWarning warning) {
    static const char* const names[] = {"high-rtt", "high-jitter",       "high-packet-loss",
                                        "low-mos",  "silent-microphone", "no-inbound-audio"};
    return names[static_cast<int>(warning)];
}

void QualityThresholds::read(const std::string& text) {
    auto json = Json::parse(text);
    if (!json) return;
    static const char* const names[] = {"rttMs",      "jitterMs",   "packetLoss",  "mos",
                                        "raiseAfter", "clearAfter", "silenceAfter"};
    static const double low[] = {1, 1, 0.001, 1, 1, 1, 1};
    static const double high[] = {60000, 10000, 1, 4.5, 60, 60, 60};
    for (int i = 0; i < 7; ++i) {
        double v = num(*json, names[i]);
        if (v >= low[i] && v <= high[i]) this->*kThresholds[i] = i < 4 ? v : static_cast<int>(v);
    }
}

int Hysteresis::update(bool condition, double raiseAfter, double clearAfter) {
    if (condition == active_) {
        run_ = 0;
        return 0;
    }
    if (++run_ < (active_ ? clearAfter : raiseAfter)) return 0;
    active_ = condition;
    run_ = 0;
    return active_ ? 1 : -1;
}

void CallQuality::reset() {
    for (auto& p : previous_) p = Json();
    for (auto& w : warnings_) w = {};
}

// The report's RTP streams (W3C webrtc-stats §3): inbound-rtp with its own counters; outbound-rtp
// with the far end's RTCP receiver reports (the remote-inbound-rtp whose localId names it) and
// its microphone or camera (media-source). An inbound stream has no RTCP round trip of its own:
// it takes its connection's ICE one (the nominated candidate pair's, RFC 8445 §8.1.1).
void CallQuality::read(const Json& now, const Json& before, const QualityInput& input,
                       Json& streams) {
    double pairRtt = -1;
    for (const auto& s : now.values())
        if (is(s, "type", "candidate-pair") && at(s, "nominated").asBool())
            pairRtt = hi(pairRtt, ms(s, "currentRoundTripTime"));
    for (const auto& s : now.values()) {
        bool inbound = is(s, "type", "inbound-rtp");
        if (!inbound && !is(s, "type", "outbound-rtp")) continue;
        bool audio = is(s, "kind", "audio");
        const Json& was = find(before, "id", s, "id");
        const Json& remote = inbound ? s : find(now, "localId", s, "id");
        // Inbound, remote and source are the stream itself: remoteWas and sourceWas are `was`.
        const Json& remoteWas = find(before, "id", remote, "id");
        const Json& source = inbound ? s : find(now, "id", s, "mediaSourceId");
        const Json& sourceWas = find(before, "id", source, "id");
        double dt = grown(s, was, "timestamp");
        double bytes = grown(s, was, inbound ? "bytesReceived" : "bytesSent");
        double packets = grown(s, was, inbound ? "packetsReceived" : "packetsSent");
        bool interval = was.isObject() && dt > 0 && bytes >= 0 && packets >= 0;
        double rtt = ms(remote, "roundTripTime");
        if (rtt < 0) rtt = pairRtt;
        if (rtt < 0) rtt = values_[0];  // the call's so far (the publishing connection's)
        double jitter = ms(remote, "jitter");
        double level = num(source, "audioLevel");
        double loss = -1, kbps = -1, mos = -1;
        // The jitter buffer's delay, measured where this device receives; else taken as twice
        // the jitter (what adaptive jitter buffers aim at).
        double buffer = hi(2 * jitter, 0);
        if (interval) {
            kbps = bytes * 8 / dt;  // bits per ms are kbit/s
            // Lost over lost + received inbound; over sent outbound, as the far end reports it.
            // packetsLost may go down (duplicates, RFC 3550 §6.4.1).
            double lost = grown(remote, remoteWas, "packetsLost");
            double total = inbound ? packets + lost : packets;
            if (total > 0 && lost > -2) loss = lo(hi(lost / total, 0), 1);
            double emitted = grown(s, was, "jitterBufferEmittedCount");
            if (emitted > 0) buffer = hi(grown(s, was, "jitterBufferDelay"), 0) / emitted * 1000;
        }
        if (audio) {
            if (loss >= 0) {
                // Mouth to ear (Ta): half the round trip plus the jitter buffer. Capture, codec
                // and playout delays are not in the reports.
                mos = emodel::mos(emodel::rating(hi(rtt, 0) / 2 + buffer, loss * 100));
                values_[3] = values_[3] < 0 ? mos : lo(values_[3], mos);
            }
            values_[1] = hi(values_[1], jitter);
            values_[2] = hi(values_[2], loss);
            values_[6 + inbound] = hi(values_[6 + inbound], level);
            if (inbound && (!interval || bytes > 0)) ++receiving_;
            // No energy at all: every sample was zero (a muted or dead device, another
            // application holding it).
            double energy = num(source, "totalAudioEnergy");
            if (!inbound && interval && energy >= 0 &&
                energy <= num(sourceWas, "totalAudioEnergy") && input.micEnabled)
                ++silent_;
        }
        values_[0] = hi(values_[0], rtt);
        if (kbps >= 0) values_[4 + inbound] = hi(values_[4 + inbound], 0) + kbps;
        values_[8] = hi(values_[8], num(s, "timestamp"));
        const char* endpoint = "";
        const std::string& track = at(source, "trackIdentifier").asString();
        for (std::size_t i = 0; i + 1 < input.tracks.size(); i += 2)
            if (input.tracks[i] == track) endpoint = input.tracks[i + 1].c_str();
        Json& j = streams.push(Json::object());  // built where it lies (size, bench/size/)
        put(j, "endpointId", endpoint);
        put(j, "direction", inbound ? "inbound" : "outbound");
        put(j, "kind", audio ? "audio" : "video");
        put(j, "rttMs", rtt);
        put(j, "jitterMs", jitter);
        put(j, "packetLoss", loss);
        put(j, "bitrateKbps", kbps);
        put(j, "audioLevel", audio ? level : -1);
        put(j, "mos", mos);
    }
    values_[0] = hi(values_[0], pairRtt);
}

Json CallQuality::sample(const std::string& publishing, const std::string& subscribing,
                         const QualityInput& input) {
    for (double& v : values_) v = -1;
    silent_ = receiving_ = 0;
    Json streams = Json::array();
    Json reports[2] = {parse(publishing), parse(subscribing)};
    for (int c = 0; c < 2; ++c) {
        read(reports[c], previous_[c], input, streams);
        previous_[c] = std::move(reports[c]);
    }
    Json out = Json::object();
    put(out, "timestamp", values_[8]);
    put(out, "rttMs", values_[0]);
    put(out, "jitterMs", values_[1]);
    put(out, "packetLoss", values_[2]);
    both(out, "bitrateKbps", values_ + 4);
    both(out, "audioLevel", values_ + 6);
    put(out, "mos", values_[3]);
    out.set("streams", std::move(streams));

    const QualityThresholds& t = thresholds_;
    const bool conditions[] = {values_[0] > t.rttMs, values_[1] > t.jitterMs,
                               values_[2] > t.packetLoss, values_[3]<t.mos, silent_> 0,
                               receiving_ < input.expectedInboundAudio};
    for (int i = 0; i < kQualityWarnings; ++i)
        // A measured value that is unknown this time (no packets at all, an unreadable report)
        // neither raises nor clears: a total outage must not read as the loss having gone.
        changes_[i] = i < 4 && values_[i] < 0
                          ? 0
                          : warnings_[i].update(
                                conditions[i], i < 4 ? t.raiseAfter : t.silenceAfter, t.clearAfter);
    return out;
}

std::string CallQuality::details(QualityWarning warning) const {
    int i = static_cast<int>(warning);
    Json j = Json::object();
    put(j, "name", toString(warning));
    if (i < 4) {
        put(j, "value", values_[i]);
        put(j, "threshold", thresholds_.*kThresholds[i]);
    } else {
        put(j, "seconds", thresholds_.silenceAfter);
    }
    return j.dump();
}

}  // namespace sb::sdk
