#pragma once
// The demo application's own route (enabled only by the demo config): "Join" on the demo page
// POSTs /demo/join and gets a device token for the shared demo session. It is what a customer's
// application server would do, done through the same CallControl as the REST API.

#include <mutex>
#include <string>

#include "server/api/CallControl.hpp"
#include "server/api/Router.hpp"
#include "server/ops/RateLimiter.hpp"
#include "server/voice/VoiceService.hpp"

namespace sb::web {

struct DemoConfig {
    std::string accountId;
};

class DemoApp {
public:
    DemoApp(api::CallControl& calls, DemoConfig config) : calls_(calls), config_(std::move(config)), limiter_(5, 20) {}
    void addRoutes(api::Router& router);
    // Phone features, when SIP is configured: "Call a phone" (POST /demo/call) places a call
    // whose answer callback (POST /demo/answer) returns transfer BXML into the demo session; the
    // same callback serves calls to the demo's inbound number.
    void enablePhones(voice::VoiceService* voice, std::string sipUri, std::string baseUrl) {
        voice_ = voice;
        sipUri_ = std::move(sipUri);
        baseUrl_ = std::move(baseUrl);
    }

private:
    std::string demoSession();
    api::CreatedParticipant phoneParticipant(const std::string& tag);

    api::CallControl& calls_;
    DemoConfig config_;
    ops::RateLimiter limiter_;
    std::mutex mutex_;
    std::string sessionId_;
    voice::VoiceService* voice_ = nullptr;
    std::string sipUri_, baseUrl_;
};

}  // namespace sb::web
