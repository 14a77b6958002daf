// Fuzzes the HTTP request path: raw bytes are parsed by Beast's request_parser (with the server's
// header and body limits), turned into an net::HttpRequest as server/net/HttpSession.cpp does, and
// handled by a Router wired like server/app/Server.cpp (REST API, voice API, ops, /v3 check, demo
// routes) over a MemorySessionStore. Several pipelined requests in one input run against the same
// state, as on a keep-alive connection. Findings: any crash or sanitizer report, an exception that
// escapes Router::handle, a 5xx reply (an unhandled error), a JSON reply that is not JSON, or a
// reply Beast cannot serialise.
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "server/api/RestApi.hpp"
#include "server/api/SessionErrorReply.hpp"
#include "server/auth/TokenService.hpp"
#include "server/base/Log.hpp"
#include "server/base/Metrics.hpp"
#include "server/net/ApiRequest.hpp"
#include "server/ops/OpsApi.hpp"
#include "server/session/CallControl.hpp"
#include "server/signaling/DeviceGate.hpp"
#include "server/signaling/SignalingRoutes.hpp"
#include "server/state/MemorySessionStore.hpp"
#include "server/voice/CallRegistry.hpp"
#include "server/voice/VoiceApi.hpp"
#include "server/voice/VoiceService.hpp"
#include "server/web/DemoApp.hpp"
#include "unit/voice/VoiceFakes.hpp"

namespace beast = boost::beast;
namespace http = beast::http;
using namespace sb;

namespace {

constexpr std::int64_t kNow = 1714566896;
constexpr std::size_t kMaxBodyBytes = 64 * 1024;  // app::Config defaults
constexpr std::size_t kMaxHeaderBytes = 16 * 1024;

// The account of config/switchboard.demo.json (the seeds use its credentials).
auth::Account demoAccount() {
    auth::Account a;
    a.id = "9900000";
    a.username = "demo";
    a.password = "demo-password";
    a.allowedDestinations = {"\\+?[0-9]{3,15}"};
    return a;
}

// Server::Parts (server/app/Server.cpp) with the SIP side replaced by the voice tests' fakes.
// The token service is the one part shared by all inputs: keying its HMAC (OpenSSL) is most of the
// cost of a fresh wiring. It asks the store of the input being run.
state::MemorySessionStore* currentStore = nullptr;
const auth::TokenService& tokenService() {
    static const auth::TokenService tokens("fuzz-secret-0123456789abcdef0123", "switchboard", 3600,
                                           [](const std::string& a, const std::string& p) {
                                               return currentStore &&
                                                      currentStore->participant(a, p).has_value();
                                           });
    return tokens;
}

struct Wiring {
    state::MemorySessionStore store;
    const auth::TokenService& tokens = tokenService();
    session::CallControl calls{store, tokens, {20, 9 * 3600}, [] { return kNow; }};
    auth::AccountAuthenticator authenticator{{demoAccount()}};
    base::RateLimiter limiter{1e9, 1e9};  // the fuzzer is one client sending as fast as it can
    base::Metrics metrics;
    net::Router router{api::translateError};
    signaling::DeviceGate gate{tokens, [] { return kNow; }};
    voice::test::FakePlacer placer;
    voice::test::FakeCallbacks callbacks;
    voice::test::ManualExecutor executor;
    voice::CallRegistry registry;
    std::unique_ptr<voice::VoiceService> voice;
    std::unique_ptr<web::DemoApp> demo;

    Wiring() {
        currentStore = &store;
        voice::CallPolicy policy;
        policy.allowedDestinations = demoAccount().allowedDestinations;
        registry.setPolicy("9900000", policy);
        voice = std::make_unique<voice::VoiceService>(registry, placer, callbacks, executor);
        api::addRestApi(router, {calls, authenticator, limiter});
        ops::addOpsRoutes(router);
        signaling::addSignalingRoutes(router, gate);
        demo = std::make_unique<web::DemoApp>(
            calls, web::DemoConfig{"9900000"}, nullptr,
            web::DemoPhones{voice.get(), "sip:127.0.0.1:5060", "http://127.0.0.1:8080"});
        demo->addRoutes(router);
        voice::addVoiceRoutes(router, {authenticator, limiter}, *voice);
    }
    ~Wiring() { currentStore = nullptr; }
};

[[noreturn]] void finding(const std::string& what, const net::HttpResponse& r) {
    std::fprintf(stderr, "FINDING: %s: status %d body %s\n", what.c_str(), r.status,
                 r.body.c_str());
    std::abort();
}

// What HttpSession::reply does with the response, serialised to text instead of a socket.
void checkReply(const net::HttpResponse& r, unsigned version) {
    if (r.status >= 500) finding("unhandled error", r);
    if (r.contentType == "application/json" && !r.body.empty() &&
        nlohmann::json::parse(r.body, nullptr, false).is_discarded())
        finding("reply is not JSON", r);
    http::response<http::string_body> res(static_cast<http::status>(r.status), version);
    res.set(http::field::server, "switchboard");
    if (!r.contentType.empty()) res.set(http::field::content_type, r.contentType);
    for (const auto& [k, v] : r.headers) res.set(k, v);
    res.body() = r.body;
    res.prepare_payload();
    std::ostringstream out;
    out << res;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    base::setLogLevel(base::LogLevel::Off);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    Wiring w;
    beast::flat_buffer buffer;
    auto copy = buffer.prepare(size);
    std::memcpy(copy.data(), data, size);
    buffer.commit(size);
    for (int n = 0; n < 8 && buffer.size() > 0; ++n) {
        http::request_parser<http::string_body> parser;
        parser.body_limit(kMaxBodyBytes);
        parser.header_limit(static_cast<std::uint32_t>(kMaxHeaderBytes));
        parser.eager(true);
        beast::error_code ec;
        while (!parser.is_done()) {
            std::size_t used = parser.put(buffer.data(), ec);
            buffer.consume(used);
            if (ec != http::error::need_more) break;
            ec = {};
            if (used == 0 || buffer.size() == 0) {
                // The input ends here: end of stream, as async_read reports it to the parser.
                parser.put_eof(ec);
                break;
            }
        }
        if (ec || !parser.is_done())
            return 0;  // HttpSession answers "Malformed HTTP request" and closes

        const auto& req = parser.get();
        net::HttpRequest in;
        in.requestId = "fuzz-" + std::to_string(n);
        in.remoteAddress = "127.0.0.1";
        in.fromThisHost = true;  // as a local client: the demo routes are reached too
        if (auto bad = net::toApiRequest(req, in)) {
            // HttpSession answers this refusal and closes the connection.
            checkReply(net::errorResponse(*bad, in.requestId), req.version());
            break;
        }

        if (beast::websocket::is_upgrade(req)) {
            // The /v3/ upgrade is decided by DeviceGate (SignalingService's upgrade handler).
            auto admission = w.gate.admit(in);
            if (!admission.device) checkReply(admission.refusal, req.version());
            continue;
        }
        auto routed = w.router.handle(in);
        checkReply(routed.response, req.version());
        w.executor.run();
        if (!req.keep_alive()) break;
    }
    return 0;
}
