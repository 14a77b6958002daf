// Resuming the device after a lost WebSocket (docs/protocol.md "Resuming a device"): the resume
// query, the secret renewed by each `resumed`, the connections kept, resume_pending retried,
// resume_expired and resume_refused reported as `failed`; the reconnect backoff's bounds; the
// token's expiry (onTokenWillExpire) and updateToken.
#include <catch2/catch.hpp>

#include "protocol/Methods.hpp"
#include "tests/unit/wasm/fakes/Harness.hpp"
#include "wasm/core/SignalingUrl.hpp"

using namespace sb::sdk;
using sb::sdk::test::Harness;

namespace {

// A JWT whose payload is `payload` (base64url without padding, RFC 7515 §2).
std::string jwt(const std::string& payload) {
    static const char k[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string out;
    unsigned bits = 0;
    int count = 0;
    for (unsigned char c : payload) {
        bits = bits << 8 | c;
        count += 8;
        while (count >= 6) {
            count -= 6;
            out += k[bits >> count & 63];
        }
    }
    if (count > 0) out += k[bits << (6 - count) & 63];
    return "eyJhbGciOiJIUzI1NiJ9." + out + ".c2ln";
}
std::string jwtExpiring(long expSeconds) {
    return jwt(R"({"sub":"p-1","exp":)" + std::to_string(expSeconds) + "}");
}

Json resumeResult(const std::string& deviceId, const std::string& secret) {
    Json resume = Json::object();
    resume.set("deviceId", deviceId);
    resume.set("resumeSecret", secret);
    resume.set("graceSeconds", 30);
    Json result = Json::object();
    result.set("resume", std::move(resume));
    return result;
}

void resumed(Harness& h, const std::string& deviceId, const std::string& secret) {
    Json params = Json::object();
    params.set("deviceId", deviceId);
    params.set("resumeSecret", secret);
    Json n = Json::object();
    n.set("jsonrpc", "2.0");
    n.set("method", "resumed");
    n.set("params", std::move(params));
    h.socket.receive(n.dump());
    h.loop.run();
}

std::string offer(const std::string& stream) {
    return "v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nt=0 0\r\n"
           "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\na=sendonly\r\na=msid:" +
           stream + " t-" + stream + "\r\n";
}
Json metadata(const std::string& stream) {
    Json e = Json::object();
    e.set("endpointId", "ep-" + stream);
    e.set("participantId", "p-2");
    Json types = Json::array();
    types.push("AUDIO");
    e.set("mediaTypes", std::move(types));
    Json m = Json::object();
    m.set(stream, std::move(e));
    return m;
}

const std::string kBase =
    "ws://127.0.0.1:8080/v3/?token=header.payload.sig&client=browser&sdkVersion=0.1.0&uniqueId=u-1";

// Past the longest first reconnect delay.
void firstAttempt(Harness& h) {
    h.timers.advance(Client::kFirstReconnectDelayMs);
}

}  // namespace

SCENARIO("Resuming the device after a lost WebSocket", "[wasm][core][Client][resume]") {
    Harness h;
    h.connect();
    h.socket.accept();
    CHECK(h.socket.lastRequest("setMediaPreferences")["params"]["resumable"].asBool());
    h.socket.reply(h.socket.lastRequest("setMediaPreferences"), resumeResult("dev-1", "s1"));
    h.loop.run();
    REQUIRE(h.client.state() == State::Connected);
    // A stream this device receives, and one it publishes.
    h.serverOffer(1, offer("s1"), metadata("s1"));
    REQUIRE(h.peers.created.size() == 1);
    h.peers.created[0]->handlers.onTrack(RemoteTrack{"t-s1", "audio", {"s1"}});
    h.loop.run();
    REQUIRE(h.events.back() == "available:s1");
    h.socket.reply(h.socket.lastRequest("answerSdp"), Json::object());
    h.loop.run();
    h.client.publish(LocalStream{"cam", {{"mic-1", "audio"}}}, "", "", nullptr);
    h.answerOffer();
    h.answerOffer();
    REQUIRE(h.peers.created.size() == 2);
    std::size_t sentBefore = h.socket.sent.size();
    h.events.clear();

    SECTION("a lost socket resumes the same device: connections kept, no stream lost") {
        h.socket.drop(1006);
        CHECK(h.client.state() == State::Reconnecting);
        firstAttempt(h);
        REQUIRE(h.socket.urls.size() == 2);
        CHECK(h.socket.urls[1] == kBase + "&resumeDevice=dev-1&resumeSecret=s1");
        h.socket.accept();
        // The server speaks first: no setMediaPreferences on a resumed device.
        CHECK(h.socket.sent.size() == sentBefore);
        CHECK(h.client.state() == State::Reconnecting);
        resumed(h, "dev-1", "s2");
        CHECK(h.client.state() == State::Connected);
        // The latest offer again (it may have been lost with the socket): same revision, dropped.
        h.serverOffer(1, offer("s1"), metadata("s1"));
        CHECK(h.events == std::vector<std::string>{"state:reconnecting", "state:connected"});
        CHECK(h.peers.created.size() == 2);
        CHECK_FALSE(h.peers.created[0]->closed);
        CHECK_FALSE(h.peers.created[1]->closed);
        CHECK(h.socket.count("offerSdp") == 2);  // not published again
        CHECK(h.socket.count("setMediaPreferences") == 1);
        SECTION("a change made during the outage arrives as the next offer") {
            h.serverOffer(2, offer("s2"), metadata("s2"));
            auto& calls = h.peers.created[0]->calls;
            CHECK(std::count(calls.begin(), calls.end(), "setRemote:offer") == 2);
            CHECK(h.socket.count("answerSdp") == 2);
        }
        SECTION("the next resume uses the new secret") {
            h.socket.drop(1006);
            firstAttempt(h);
            CHECK(h.socket.urls.back() == kBase + "&resumeDevice=dev-1&resumeSecret=s2");
        }
    }
    SECTION("an answer lost with the socket is sent again for the re-sent offer") {
        h.serverOffer(2, offer("s2"),
                      metadata("s2"));  // answered; the socket goes before the reply
        REQUIRE(h.socket.count("answerSdp") == 2);
        std::string answer = h.socket.lastRequest("answerSdp")["params"]["sdpAnswer"].asString();
        h.socket.drop(1006);
        firstAttempt(h);
        h.socket.accept();
        resumed(h, "dev-1", "s2");
        h.serverOffer(2, offer("s2"), metadata("s2"));
        CHECK(h.socket.count("answerSdp") == 3);
        CHECK(h.socket.lastRequest("answerSdp")["params"]["sdpAnswer"].asString() == answer);
        auto& calls = h.peers.created[0]->calls;
        CHECK(std::count(calls.begin(), calls.end(), "setRemote:offer") == 2);  // not applied again
        h.socket.reply(h.socket.lastRequest("answerSdp"), Json::object());
        h.loop.run();
        h.serverOffer(2, offer("s2"), metadata("s2"));  // once taken, the same offer is dropped
        CHECK(h.socket.count("answerSdp") == 3);
        CHECK(h.client.state() == State::Connected);
    }
    SECTION("a server that never says `resumed` is tried again after the connect timeout") {
        h.socket.drop(1006);
        firstAttempt(h);
        h.socket.accept();
        h.timers.advance(Harness::options().connectTimeoutMs - 1);
        CHECK(h.socket.urls.size() == 2);
        h.timers.advance(1);
        // Closed with the code that keeps the device: the server may have resumed it.
        CHECK(h.socket.closedWith.back() == sb::protocol::kCloseKeepForResume);
        h.timers.advance(2 * Client::kFirstReconnectDelayMs);
        REQUIRE(h.socket.urls.size() == 3);
        CHECK(h.socket.urls[2] == kBase + "&resumeDevice=dev-1&resumeSecret=s1");
        h.socket.accept();
        resumed(h, "dev-1", "s2");
        CHECK(h.client.state() == State::Connected);
        h.timers.advance(60000);
        CHECK(h.client.state() == State::Connected);
    }
    SECTION("the browser's online event tries at once instead of waiting for the back-off") {
        h.socket.drop(1006);
        firstAttempt(h);
        h.socket.drop(1006);
        h.http.respond(0, "");  // refused: the next attempt waits its back-off
        REQUIRE(h.socket.urls.size() == 2);
        h.client.networkOnline();
        REQUIRE(h.socket.urls.size() == 3);
        CHECK(h.socket.urls[2] == kBase + "&resumeDevice=dev-1&resumeSecret=s1");
        h.socket.accept();
        resumed(h, "dev-1", "s2");
        CHECK(h.client.state() == State::Connected);
        h.timers.advance(60000);
        CHECK(h.socket.urls.size() == 3);  // the cancelled attempt does not come later
    }
    SECTION("resume_pending (the old connection still looked alive) is retried") {
        h.socket.drop(1006);
        firstAttempt(h);
        h.socket.drop(1006);
        REQUIRE(h.http.urls.size() == 1);
        CHECK(h.http.urls[0] ==
              "http://127.0.0.1:8080/v3/?token=header.payload.sig&client=browser&sdkVersion=0.1.0"
              "&uniqueId=u-1&resumeDevice=dev-1&resumeSecret=s1");
        h.http.respond(409, R"({"error":"being closed","code":"resume_pending"})");
        CHECK(h.client.state() == State::Reconnecting);
        h.timers.advance(2 * Client::kFirstReconnectDelayMs);
        REQUIRE(h.socket.urls.size() == 3);
        CHECK(h.socket.urls[2] == kBase + "&resumeDevice=dev-1&resumeSecret=s1");
        h.socket.accept();
        resumed(h, "dev-1", "s2");
        CHECK(h.client.state() == State::Connected);
        CHECK(h.events == std::vector<std::string>{"state:reconnecting", "state:connected"});
    }
    SECTION("resume_expired fails, and the device is not taken back as a new one") {
        h.socket.drop(1006);
        firstAttempt(h);
        h.socket.drop(1006);
        h.http.respond(410, R"({"error":"grace period over","code":"resume_expired"})");
        CHECK(h.client.state() == State::Failed);
        CHECK(h.stateErrors.back().code == "resume_expired");
        // Its media is gone: the streams it received go away with it.
        CHECK(h.events ==
              std::vector<std::string>{"state:reconnecting", "unavailable:s1", "state:failed"});
        CHECK(h.peers.created[0]->closed);
        CHECK(h.peers.created[1]->closed);
        h.timers.advance(60000);
        CHECK(h.socket.urls.size() == 2);
        CHECK(h.timers.active() == 0);
        SECTION("a new connect() is a new device") {
            h.connected();
            h.socket.drop(1006);
            firstAttempt(h);
            CHECK(h.socket.urls.back() == kBase);
        }
    }
    SECTION("resume_refused fails too") {
        h.socket.drop(1006);
        firstAttempt(h);
        h.socket.drop(1006);
        h.http.respond(403, R"({"error":"wrong secret","code":"resume_refused"})");
        CHECK(h.client.state() == State::Failed);
        CHECK(h.stateErrors.back().code == "resume_refused");
    }
    SECTION("an unreachable server is retried with the resume query") {
        h.socket.drop(1006);
        firstAttempt(h);
        h.socket.drop(1006);
        h.http.respond(0, "");
        h.timers.advance(2 * Client::kFirstReconnectDelayMs);
        CHECK(h.socket.urls.back() == kBase + "&resumeDevice=dev-1&resumeSecret=s1");
    }
    SECTION("updateToken's token is the one the resume uses") {
        h.client.updateToken("new.token.sig", 0);
        h.socket.drop(1006);
        firstAttempt(h);
        CHECK(h.socket.urls.back() ==
              "ws://127.0.0.1:8080/v3/?token=new.token.sig&client=browser&sdkVersion=0.1.0"
              "&uniqueId=u-1&resumeDevice=dev-1&resumeSecret=s1");
        SECTION("and an expired one is refused like any token") {
            h.socket.drop(1006);
            h.http.respond(401, R"({"error":"expired","code":"token_expired"})");
            CHECK(h.client.state() == State::Failed);
            CHECK(h.stateErrors.back().code == "token_expired");
        }
    }
    SECTION("disconnect() leaves for good: nothing is resumed") {
        h.client.disconnect();
        h.timers.advance(60000);
        CHECK(h.socket.urls.size() == 1);
    }
}

SCENARIO("A server that keeps no device", "[wasm][core][Client][resume]") {
    Harness h;
    h.connected();  // no `resume` in the result
    h.socket.drop(1006);
    firstAttempt(h);
    REQUIRE(h.socket.urls.size() == 2);
    CHECK(h.socket.urls[1] == kBase);
    h.socket.accept();
    CHECK(h.socket.count("setMediaPreferences") == 2);
}

SCENARIO("Reconnect backoff", "[wasm][core][Client][resume]") {
    Harness h;
    h.connected();
    h.socket.drop(1006);
    long shortest = 0;  // the attempts' delays at their shortest
    for (int attempt = 0; attempt < Client::kMaxReconnectAttempts; ++attempt) {
        INFO("attempt " << attempt);
        int cap = std::min(Client::kFirstReconnectDelayMs << std::min(attempt, 8),
                           Client::kMaxReconnectDelayMs);
        shortest += cap / 2;
        std::size_t opened = h.socket.urls.size();
        h.timers.advance(cap / 2 - 1);
        CHECK(h.socket.urls.size() == opened);
        h.timers.advance(cap - cap / 2 + 1);
        REQUIRE(h.socket.urls.size() == opened + 1);
        h.socket.drop(1006);
        h.http.respond(0, "");
    }
    CHECK(h.client.state() == State::Failed);
    CHECK(h.stateErrors.back().code == "server_unreachable");
    // A network away for less than the server's grace period (30 s by default) finds the device.
    CHECK(shortest >= 30000);
}

SCENARIO("Reconnect delays are jittered", "[wasm][core][Client][resume]") {
    // Devices dropped at the same moment (that connected at different times) do not come back
    // at the same moment.
    auto firstDelay = [](double connectedAtMs) {
        Harness h;
        auto o = Harness::options();
        o.nowMs = connectedAtMs;
        h.connected(o);
        h.socket.drop(1006);
        long start = h.timers.now();
        while (h.socket.urls.size() == 1) h.timers.advance(1);
        return h.timers.now() - start;
    };
    std::set<long> delays;
    for (double at : {1.7e12, 1.7e12 + 1, 1.7e12 + 2, 1.7e12 + 3, 1.7e12 + 4})
        delays.insert(firstDelay(at));
    CHECK(delays.size() > 1);
    for (long d : delays) {
        CHECK(d >= Client::kFirstReconnectDelayMs / 2);
        CHECK(d <= Client::kFirstReconnectDelayMs);
    }
}

SCENARIO("The token's expiry", "[wasm][core][Client][token]") {
    Harness h;
    auto o = Harness::options();
    o.token = jwtExpiring(1000000);          // exp: 1,000,000 s
    o.nowMs = 1000000.0 * 1000 - 5 * 60000;  // five minutes before it
    o.tokenExpiryMarginMs = 60000;

    SECTION("tokenExpiry reads the exp claim") {
        CHECK(url::tokenExpiry(o.token) == 1000000);
        CHECK(url::tokenExpiry(jwt(R"({"sub":"x"})")) == 0);
        CHECK(url::tokenExpiry("header.payload.sig") == 0);
        CHECK(url::tokenExpiry("not a token") == 0);
        CHECK(url::tokenExpiry("") == 0);
        CHECK(url::tokenExpiry(jwt(R"({"exp": 1700000000, "sub":"x"})")) == 1700000000);
        CHECK(url::tokenExpiry(jwt(R"({"iat":1,"exp":1700000000.5})")) == 1700000000.5);
        CHECK(url::tokenExpiry(jwt(R"({"sub":"exp","expires":5})")) == 0);
        CHECK(url::tokenExpiry(jwt(R"({"exp":"soon"})")) == 0);
        for (long exp : {1L, 12L, 123L, 1234L})  // every payload length modulo 3
            CHECK(url::tokenExpiry(jwtExpiring(exp)) == exp);
    }
    SECTION("onTokenWillExpire fires the margin before exp, once") {
        h.connected(o);
        h.timers.advance(4 * 60000 - 1);
        CHECK(h.events == std::vector<std::string>{"state:connecting", "state:connected"});
        h.timers.advance(1);
        CHECK(h.events.back() == "tokenWillExpire:" + o.token);
        h.timers.advance(10 * 60000);
        CHECK(std::count(h.events.begin(), h.events.end(), "tokenWillExpire:" + o.token) == 1);
    }
    SECTION("updateToken places it anew from the new token's exp") {
        h.connected(o);
        std::string next = jwtExpiring(1000000 + 3600);
        h.timers.advance(4 * 60000);
        h.client.updateToken(next, o.nowMs + 4 * 60000);
        h.timers.advance(3600 * 1000 - 1);
        CHECK(h.events.back() == "tokenWillExpire:" + o.token);
        h.timers.advance(1);
        CHECK(h.events.back() == "tokenWillExpire:" + next);
    }
    SECTION("a token inside the margin already is announced at once") {
        o.tokenExpiryMarginMs = 10 * 60000;
        h.connected(o);
        h.timers.advance(0);
        CHECK(h.events.back() == "tokenWillExpire:" + o.token);
    }
    SECTION("a token without exp is never announced; disconnect() stops the timer") {
        h.connected();
        CHECK(h.timers.active() == 2);  // the ping and the call-quality sampling
        h.client.disconnect();
        h.connected(o);
        h.client.disconnect();
        CHECK(h.timers.active() == 0);
    }
}
