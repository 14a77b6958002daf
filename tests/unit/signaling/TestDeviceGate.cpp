// Admission of devices to /v3/ (server/signaling/DeviceGate): the token is checked before the
// upgrade, refusals carry the status and body of docs/protocol.md "Connecting", and the
// per-participant and per-account device caps hold while a device is connected.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "server/signaling/DeviceGate.hpp"

using nlohmann::json;
using sb::signaling::Admission;
using sb::signaling::DeviceCaps;
using sb::signaling::DeviceGate;
using sb::signaling::queryParam;

namespace {

constexpr std::int64_t kNow = 1'800'000'000;

struct Gate {
    std::set<std::string> deleted;  // "account/participant" of deleted participants
    sb::auth::TokenService tokens{
        std::string(40, 'k'), "switchboard", 3600,
        [this](const std::string& a, const std::string& p) { return !deleted.count(a + "/" + p); }};
    std::int64_t now = kNow;
    DeviceGate gate;

    explicit Gate(DeviceCaps caps = {})
        : gate(
              tokens, [this] { return now; }, caps) {}

    Admission connect(const std::string& query, std::string requestId = "req-1") const {
        sb::net::HttpRequest request;
        request.method = "GET";
        request.path = "/v3/";
        request.query = query;
        request.requestId = std::move(requestId);
        return gate.admit(request);
    }
    std::string token(const std::string& account, const std::string& participant) const {
        return tokens.issue(account, participant, now);
    }
};

std::string headerOf(const sb::net::HttpResponse& r, const std::string& name) {
    for (const auto& [k, v] : r.headers)
        if (k == name) return v;
    return "";
}

// The refusal's status and JSON body, checking the parts every refusal has.
json refusalBody(const Admission& a, int status, const std::string& requestId = "req-1") {
    CHECK_FALSE(a.device);
    CHECK_FALSE(a.slot);
    CHECK(a.refusal.status == status);
    CHECK(a.refusal.contentType == "application/json");
    // Browsers cannot read a refused handshake; the SDK's plain GET must be able to read this.
    CHECK(headerOf(a.refusal, "Access-Control-Allow-Origin") == "*");
    json body = json::parse(a.refusal.body);
    CHECK(body["requestId"] == requestId);
    CHECK(body["error"].is_string());
    CHECK_FALSE(body["error"].get<std::string>().empty());
    return body;
}

}  // namespace

TEST_CASE("A good token admits the device with who it is and what the SDK said",
          "[server][signaling][DeviceGate]") {
    Gate g;
    auto a = g.connect("token=" + g.token("acc-1", "part-1") +
                       "&client=browser&sdkVersion=0.12.3&uniqueId=u-42");
    REQUIRE(a.device);
    CHECK(a.device->accountId == "acc-1");
    CHECK(a.device->participantId == "part-1");
    CHECK(a.device->client == "browser");
    CHECK(a.device->sdkVersion == "0.12.3");
    CHECK(a.device->uniqueId == "u-42");
    CHECK(a.slot);
}

TEST_CASE("The optional fields may be absent, and are cut to 128 bytes",
          "[server][signaling][DeviceGate]") {
    Gate g;
    auto bare = g.connect("token=" + g.token("a", "p"));
    REQUIRE(bare.device);
    CHECK(bare.device->client.empty());
    CHECK(bare.device->uniqueId.empty());

    // 127 ASCII bytes then a 2-byte character: cut before the character, not inside it.
    std::string longName = std::string(127, 'x') + "%C3%A9" + std::string(50, 'y');
    auto cut = g.connect("token=" + g.token("a", "p") + "&client=" + longName +
                         "&uniqueId=" + std::string(300, 'u'));
    REQUIRE(cut.device);
    CHECK(cut.device->client == std::string(127, 'x'));
    CHECK(cut.device->uniqueId == std::string(128, 'u'));
}

TEST_CASE("A missing or empty token is 401 token_missing", "[server][signaling][DeviceGate]") {
    Gate g;
    for (const char* query :
         {"", "client=browser", "token=", "token=&client=browser", "tokens=abc", "xtoken=abc"}) {
        INFO(query);
        CHECK(refusalBody(g.connect(query), 401)["code"] == "token_missing");
    }
}

TEST_CASE("Each bad token gets 401 and its own code; a deleted participant 403",
          "[server][signaling][DeviceGate]") {
    Gate g;
    std::string good = g.token("acc", "part");

    CHECK(refusalBody(g.connect("token=abc", "r-2"), 401, "r-2")["code"] == "token_malformed");

    // A signature character changed (not the last, whose low bits are only padding).
    std::string forged = good;
    char& c = forged[forged.size() - 10];
    c = c == 'A' ? 'Q' : 'A';
    CHECK(refusalBody(g.connect("token=" + forged), 401)["code"] == "token_bad_signature");

    Gate other;  // same secret, later clock: the token has expired by then
    other.now = kNow + 3601;
    CHECK(refusalBody(other.connect("token=" + good), 401)["code"] == "token_expired");

    g.deleted.insert("acc/part");
    CHECK(refusalBody(g.connect("token=" + good), 403)["code"] == "token_participant_gone");
}

TEST_CASE("A token over 4 KiB is refused before it is verified",
          "[server][signaling][DeviceGate]") {
    Gate g;
    auto body = refusalBody(g.connect("token=" + std::string(4097, 'a')), 401);
    CHECK(body["code"] == "token_malformed");
    CHECK(body["error"] == "The device token is too long");
}

TEST_CASE("The token may be percent-encoded or raw", "[server][signaling][DeviceGate]") {
    Gate g;
    std::string token = g.token("acc", "part");
    std::string encoded;
    for (char c : token) encoded += c == '.' ? std::string("%2E") : std::string(1, c);
    REQUIRE(encoded != token);
    CHECK(g.connect("token=" + encoded).device);
    CHECK(g.connect("client=x&token=" + token + "&uniqueId=1").device);
}

TEST_CASE("Devices per participant are capped while they are connected",
          "[server][signaling][DeviceGate]") {
    Gate g(DeviceCaps{2, 100});
    std::string token = g.token("acc", "part");
    auto first = g.connect("token=" + token);
    auto second = g.connect("token=" + token);
    REQUIRE(first.device);
    REQUIRE(second.device);

    auto third = g.connect("token=" + token);
    auto body = refusalBody(third, 429);
    CHECK(body["code"] == "too_many_devices");
    CHECK(body["error"].get<std::string>().find("participant") != std::string::npos);
    CHECK(headerOf(third.refusal, "Retry-After") == "5");

    // Another participant of the account is not affected.
    CHECK(g.connect("token=" + g.token("acc", "other")).device);

    // A device that disconnects gives its place back.
    first.slot.reset();
    CHECK(g.connect("token=" + token).device);
}

TEST_CASE("Devices per account are capped across its participants",
          "[server][signaling][DeviceGate]") {
    Gate g(DeviceCaps{0, 2});  // 0: no cap per participant
    auto a = g.connect("token=" + g.token("acc", "p1"));
    auto b = g.connect("token=" + g.token("acc", "p2"));
    REQUIRE(a.device);
    REQUIRE(b.device);
    auto refused = g.connect("token=" + g.token("acc", "p3"));
    auto body = refusalBody(refused, 429);
    CHECK(body["code"] == "too_many_devices");
    CHECK(body["error"].get<std::string>().find("account") != std::string::npos);
    CHECK(g.connect("token=" + g.token("other-acc", "p1")).device);
}

TEST_CASE("A refused token takes no device place", "[server][signaling][DeviceGate]") {
    Gate g(DeviceCaps{1, 1});
    for (int i = 0; i < 5; ++i) CHECK_FALSE(g.connect("token=junk").device);
    CHECK(g.connect("token=" + g.token("acc", "part")).device);
}

TEST_CASE("queryParam finds a parameter by its exact name and decodes it",
          "[server][signaling][DeviceGate]") {
    CHECK(queryParam("a=1&b=2", "b") == "2");
    CHECK(queryParam("a=1&b=2", "a") == "1");
    CHECK(queryParam("ab=1&b=2", "b") == "2");  // not a suffix of another name
    CHECK(queryParam("b1=1", "b") == std::nullopt);
    CHECK(queryParam("a=1", "b") == std::nullopt);
    CHECK(queryParam("", "b") == std::nullopt);
    CHECK(queryParam("b", "b") == std::nullopt);  // no '=': no value
    CHECK(queryParam("b=", "b") == "");
    CHECK(queryParam("b=x%20y%2Fz", "b") == "x y/z");
    CHECK(queryParam("b=a+b", "b") == "a+b");  // '+' kept: tokens never contain it
    CHECK(queryParam("b=1&b=2", "b") == "1");  // the first one counts
    CHECK(queryParam("x=a=b&b=c=d", "b") == "c=d");
    CHECK(queryParam("&&b=3&", "b") == "3");
}
