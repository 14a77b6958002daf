// The Client's call-quality sampling (wasm/core/ClientQuality.cpp): once a second while connected,
// from both connections' getStats(), with the published tracks named by their stream, the
// application's mute taken into account, and nothing after disconnect().
#include <algorithm>
#include <catch2/catch.hpp>

#include "tests/unit/wasm/fakes/Harness.hpp"

using namespace sb::sdk;
using sb::sdk::test::Harness;

namespace {
// The publishing connection's report at `t` s: a microphone that sends but hears nothing
// (its totalAudioEnergy stays at 0.5).
std::string silentMic(int t) {
    std::string at = std::to_string(t * 1000);
    return R"([{"type":"outbound-rtp","id":"OT1","kind":"audio","timestamp":)" + at +
           R"(,"mediaSourceId":"MS1","bytesSent":)" + std::to_string(t * 4000) +
           R"(,"packetsSent":)" + std::to_string(t * 50) +
           R"(},{"type":"media-source","id":"MS1","trackIdentifier":"mic-1","audioLevel":0,)"
           R"("totalAudioEnergy":0.5}])";
}
}  // namespace

TEST_CASE("Client: a call-quality sample a second while connected, warnings as they come",
          "[wasm][quality]") {
    Harness h;
    h.connected();
    h.client.publish(LocalStream{"mic-stream", {{"mic-1", "audio"}}}, "", "",
                     [](const Error&, const StreamInfo&) {});
    h.answerOffer();
    h.answerOffer();
    auto& pc = *h.peers.created.at(0);
    int t = 1;
    auto second = [&]() {
        pc.stats = silentMic(t++);
        h.timers.advance(Client::kQualityIntervalMs);
        h.loop.run();
    };
    second();
    REQUIRE(h.quality.size() == 1);
    Json sample = *Json::parse(h.quality[0].substr(std::string("stats:").size()));
    CHECK(sample["timestamp"].asNumber() == 1000);
    REQUIRE(sample["streams"].size() == 1);
    CHECK(sample["streams"].values()[0]["endpointId"].asString() == "mic-stream");
    CHECK(sample["streams"].values()[0]["direction"].asString() == "outbound");

    for (int i = 0; i < 5; ++i) second();
    CHECK(h.quality.size() == 7);
    CHECK(h.quality.back() == R"(warning:{"name":"silent-microphone","seconds":5})");
    // Muted by the application: the warning is cleared (after clearAfter samples), once.
    h.client.setTracksEnabled("audio", false, "");
    for (int i = 0; i < 5; ++i) second();
    CHECK(std::count(h.quality.begin(), h.quality.end(), "cleared:silent-microphone") == 1);
    CHECK(std::count_if(h.quality.begin(), h.quality.end(),
                        [](const std::string& e) { return e.rfind("warning:", 0) == 0; }) == 1);

    // Disconnected: no more samples.
    h.client.disconnect();
    std::size_t seen = h.quality.size();
    h.timers.advance(5000);
    h.loop.run();
    CHECK(h.quality.size() == seen);
    CHECK(h.timers.active() == 0);
}

TEST_CASE("Client: qualityThresholds of connect() apply; a report that cannot be read is empty",
          "[wasm][quality]") {
    Harness h;
    ConnectOptions o = Harness::options();
    o.qualityThresholds.read(R"({"silenceAfter":2})");
    h.connected(o);
    h.client.publish(LocalStream{"mic-stream", {{"mic-1", "audio"}}}, "", "",
                     [](const Error&, const StreamInfo&) {});
    h.answerOffer();
    h.answerOffer();
    auto& pc = *h.peers.created.at(0);
    for (int t = 1; t <= 3; ++t) {
        pc.stats = silentMic(t);
        h.timers.advance(Client::kQualityIntervalMs);
        h.loop.run();
    }
    CHECK(h.quality.back() == R"(warning:{"name":"silent-microphone","seconds":2})");
    pc.stats = "not json";
    h.timers.advance(Client::kQualityIntervalMs);
    h.loop.run();
    Json sample = *Json::parse(h.quality.back().substr(std::string("stats:").size()));
    CHECK(sample["streams"].size() == 0);
    CHECK(sample["mos"].isNull());
}
