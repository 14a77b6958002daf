#pragma once
// Admission of devices to /v3/: the device token is verified (auth::TokenService::verify, the one
// check every entry point uses) before a WebSocket upgrade completes.

#include <optional>
#include <string>

#include "server/api/HttpTypes.hpp"
#include "server/auth/TokenService.hpp"

namespace sb::signaling {

struct DeviceIdentity {
    std::string accountId;
    std::string participantId;
    std::string client;      // "browser", "android", … as the SDK says
    std::string sdkVersion;
    std::string uniqueId;    // stable across the SDK's automatic reconnects
};

struct Admission {
    std::optional<DeviceIdentity> device;
    api::HttpResponse refusal;  // when !device: 401/403 with {error, code, requestId}
};

class DeviceGate {
public:
    DeviceGate(const auth::TokenService& tokens, std::function<std::int64_t()> clock)
        : tokens_(tokens), clock_(std::move(clock)) {}
    Admission admit(const api::HttpRequest& request) const;

private:
    const auth::TokenService& tokens_;
    std::function<std::int64_t()> clock_;
};

// The value of `name` in a query string, percent-decoded ('+' kept: tokens never contain it).
std::optional<std::string> queryParam(const std::string& query, const std::string& name);

}  // namespace sb::signaling
