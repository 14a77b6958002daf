#include "wasm/core/CallQuality.hpp"

#include <algorithm>

#include "wasm/core/EModel.hpp"

namespace sb::sdk {

namespace {

const Json kNone;

// -1 stands for "not in the report" throughout; the sample shows it as null.
double num(const Json& v) {
    return v.asNumber(-1);
}
// Seconds (webrtc-stats' unit for jitter and round-trip times) to ms.
double ms(const Json& v) {
    return v.isNumber() ? v.asNumber() * 1000 : -1;
}
Json value(double v) {
    return v < 0 ? Json() : Json(v);
}

const Json& byId(const Json& report, const std::string& id) {
    for (const auto& s : report.values())
        if (!id.empty() && s["id"].asString() == id) return s;
    return kNone;
}

}  // namespace

const char* toString(QualityWarning warning) {
    static const char* const names[] = {"high-rtt", "high-jitter",       "high-packet-loss",
                                        "low-mos",  "silent-microphone", "no-inbound-audio"};
    return names[static_cast<int>(warning)];
}

void QualityThresholds::read(const Json& json) {
    auto take = [&json](std::string_view key, double low, double high, double value) {
        const Json& v = json[key];
        return v.isNumber() && v.asNumber() >= low && v.asNumber() <= high ? v.asNumber() : value;
    };
    rttMs = take("rttMs", 1, 60000, rttMs);
    jitterMs = take("jitterMs", 1, 10000, jitterMs);
    packetLoss = take("packetLoss", 0.001, 1, packetLoss);
    mos = take("mos", 1, 4.5, mos);
    raiseAfter = static_cast<int>(take("raiseAfter", 1, 60, raiseAfter));
    clearAfter = static_cast<int>(take("clearAfter", 1, 60, clearAfter));
    silenceAfter = static_cast<int>(take("silenceAfter", 1, 60, silenceAfter));
}

int Hysteresis::update(bool condition, int raiseAfter, int clearAfter) {
    if (condition == active_) {
        run_ = 0;
        return 0;
    }
    if (++run_ < (active_ ? clearAfter : raiseAfter)) return 0;
    active_ = condition;
    run_ = 0;
    return active_ ? 1 : -1;
}

// One RTP stream of a sample; -1: unknown.
struct CallQuality::Stream {
    std::string endpointId;
    bool inbound = false;
    bool audio = false;
    double rtt = -1;
    double jitter = -1;
    double loss = -1;
    double kbps = -1;
    double level = -1;
    double bufferMs = -1;  // the jitter buffer's delay over the interval
    double mos = -1;
    double at = -1;
    emodel::Codec codec = emodel::kOpus;
};

void CallQuality::reset() {
    counters_.clear();
    for (auto& w : warnings_) w = Hysteresis{};
}

bool CallQuality::advance(const Counters& now, Counters& delta) {
    auto it = std::find_if(counters_.begin(), counters_.end(),
                           [&now](const Counters& c) { return c.key == now.key; });
    if (it == counters_.end()) {
        counters_.push_back(now);
        counters_.back().seen = true;
        return false;
    }
    Counters before = *it;
    *it = now;
    it->seen = true;
    if (now.bytes < before.bytes || now.packets < before.packets || now.at <= before.at)
        return false;
    delta.at = now.at - before.at;
    delta.bytes = now.bytes - before.bytes;
    delta.packets = now.packets - before.packets;
    delta.lost = now.lost - before.lost;  // packetsLost may go down (duplicates, RFC 3550 §6.4.1)
    delta.buffered = now.buffered - before.buffered;
    delta.emitted = now.emitted - before.emitted;
    delta.energy = now.energy - before.energy;
    return true;
}

// The report's RTP streams (W3C webrtc-stats §3): inbound-rtp with its own counters; outbound-rtp
// with the far end's RTCP receiver reports (remote-inbound-rtp, whose localId names it) and its
// microphone or camera (media-source).
void CallQuality::readConnection(const Json& report, bool subscribing, const QualityInput& input,
                                 std::vector<Stream>& out) {
    double& pairRtt = connectionRtt_[subscribing ? 1 : 0];
    pairRtt = -1;
    for (const auto& s : report.values()) {
        const std::string& type = s["type"].asString();
        // The nominated pair is the one ICE uses (RFC 8445 §8.1.1).
        if (type == "candidate-pair" && s["nominated"].asBool())
            pairRtt = std::max(pairRtt, ms(s["currentRoundTripTime"]));
        bool inbound = type == "inbound-rtp";
        if (!inbound && type != "outbound-rtp") continue;
        const std::string& id = s["id"].asString();
        Stream st;
        st.inbound = inbound;
        st.audio = s["kind"].asString() == "audio";
        Counters now;
        now.key = (subscribing ? "s" : "p") + id;
        now.at = st.at = num(s["timestamp"]);
        const Json* source = &s;
        if (inbound) {
            now.bytes = num(s["bytesReceived"]);
            now.packets = num(s["packetsReceived"]);
            now.lost = num(s["packetsLost"]);
            now.buffered = num(s["jitterBufferDelay"]);
            now.emitted = num(s["jitterBufferEmittedCount"]);
            st.jitter = ms(s["jitter"]);
        } else {
            const Json* remote = &kNone;
            for (const auto& r : report.values())
                if (r["type"].asString() == "remote-inbound-rtp" && r["localId"].asString() == id)
                    remote = &r;
            source = &byId(report, s["mediaSourceId"].asString());
            now.bytes = num(s["bytesSent"]);
            now.packets = num(s["packetsSent"]);
            now.lost = num((*remote)["packetsLost"]);
            st.rtt = ms((*remote)["roundTripTime"]);
            st.jitter = ms((*remote)["jitter"]);
        }
        now.energy = num((*source)["totalAudioEnergy"]);
        st.level = num((*source)["audioLevel"]);
        const std::string& track = (*source)["trackIdentifier"].asString();
        for (std::size_t i = 0; i + 1 < input.tracks.size(); i += 2)
            if (input.tracks[i] == track) st.endpointId = input.tracks[i + 1];
        const std::string& mime = byId(report, s["codecId"].asString())["mimeType"].asString();
        if (mime == "audio/PCMU" || mime == "audio/PCMA") st.codec = emodel::kG711;
        Counters d;
        bool interval = advance(now, d);
        if (interval) {
            st.kbps = d.bytes * 8 / d.at;  // bits per ms are kbit/s
            // Lost over lost + received inbound; over sent outbound, as the far end reports it.
            double total = inbound ? d.packets + d.lost : d.packets;
            if (total > 0) st.loss = std::clamp(d.lost / total, 0.0, 1.0);
            if (d.emitted > 0) st.bufferMs = d.buffered / d.emitted * 1000;
        }
        if (st.audio && inbound && (!interval || d.bytes > 0)) ++receivingAudio_;
        // No energy at all: every sample was zero (a muted or dead device, another application
        // holding it).
        if (st.audio && !inbound && interval && now.energy >= 0 && d.energy <= 0 &&
            input.micEnabled)
            ++silentStreams_;
        out.push_back(std::move(st));
    }
}

Json CallQuality::sample(const QualityInput& input, std::vector<Change>& changes) {
    for (auto& c : counters_) c.seen = false;
    silentStreams_ = 0;
    receivingAudio_ = 0;
    std::vector<Stream> streams;
    readConnection(input.publishing, false, input, streams);
    readConnection(input.subscribing, true, input, streams);
    counters_.erase(std::remove_if(counters_.begin(), counters_.end(),
                                   [](const Counters& c) { return !c.seen; }),
                    counters_.end());

    double rtt = std::max(connectionRtt_[0], connectionRtt_[1]);
    for (const auto& s : streams) rtt = std::max(rtt, s.rtt);
    double jitter = -1, loss = -1, mos = -1, at = -1;
    double kbps[2] = {-1, -1}, level[2] = {-1, -1};  // [inbound]
    Json list = Json::array();
    for (auto& s : streams) {
        // An inbound stream has no RTCP round trip of its own: its connection's ICE one.
        if (s.rtt < 0) s.rtt = connectionRtt_[s.inbound ? 1 : 0];
        if (s.rtt < 0) s.rtt = rtt;
        if (s.audio && s.loss >= 0) {
            // Mouth to ear (Ta): half the round trip plus the jitter buffer's delay, measured
            // where the stream is received here, else taken as twice the jitter (what adaptive
            // jitter buffers aim at). Capture, codec and playout delays are not in the reports.
            double buffer = s.bufferMs >= 0 ? s.bufferMs : std::max(2 * s.jitter, 0.0);
            double r = emodel::rating(std::max(s.rtt, 0.0) / 2 + buffer, s.loss * 100, s.codec);
            s.mos = emodel::mos(r);
            mos = mos < 0 ? s.mos : std::min(mos, s.mos);
        }
        if (s.audio) {
            jitter = std::max(jitter, s.jitter);
            loss = std::max(loss, s.loss);
            level[s.inbound] = std::max(level[s.inbound], s.level);
        }
        if (s.kbps >= 0) kbps[s.inbound] = std::max(kbps[s.inbound], 0.0) + s.kbps;
        at = std::max(at, s.at);
        Json j = Json::object();
        j.set("endpointId", s.endpointId);
        j.set("direction", s.inbound ? "inbound" : "outbound");
        j.set("kind", s.audio ? "audio" : "video");
        j.set("rttMs", value(s.rtt));
        j.set("jitterMs", value(s.jitter));
        j.set("packetLoss", value(s.loss));
        j.set("bitrateKbps", value(s.kbps));
        j.set("audioLevel", value(s.level));
        j.set("mos", value(s.mos));
        list.push(std::move(j));
    }
    Json out = Json::object();
    out.set("timestamp", value(at));
    out.set("rttMs", value(rtt));
    out.set("jitterMs", value(jitter));
    out.set("packetLoss", value(loss));
    Json bitrate = Json::object();
    bitrate.set("inbound", value(kbps[1]));
    bitrate.set("outbound", value(kbps[0]));
    out.set("bitrateKbps", std::move(bitrate));
    Json levels = Json::object();
    levels.set("inbound", value(level[1]));
    levels.set("outbound", value(level[0]));
    out.set("audioLevel", std::move(levels));
    out.set("mos", value(mos));
    out.set("streams", std::move(list));

    const QualityThresholds& t = thresholds_;
    const double values[] = {rtt, jitter, loss, mos};
    const double limits[] = {t.rttMs, t.jitterMs, t.packetLoss, t.mos};
    const bool conditions[] = {rtt > t.rttMs, jitter > t.jitterMs, loss > t.packetLoss,
                               mos >= 0 && mos<t.mos, silentStreams_> 0,
                               receivingAudio_ < input.expectedInboundAudio};
    for (int i = 0; i < kQualityWarnings; ++i) {
        int change =
            warnings_[i].update(conditions[i], i < 4 ? t.raiseAfter : t.silenceAfter, t.clearAfter);
        if (!change) continue;
        Json details = Json::object();
        if (i < 4) {
            details.set("value", values[i]);
            details.set("threshold", limits[i]);
        } else {
            details.set("seconds", t.silenceAfter);
        }
        changes.push_back({static_cast<QualityWarning>(i), change > 0, std::move(details)});
    }
    return out;
}

}  // namespace sb::sdk
