// Call quality from getStats() reports (wasm/core/CallQuality.hpp): the deltas over an interval
// (first sample, counters that start again), the per-stream and per-call values, and the warnings'
// hysteresis (raised once, cleared once). The reports are built as the browsers give them (W3C
// webrtc-stats dictionaries with their units: seconds for jitter and round trips).
#include <catch2/catch.hpp>
#include <initializer_list>
#include <utility>

#include "wasm/core/CallQuality.hpp"
#include "wasm/core/EModel.hpp"

using namespace sb::sdk;
using Catch::Detail::Approx;

namespace {

Json stat(std::initializer_list<std::pair<const char*, Json>> members) {
    Json j = Json::object();
    for (const auto& [k, v] : members) j.set(k, v);
    return j;
}

// An inbound audio stream at `t` seconds: cumulative bytes, packets received and lost.
Json inboundAudio(double t, double bytes, double received, double lost, double jitterS = 0.002) {
    return stat({{"type", "inbound-rtp"},
                 {"id", "IT1"},
                 {"kind", "audio"},
                 {"timestamp", t * 1000},
                 {"trackIdentifier", "remote-track"},
                 {"bytesReceived", bytes},
                 {"packetsReceived", received},
                 {"packetsLost", lost},
                 {"jitter", jitterS},
                 {"audioLevel", 0.25},
                 {"jitterBufferDelay", t * 50 * 0.04},  // 40 ms per emitted sample
                 {"jitterBufferEmittedCount", t * 50}});
}

// An outbound audio stream at `t` seconds, its microphone in the media-source "MS1": cumulative
// bytes and packets sent.
Json outboundAudio(double t, double bytes, double sent) {
    return stat({{"type", "outbound-rtp"},
                 {"id", "OT1"},
                 {"kind", "audio"},
                 {"timestamp", t * 1000},
                 {"mediaSourceId", "MS1"},
                 {"bytesSent", bytes},
                 {"packetsSent", sent}});
}

Json report(std::initializer_list<Json> stats) {
    Json a = Json::array();
    for (const auto& s : stats) a.push(s);
    return a;
}

struct Sampler {
    CallQuality quality;
    QualityInput input;
    std::vector<std::string> events;  // "+high-packet-loss", "-low-mos"
    std::vector<Json> last;           // the details of the warnings the last sample raised

    Sampler() {
        input.tracks = {"remote-track", "remote-stream", "mic-track", "mic-stream"};
        quality.configure({});
    }
    Json sample(const Json& subscribing, const Json& publishing = Json::array()) {
        Json out = quality.sample(publishing.dump(), subscribing.dump(), input);
        last.clear();
        for (int i = 0; i < kQualityWarnings; ++i) {
            auto w = static_cast<QualityWarning>(i);
            int change = quality.change(w);
            if (change) events.push_back((change > 0 ? "+" : "-") + std::string(toString(w)));
            if (change > 0) last.push_back(*Json::parse(quality.details(w)));
        }
        return out;
    }
};

}  // namespace

TEST_CASE("Hysteresis: raised after N samples in a row, cleared after M, once each",
          "[wasm][quality]") {
    Hysteresis h;
    std::vector<int> seen;
    // Two bad samples are a blip (N = 3): nothing.
    for (bool c : {true, true, false, true, true, true, true, true, false, false, true, false,
                   false, false, false})
        seen.push_back(h.update(c, 3, 3));
    CHECK(seen == std::vector<int>{0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, -1, 0});
    CHECK_FALSE(h.active());
}

TEST_CASE("Call quality: deltas over the interval, first sample and counters that start again",
          "[wasm][quality]") {
    Sampler s;
    // First sample: nothing to compare with, so no bitrate, loss or MOS.
    Json first = s.sample(report({inboundAudio(1, 10000, 100, 0)}));
    const Json& st = first["streams"].values().at(0);
    CHECK(st["endpointId"].asString() == "remote-stream");
    CHECK(st["direction"].asString() == "inbound");
    CHECK(st["kind"].asString() == "audio");
    CHECK(st["bitrateKbps"].isNull());
    CHECK(st["packetLoss"].isNull());
    CHECK(st["mos"].isNull());
    CHECK(st["jitterMs"].asNumber() == Approx(2));
    CHECK(st["audioLevel"].asNumber() == Approx(0.25));
    CHECK(first["timestamp"].asNumber() == 1000);

    // One second later: 4000 bytes (32 kbit/s), 45 received and 5 lost (10 %).
    Json second = s.sample(report({inboundAudio(2, 14000, 145, 5)}));
    const Json& st2 = second["streams"].values().at(0);
    CHECK(st2["bitrateKbps"].asNumber() == Approx(32));
    CHECK(st2["packetLoss"].asNumber() == Approx(0.1));
    // No round trip known: Ta = the jitter buffer's 40 ms; R = 93.206 - Idle(40 ms)... as the
    // E-model gives it for 10 % loss on Opus.
    CHECK(st2["mos"].asNumber() == Approx(emodel::mos(emodel::rating(40, 10))).epsilon(1e-9));
    CHECK(second["bitrateKbps"]["inbound"].asNumber() == Approx(32));
    CHECK(second["bitrateKbps"]["outbound"].isNull());
    CHECK(second["packetLoss"].asNumber() == Approx(0.1));
    CHECK(second["mos"].asNumber() == st2["mos"].asNumber());

    // The counters start again (a new SSRC under the same id): no interval, then a new baseline.
    Json reset = s.sample(report({inboundAudio(3, 500, 5, 0)}));
    CHECK(reset["streams"].values().at(0)["bitrateKbps"].isNull());
    CHECK(reset["packetLoss"].isNull());
    Json after = s.sample(report({inboundAudio(4, 2500, 55, 0)}));
    CHECK(after["streams"].values().at(0)["bitrateKbps"].asNumber() == Approx(16));
    CHECK(after["packetLoss"].asNumber() == 0);

    // A stream gone from the report is forgotten: back, it is a first sample again.
    s.sample(report({}));
    CHECK(s.sample(report({inboundAudio(6, 9000, 90, 0)}))["packetLoss"].isNull());
}

TEST_CASE("Call quality: outbound streams take RTT, jitter and loss from the far end's reports",
          "[wasm][quality]") {
    Sampler s;
    auto publishing = [](double t, double sent, double lost, double energy) {
        return report({outboundAudio(t, sent * 100, sent),
                       stat({{"type", "remote-inbound-rtp"},
                             {"id", "RI1"},
                             {"localId", "OT1"},
                             {"roundTripTime", 0.12},
                             {"jitter", 0.004},
                             {"packetsLost", lost}}),
                       stat({{"type", "media-source"},
                             {"id", "MS1"},
                             {"kind", "audio"},
                             {"trackIdentifier", "mic-track"},
                             {"audioLevel", 0.5},
                             {"totalAudioEnergy", energy}}),
                       stat({{"type", "candidate-pair"},
                             {"nominated", true},
                             {"currentRoundTripTime", 0.1}})});
    };
    s.sample(Json::array(), publishing(1, 50, 0, 1));
    Json out = s.sample(Json::array(), publishing(2, 100, 10, 2));
    const Json& st = out["streams"].values().at(0);
    CHECK(st["endpointId"].asString() == "mic-stream");
    CHECK(st["direction"].asString() == "outbound");
    CHECK(st["rttMs"].asNumber() == Approx(120));
    CHECK(st["jitterMs"].asNumber() == Approx(4));
    CHECK(st["packetLoss"].asNumber() == Approx(0.2));  // 10 lost of 50 sent
    CHECK(st["bitrateKbps"].asNumber() == Approx(40));  // 5000 bytes in 1 s
    CHECK(st["audioLevel"].asNumber() == Approx(0.5));
    // Ta = 120 / 2 + 2 * 4 (no jitter buffer of ours: twice the far end's jitter).
    CHECK(st["mos"].asNumber() == Approx(emodel::mos(emodel::rating(68, 20))).epsilon(1e-9));
    // The call's RTT is the largest known (RTCP 120 ms over ICE 100 ms).
    CHECK(out["rttMs"].asNumber() == Approx(120));
    CHECK(out["audioLevel"]["outbound"].asNumber() == Approx(0.5));
    CHECK(out["audioLevel"]["inbound"].isNull());
}

TEST_CASE("Call quality: outbound loss is unknown until two far-end reports are there",
          "[wasm][quality]") {
    Sampler s;
    auto publishing = [](double t, double sent, double lost) {
        Json r = report({outboundAudio(t, sent * 100, sent)});
        if (lost >= 0)
            r.push(stat({{"type", "remote-inbound-rtp"},
                         {"id", "RI1"},
                         {"localId", "OT1"},
                         {"roundTripTime", 0.02},
                         {"packetsLost", lost}}));
        return r;
    };
    auto lossAt = [&](double t, double sent, double lost) {
        return s.sample(Json::array(), publishing(t, sent, lost))["streams"].values().at(0);
    };
    lossAt(1, 50, -1);
    // No receiver report yet: not "no loss" (nor a MOS of 4.41 as if measured).
    CHECK(lossAt(2, 100, -1)["packetLoss"].isNull());
    CHECK(lossAt(2.5, 125, -1)["mos"].isNull());
    // The first report: the loss since the call began is not charged to this one interval.
    CHECK(lossAt(3, 150, 30)["packetLoss"].isNull());
    CHECK(lossAt(4, 200, 30)["packetLoss"].asNumber() == Approx(0));
}

TEST_CASE("Call quality: no packets at all (an outage) keeps the loss warnings raised",
          "[wasm][quality]") {
    Sampler s;
    double received = 0, lost = 0;
    auto second = [&](int t, double got, double missed) {
        received += got;
        lost += missed;
        s.sample(report({inboundAudio(t, received * 100, received, lost)}));
    };
    second(0, 50, 0);
    for (int t = 1; t <= 4; ++t) second(t, 37.5, 12.5);  // 25 % loss
    REQUIRE(s.events == std::vector<std::string>{"+high-packet-loss", "+low-mos"});
    for (int t = 5; t <= 12; ++t) second(t, 0, 0);  // nothing arrives, nothing counted lost
    CHECK(s.events == std::vector<std::string>{"+high-packet-loss", "+low-mos"});
}

TEST_CASE("Call quality: packet loss raises high-packet-loss and low-mos once and clears them once",
          "[wasm][quality]") {
    Sampler s;
    double bytes = 0, received = 0, lost = 0;
    // `lossy` seconds with 25 % loss (50 packets a second sent), then clean ones.
    auto second = [&](int t, bool lossy) {
        received += lossy ? 37.5 : 50;
        lost += lossy ? 12.5 : 0;
        bytes += 4000;
        return s.sample(report({inboundAudio(t, bytes, received, lost)}));
    };
    second(1, false);
    second(2, false);
    CHECK(s.events.empty());
    int t = 3;
    second(t++, true);
    second(t++, true);
    CHECK(s.events.empty());  // two lossy samples are not yet a warning
    Json raised = second(t++, true);
    CHECK(s.events == std::vector<std::string>{"+high-packet-loss", "+low-mos"});
    CHECK(s.last.at(0)["value"].asNumber() == Approx(0.25));
    CHECK(s.last.at(0)["threshold"].asNumber() == Approx(0.05));
    CHECK(s.last.at(1)["value"].asNumber() == Approx(raised["mos"].asNumber()));
    CHECK(raised["mos"].asNumber() < 1.5);
    for (int i = 0; i < 5; ++i) second(t++, true);
    CHECK(s.events.size() == 2);  // raised once, however long it lasts
    second(t++, false);
    second(t++, false);
    CHECK(s.events.size() == 2);
    Json cleared = second(t++, false);
    CHECK(s.events == std::vector<std::string>{"+high-packet-loss", "+low-mos", "-high-packet-loss",
                                               "-low-mos"});
    CHECK(cleared["mos"].asNumber() > 4.3);
    for (int i = 0; i < 5; ++i) second(t++, false);
    CHECK(s.events.size() == 4);  // cleared once
}

TEST_CASE("Call quality: high RTT and jitter, with configured thresholds", "[wasm][quality]") {
    Sampler s;
    QualityThresholds t;
    t.read(
        R"({"rttMs":150,"jitterMs":"20","raiseAfter":1,"clearAfter":2,"mos":9,"packetLoss":-1})");
    CHECK(t.rttMs == 150);
    CHECK(t.jitterMs == 30);  // not a number: the default
    CHECK(t.mos == 3.5);      // out of bounds: the default
    CHECK(t.packetLoss == 0.05);
    CHECK(t.raiseAfter == 1);
    CHECK(t.clearAfter == 2);
    s.quality.configure(t);
    auto pair = [](double rttS) {
        return stat(
            {{"type", "candidate-pair"}, {"nominated", true}, {"currentRoundTripTime", rttS}});
    };
    s.sample(report({pair(0.2)}));
    CHECK(s.events == std::vector<std::string>{"+high-rtt"});
    s.sample(report({pair(0.05)}));
    s.sample(report({pair(0.2)}));  // one good sample is not enough to clear (M = 2)
    s.sample(report({pair(0.05)}));
    s.sample(report({pair(0.05)}));
    CHECK(s.events == std::vector<std::string>{"+high-rtt", "-high-rtt"});
    // A pair that is not nominated is not the one in use.
    s.sample(report({stat({{"type", "candidate-pair"}, {"currentRoundTripTime", 0.5}})}));
    CHECK(s.events.size() == 2);
}

TEST_CASE("Call quality: a silent microphone while enabled", "[wasm][quality]") {
    Sampler s;
    auto mic = [](double t, double energy) {
        return report({outboundAudio(t, t * 4000, t * 50), stat({{"type", "media-source"},
                                                                 {"id", "MS1"},
                                                                 {"trackIdentifier", "mic-track"},
                                                                 {"audioLevel", 0},
                                                                 {"totalAudioEnergy", energy}})});
    };
    int t = 1;
    s.sample(Json::array(), mic(t++, 0.5));
    for (int i = 0; i < 4; ++i) s.sample(Json::array(), mic(t++, 0.5));
    CHECK(s.events.empty());  // four silent seconds: not yet (silenceAfter 5)
    s.sample(Json::array(), mic(t++, 0.5));
    CHECK(s.events == std::vector<std::string>{"+silent-microphone"});
    CHECK(s.last.at(0)["seconds"].asNumber() == 5);
    // Muted by the application: not a fault, so the warning goes (after clearAfter samples).
    s.input.micEnabled = false;
    for (int i = 0; i < 3; ++i) s.sample(Json::array(), mic(t++, 0.5));
    CHECK(s.events == std::vector<std::string>{"+silent-microphone", "-silent-microphone"});
    // Enabled and with sound: nothing.
    s.input.micEnabled = true;
    for (int i = 0; i < 8; ++i, ++t) s.sample(Json::array(), mic(t, 0.5 + t));
    CHECK(s.events.size() == 2);
}

TEST_CASE("Call quality: no inbound audio while a stream with audio is expected",
          "[wasm][quality]") {
    Sampler s;
    s.input.expectedInboundAudio = 1;
    // Audio flowing: nothing.
    for (int t = 1; t <= 6; ++t) s.sample(report({inboundAudio(t, t * 4000, t * 50, 0)}));
    CHECK(s.events.empty());
    // The bytes stop growing for five samples.
    for (int t = 7; t <= 11; ++t) s.sample(report({inboundAudio(t, 24000, 300, 0)}));
    CHECK(s.events == std::vector<std::string>{"+no-inbound-audio"});
    for (int t = 12; t <= 14; ++t) s.sample(report({inboundAudio(t, t * 4000, t * 50, 0)}));
    CHECK(s.events == std::vector<std::string>{"+no-inbound-audio", "-no-inbound-audio"});
    // No inbound-rtp at all for an expected stream (nothing ever arrived) counts too.
    for (int i = 0; i < 5; ++i) s.sample(Json::array());
    CHECK(s.events.back() == "+no-inbound-audio");
    // Nothing expected: nothing missing.
    s.input.expectedInboundAudio = 0;
    for (int i = 0; i < 3; ++i) s.sample(Json::array());
    CHECK(s.events.back() == "-no-inbound-audio");
}

TEST_CASE("Call quality: video has bitrate and loss but no MOS or audio level", "[wasm][quality]") {
    Sampler s;
    auto stats = [](double t, double lost) {
        return report(
            {inboundAudio(t, t * 8000, t * 50 - lost, lost), stat({{"type", "inbound-rtp"},
                                                                   {"id", "IT2"},
                                                                   {"kind", "video"},
                                                                   {"timestamp", t * 1000},
                                                                   {"audioLevel", 0.5},
                                                                   {"bytesReceived", t * 100000},
                                                                   {"packetsReceived", t * 100},
                                                                   {"packetsLost", 0}})});
    };
    s.sample(stats(1, 0));
    Json out = s.sample(stats(2, 0.5));  // 0.5 of 50 packets lost in the second: 1 %
    const auto& streams = out["streams"].values();
    REQUIRE(streams.size() == 2);
    CHECK(streams[0]["mos"].asNumber() == Approx(emodel::mos(emodel::rating(40, 1))).epsilon(1e-9));
    CHECK(streams[1]["kind"].asString() == "video");
    CHECK(streams[1]["packetLoss"].asNumber() == 0);
    CHECK(streams[1]["mos"].isNull());
    CHECK(streams[1]["audioLevel"].isNull());
    CHECK(out["bitrateKbps"]["inbound"].asNumber() == Approx(64 + 800));
    // The call's MOS and loss are its audio's.
    CHECK(out["mos"].asNumber() == streams[0]["mos"].asNumber());
    CHECK(out["packetLoss"].asNumber() == Approx(0.01));
}

TEST_CASE("Call quality: reports that are not getStats() arrays count as empty",
          "[wasm][quality]") {
    CallQuality q;
    QualityInput input;
    Json out = q.sample("not json", R"({"type":"inbound-rtp"})", input);
    CHECK(out["streams"].size() == 0);
    CHECK(out["mos"].isNull());
    CHECK(out["timestamp"].isNull());
}
