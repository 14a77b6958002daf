// Preflight's verdicts (wasm/core/Preflight.cpp): the media check from measured samples against
// the quality thresholds, the relay check's TURN error codes, skipped checks with their reason, the
// overall status; and its sequence on fakes of every port, for the paths that end early.
#include <catch2/catch.hpp>

#include "tests/unit/wasm/fakes/Harness.hpp"
#include "wasm/core/Errors.hpp"
#include "wasm/core/Preflight.hpp"
#include "wasm/core/SignalingUrl.hpp"

using namespace sb::sdk;
using namespace sb::sdk::preflight;
using sb::sdk::test::Harness;

namespace {

// A call-quality sample (CallQuality::sample's shape) with the inbound stream `id` at `kbps`.
Json sample(const std::string& id, double kbps, double rtt, double jitter, double loss,
            double mos) {
    std::string text = R"({"streams":[{"endpointId":")" + id +
                       R"(","direction":"outbound","bitrateKbps":30},{"endpointId":")" + id +
                       R"(","direction":"inbound","bitrateKbps":)" + std::to_string(kbps) +
                       R"(,"rttMs":)" + std::to_string(rtt) + R"(,"jitterMs":)" +
                       std::to_string(jitter) + R"(,"packetLoss":)" + std::to_string(loss) +
                       R"(,"mos":)" + std::to_string(mos) + "}]}";
    return *Json::parse(text);
}

Measure measured(double rtt, double jitter, double loss, double mos, int samples = 3) {
    Measure m;
    for (int i = 0; i < samples; ++i)
        REQUIRE(m.add(sample("me", 32, rtt, jitter, loss, mos), "me"));
    return m;
}

}  // namespace

TEST_CASE("Preflight: the media check from the samples and the thresholds", "[wasm][preflight]") {
    QualityThresholds t;  // rtt 400 ms, jitter 30 ms, loss 5 %, MOS 3.5
    SECTION("values within every threshold pass, averaged over the samples") {
        Measure m;
        m.add(sample("me", 32, 10, 2, 0, 4.4), "me");
        m.add(sample("me", 32, 30, 4, 0.02, 4.2), "me");
        Outcome o = media(m, t);
        CHECK(o.status == Pass);
        CHECK_FALSE(o.error.failed());
        CHECK(m.average(0) == Approx(20));
        CHECK(m.average(1) == Approx(3));
        CHECK(m.average(2) == Approx(0.01));
        CHECK(m.average(3) == Approx(4.3));
    }
    SECTION("past a threshold warns with the quality warning's name") {
        Outcome o = media(measured(500, 5, 0, 4.3), t);
        CHECK(o.status == Warn);
        CHECK(o.error.code == "high-rtt");
        CHECK(o.error.message == "rttMs");
        CHECK(media(measured(20, 40, 0, 4.3), t).error.code == "high-jitter");
        CHECK(media(measured(20, 5, 0.07, 4.3), t).error.code == "high-packet-loss");
        CHECK(media(measured(20, 5, 0, 3.2), t).error.code == "low-mos");
    }
    SECTION("past twice the threshold (a MOS 1 below) fails; the worst check names the error") {
        CHECK(media(measured(900, 5, 0, 4.3), t).status == Fail);
        CHECK(media(measured(20, 5, 0.11, 4.3), t).status == Fail);
        CHECK(media(measured(20, 5, 0, 2.4), t).status == Fail);
        Outcome o = media(measured(500, 5, 0.2, 4.3), t);  // rtt warns, loss fails
        CHECK(o.status == Fail);
        CHECK(o.error.code == "high-packet-loss");
    }
    SECTION("the application's thresholds decide") {
        QualityThresholds strict;
        strict.read(R"({"rttMs":5})");
        CHECK(media(measured(8, 1, 0, 4.4), strict).status == Warn);
        CHECK(media(measured(8, 1, 0, 4.4), t).status == Pass);
    }
    SECTION("no sample of the own audio back fails with no_media") {
        Measure m;
        CHECK_FALSE(m.add(sample("me", 0, 10, 1, 0, 4.4), "me"));      // nothing arrived
        CHECK_FALSE(m.add(sample("other", 32, 10, 1, 0, 4.4), "me"));  // another's stream
        Outcome o = media(m, t);
        CHECK(o.status == Fail);
        CHECK(o.error.code == "no_media");
    }
    SECTION("unknown values are left out of the averages") {
        Measure m;
        REQUIRE(m.add(*Json::parse(R"({"streams":[{"endpointId":"me","direction":"inbound",)"
                                   R"("bitrateKbps":30,"rttMs":null,"jitterMs":3}]})"),
                      "me"));
        CHECK(m.average(0) == -1);
        CHECK(m.average(1) == 3);
        CHECK(media(m, t).status == Pass);
    }
}

TEST_CASE("Preflight: media leaving, the relay's TURN errors, skips and the overall status",
          "[wasm][preflight]") {
    SECTION("outbound media is seen in the sample by its stream and direction") {
        Json s = sample("me", 0, 10, 1, 0, 4.4);
        CHECK(flowing(s, "me", false) != nullptr);
        CHECK(flowing(s, "me", true) == nullptr);  // 0 kbit/s inbound
        CHECK(flowing(s, "other", false) == nullptr);
        // A report that names no track (Firefox's sent streams): any stream of that direction.
        Json unnamed = *Json::parse(
            R"({"streams":[{"endpointId":"","direction":"outbound","bitrateKbps":31}]})");
        CHECK(flowing(unnamed, "me", false) != nullptr);
        CHECK(flowing(unnamed, "me", true) == nullptr);
    }
    SECTION("a TURN server's 401 is turn_refused, another error turn_unreachable, none the cause") {
        Error cause = errors::make("ice_failed", "ICE failed");
        CHECK(relayError(401, cause).code == "turn_refused");
        CHECK(relayError(701, cause).code == "turn_unreachable");
        CHECK(relayError(701, cause).message == "TURN error 701");
        CHECK(relayError(401, cause).message == "TURN error 401");
        CHECK(relayError(0, cause).code == "ice_failed");
    }
    SECTION("checks after a failed one are skipped with the reason; the worst status is overall") {
        Outcome checks[kChecks];
        checks[Microphone] = {Pass, 50, {}};
        checks[Signaling] = {Fail, 12, errors::make("token_expired", "expired")};
        skipAfter(checks, Signaling, IceHost, IceRelay);
        Json r = result(checks, Measure{});
        CHECK(r["status"].asString() == "fail");
        CHECK(r["checks"]["microphone"]["status"].asString() == "pass");
        CHECK(r["checks"]["microphone"]["ms"].asNumber() == 50);
        CHECK(r["checks"]["signaling"]["error"]["code"].asString() == "token_expired");
        for (const char* name : {"iceHost", "media", "iceRelay"}) {
            const Json& c = r["checks"][std::string_view(name)];
            CHECK(c["status"].asString() == "skipped");
            CHECK(c["error"]["code"].asString() == "check_skipped");
            CHECK(c["error"]["message"].asString() == "signaling");
            CHECK_FALSE(c.has("ms"));
        }
        CHECK(r["checks"]["media"].has("rttMs"));
        CHECK(r["checks"]["media"]["rttMs"].isNull());
    }
    SECTION("a warning alone makes the overall status warn; measured values are in media") {
        Outcome checks[kChecks];
        for (auto& c : checks) c = {Pass, 10, {}};
        checks[IceRelay] = {Warn, 5, errors::make("no_turn_server", "none")};
        Json r = result(checks, measured(12, 2, 0.01, 4.4));
        CHECK(r["status"].asString() == "warn");
        CHECK(r["checks"]["media"]["rttMs"].asNumber() == Approx(12));
        CHECK(r["checks"]["media"]["mos"].asNumber() == Approx(4.4));
        checks[IceRelay] = {Pass, 5, {}};
        CHECK(result(checks, Measure{})["status"].asString() == "pass");
    }
    SECTION("the signaling URL asks for the loopback only when told") {
        CHECK(url::signaling("ws://h", "t", "browser", "1", "u", "", "", true) ==
              "ws://h/v3/?token=t&client=browser&sdkVersion=1&uniqueId=u&loopback=1");
        CHECK(url::signaling("ws://h", "t", "browser", "1", "u").find("loopback") ==
              std::string::npos);
    }
}

namespace {

// The preflight's clock, advanced by hand.
double fakeNow = 0;
double fakeClock() {
    return fakeNow;
}

// A Preflight on the Harness's Client and fakes, its result kept.
struct PreflightRun {
    Harness h;
    double& now = fakeNow;
    Preflight preflight{h.client, h.timers, fakeClock};
    std::string result;
    void start() {
        ConnectOptions o = Harness::options();
        now = 0;
        preflight.run(o.websocketUrl, o.token, o.uniqueId, o.sdkVersion, o.peerConfigurationJson, 0,
                      0, "{}", [this](const Error&, const std::string& r) { result = r; });
        h.loop.run();
    }
    // The run's end: the result comes on the next turn.
    void finish() {
        h.timers.advance(0);
        h.loop.run();
    }
    Json checks() const { return (*Json::parse(result))["checks"]; }
    bool sent(const std::string& method) const {
        for (const auto& frame : h.socket.sent)
            if (frame.find("\"" + method + "\"") != std::string::npos) return true;
        return false;
    }
};

}  // namespace

TEST_CASE("Preflight: signaling passes, the microphone is refused, the device released at once",
          "[wasm][preflight]") {
    PreflightRun run;
    run.h.media.rejectWith = "NotAllowedError";
    run.start();
    REQUIRE(run.h.socket.urls.size() == 1);
    CHECK(run.h.socket.urls[0].find("&loopback=1") != std::string::npos);
    run.now += 15;
    run.h.socket.accept();
    run.h.socket.reply(run.h.socket.lastRequest("setMediaPreferences"), Json::object());
    run.h.loop.run();  // connected, then getUserMedia is refused
    REQUIRE(run.h.media.constraints.size() == 1);
    CHECK(run.h.media.constraints[0] == R"({"audio":true})");
    // The device leaves and the socket closes normally: the server releases it, no resume.
    CHECK(run.sent("leave"));
    REQUIRE_FALSE(run.h.socket.closedWith.empty());
    CHECK(run.h.socket.closedWith.back() == 1000);
    CHECK(run.result.empty());
    CHECK(run.preflight.running());
    run.finish();
    REQUIRE_FALSE(run.result.empty());
    CHECK_FALSE(run.preflight.running());
    Json c = run.checks();
    CHECK(c["signaling"]["status"].asString() == "pass");
    CHECK(c["signaling"]["ms"].asNumber() == 15);
    CHECK(c["microphone"]["status"].asString() == "fail");
    CHECK(c["microphone"]["error"]["code"].asString() == "permission_denied");
    for (const char* name : {"iceHost", "media", "iceRelay"}) {
        CHECK(c[std::string_view(name)]["status"].asString() == "skipped");
        CHECK(c[std::string_view(name)]["error"]["code"].asString() == "check_skipped");
        CHECK(c[std::string_view(name)]["error"]["message"].asString() == "microphone");
    }
    CHECK(run.h.peers.created.empty());    // nothing was published
    CHECK(run.h.socket.urls.size() == 1);  // no relay run
}

TEST_CASE("Preflight: a refused token fails signaling with the server's code, the rest skipped",
          "[wasm][preflight]") {
    PreflightRun run;
    run.start();
    run.h.socket.drop(1006);  // the upgrade was refused; the probe tells why
    run.h.loop.run();
    REQUIRE(run.h.http.urls.size() == 1);
    run.h.http.respond(401, R"({"code":"token_expired","error":"The token has expired"})");
    run.h.loop.run();
    run.finish();
    REQUIRE_FALSE(run.result.empty());
    Json c = run.checks();
    CHECK(c["signaling"]["status"].asString() == "fail");
    CHECK(c["signaling"]["error"]["code"].asString() == "token_expired");
    for (const char* name : {"microphone", "iceHost", "media", "iceRelay"})
        CHECK(c[std::string_view(name)]["error"]["message"].asString() == "signaling");
    CHECK((*Json::parse(run.result))["status"].asString() == "fail");
    CHECK(run.h.media.constraints.empty());  // no microphone captured
    CHECK(run.h.socket.urls.size() == 1);    // no relay run
}

TEST_CASE("Preflight: one run at a time; the next one starts afresh", "[wasm][preflight]") {
    PreflightRun run;
    run.start();
    CHECK(run.preflight.running());
    run.h.socket.drop(1006);
    run.h.loop.run();
    run.h.http.respond(0, "");  // nothing answers: server_unreachable
    run.h.loop.run();
    run.finish();
    CHECK(run.checks()["signaling"]["error"]["code"].asString() == "server_unreachable");
    run.result.clear();
    run.start();
    CHECK(run.h.socket.urls.size() == 2);
    run.h.socket.accept();
    run.h.socket.reply(run.h.socket.lastRequest("setMediaPreferences"), Json::object());
    run.h.loop.run();
    CHECK(run.h.socket.urls[1].find("&loopback=1") != std::string::npos);
    CHECK(run.h.media.constraints.size() == 1);  // this run captures the microphone
    CHECK(run.result.empty());                   // and waits for its media
}
