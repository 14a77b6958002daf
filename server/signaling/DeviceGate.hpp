#pragma once
// Admission of devices to /v3/: the device token is verified (auth::TokenService::verify, the one
// check every entry point uses) before a WebSocket upgrade completes.

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "server/auth/TokenService.hpp"
#include "server/net/ConcurrencyLimit.hpp"
#include "server/net/HttpTypes.hpp"

namespace sb::signaling {

struct DeviceIdentity {
    std::string accountId;
    std::string participantId;
    std::string client;  // "browser", "android", … as the SDK says
    std::string sdkVersion;
    std::string uniqueId;  // stable across the SDK's automatic reconnects
    // `loopback=1`: the device also receives its own streams (docs/protocol.md "Loopback
    // (preflight)"); kept across resumes, whatever their URL says.
    bool loopback = false;
};

struct Admission {
    std::optional<DeviceIdentity> device;
    // The device's place under the per-participant and per-account caps, held while it is
    // connected (released when this pointer goes).
    std::shared_ptr<net::ConcurrencyLimit::Slot> slot;
    net::HttpResponse refusal;  // when !device: 400/401/403/429 with {error, code, requestId}
};

// Concurrent devices (connections to /v3/); 0 = unlimited.
struct DeviceCaps {
    std::size_t perParticipant = 4;
    std::size_t perAccount = 1000;
};

// Limits of one connected device.
struct SessionLimits {
    std::size_t maxDiagnosticsBytes = std::size_t{64} * 1024;
};

class DeviceGate {
  public:
    DeviceGate(const auth::TokenService& tokens, std::function<std::int64_t()> clock,
               DeviceCaps caps = {})
        : tokens_(tokens), clock_(std::move(clock)), caps_(caps) {}
    // takeSlot false: the token is checked but no place under the caps is taken (a resume: the
    // device it resumes kept its own).
    Admission admit(const net::HttpRequest& request, bool takeSlot = true) const;
    // A place under the caps for a device restored from disk (no token: it shows one when it
    // resumes); null if the caps are full.
    std::shared_ptr<net::ConcurrencyLimit::Slot> reserve(const std::string& accountId,
                                                         const std::string& participantId) const;

  private:
    net::ConcurrencyLimit::Result acquire(const std::string& accountId,
                                          const std::string& participantId) const;

    const auth::TokenService& tokens_;
    std::function<std::int64_t()> clock_;
    DeviceCaps caps_;
    std::shared_ptr<net::ConcurrencyLimit> devices_ = std::make_shared<net::ConcurrencyLimit>();
};

// A refused device: `status` with {error, code, requestId}, readable by pages of any origin (the
// SDK reads it through GET /v3/ to tell its application why its WebSocket was refused).
net::HttpResponse deviceRefusal(int status, const char* code, const std::string& message,
                                const std::string& requestId);

// The value of `name` in a query string, percent-decoded ('+' kept: tokens never contain it).
std::optional<std::string> queryParam(const std::string& query, const std::string& name);

}  // namespace sb::signaling
