// The OpenAPI document and the router must describe the same API: every route documented,
// nothing documented that is not routed.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <set>

#include "server/api/RestApi.hpp"
#include "server/auth/BasicAuth.hpp"
#include "server/auth/TokenService.hpp"
#include "server/ops/OpsApi.hpp"
#include "server/signaling/SignalingRoutes.hpp"
#include "server/state/MemorySessionStore.hpp"
#include "server/voice/CallRegistry.hpp"
#include "server/voice/Conferences.hpp"
#include "server/voice/RecordingStore.hpp"
#include "server/voice/VoiceApi.hpp"
#include "server/voice/VoiceService.hpp"
#include "server/web/DemoApp.hpp"
#include "unit/voice/VoiceFakes.hpp"

using namespace sb;

TEST_CASE("OpenAPI document matches the router", "[server][api][openapi]") {
    state::MemorySessionStore store;
    auth::TokenService tokens(std::string(32, 'k'), "switchboard", 60, nullptr);
    session::CallControl calls(store, tokens, {}, [] { return state::EpochSeconds{0}; });
    auth::AccountAuthenticator authn({});
    base::RateLimiter limiter(0, 0);
    net::Router router;
    api::addRestApi(router, {calls, authn, limiter});
    ops::addOpsRoutes(router);
    signaling::DeviceGate gate(tokens, [] { return std::int64_t{0}; });
    signaling::addSignalingRoutes(router, gate);
    web::DemoApp demo(calls, {"acc"}, &authn);
    demo.addRoutes(router);  // documented; routed only when the demo config enables it
    // The voice API is routed when SIP is configured; documented always.
    voice::CallRegistry registry;
    voice::test::FakePlacer placer;
    voice::test::FakeCallbacks callbacks;
    voice::test::ManualExecutor executor;
    voice::VoiceConfig voiceConfig;
    voiceConfig.recordings = std::make_shared<voice::RecordingStore>(
        "/nonexistent/recordings", voice::RecordingLimits{});  // record
    voiceConfig.conferences = std::make_shared<voice::ConferenceService>(
        nullptr, callbacks, executor, voice::ConferenceLimits{}, "");  // conf
    voice::VoiceService voiceService(registry, placer, callbacks, executor, voiceConfig);
    voice::addVoiceRoutes(router, {authn, limiter}, voiceService);

    auto doc = nlohmann::json::parse(ops::kOpenApiDocument);
    REQUIRE(doc.at("openapi").get<std::string>().rfind("3.", 0) == 0);

    std::set<std::string> documented, routed, documentedIds, routedIds;
    for (const auto& [path, item] : doc.at("paths").items())
        for (const auto& [method, op] : item.items()) {
            std::string m = method;
            for (auto& c : m) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
            documented.insert(m + " " + path);
            documentedIds.insert(op.at("operationId").get<std::string>());
        }
    for (const auto& r : router.routes()) {
        routed.insert(r.method + " " + r.pattern);
        routedIds.insert(r.operationId);
    }
    CHECK(documented == routed);
    CHECK(documentedIds == routedIds);
    // The eleven call-control operations of reference §4.2, two operational ones (/metrics is on
    // the admin listener, not in this document), the device-token check, the voice API's five
    // /api/v2 operations and its three /v1 aliases, and the token refresh (an addition).
    // + the seven recordings and six conferences operations, and the demo's hangup.
    CHECK(routed.size() == 25 + 7 + 6 + 1 + 1);
}
