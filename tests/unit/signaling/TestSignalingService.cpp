// The /v3/ upgrade decision (server/signaling/SignalingService): only the device path upgrades,
// a refused token answers with the gate's refusal, an admitted device gets a session that holds
// its place under the device caps until the connection closes.
#include <catch2/catch.hpp>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "server/signaling/SignalingService.hpp"

namespace signaling = sb::signaling;

namespace {

struct Service {
    sb::auth::TokenService tokens{std::string(40, 'k'), "switchboard", 3600,
                                  [](const std::string&, const std::string&) { return true; }};
    signaling::DeviceGate gate{tokens, [] { return std::int64_t{1'800'000'000}; },
                               signaling::DeviceCaps{1, 10}};
    sb::net::UpgradeHandler upgrade = signaling::makeUpgradeHandler(gate, nullptr);

    sb::net::UpgradeDecision ask(const std::string& path, const std::string& query) const {
        sb::net::HttpRequest r;
        r.method = "GET";
        r.path = path;
        r.query = query;
        r.requestId = "req-up";
        return upgrade(r);
    }
    std::string token() const { return "token=" + tokens.issue("acc", "part", 1'800'000'000); }
};

}  // namespace

TEST_CASE("Only /v3 and /v3/ upgrade; other paths are 404",
          "[server][signaling][SignalingService]") {
    Service s;
    for (const char* path : {"/v3", "/v3/"}) {
        auto d = s.ask(path, s.token());
        CHECK_FALSE(d.refusal);
        CHECK(d.handler);
    }
    for (const char* path : {"/", "/v2/", "/v3/x", "/v33", "/V3/"}) {
        INFO(path);
        auto d = s.ask(path, s.token());
        CHECK_FALSE(d.handler);
        REQUIRE(d.refusal);
        CHECK(d.refusal->status == 404);
        CHECK(nlohmann::json::parse(d.refusal->body)["requestId"] == "req-up");
    }
}

TEST_CASE("A refused token gets the gate's refusal and no session",
          "[server][signaling][SignalingService]") {
    Service s;
    auto d = s.ask("/v3/", "token=nope");
    CHECK_FALSE(d.handler);
    REQUIRE(d.refusal);
    CHECK(d.refusal->status == 401);
    CHECK(nlohmann::json::parse(d.refusal->body)["code"] == "token_malformed");
}

TEST_CASE("The session holds the device's place until it is closed",
          "[server][signaling][SignalingService]") {
    Service s;  // one device per participant
    auto first = s.ask("/v3/", s.token());
    REQUIRE(first.handler);
    auto second = s.ask("/v3/", s.token());
    REQUIRE(second.refusal);
    CHECK(second.refusal->status == 429);

    // The connection ends: onClose gives the place back even while the handler object lives on.
    first.handler->onClose();
    CHECK(s.ask("/v3/", s.token()).handler);
}
