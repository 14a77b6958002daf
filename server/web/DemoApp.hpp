#pragma once
// The demo application's own route (enabled only by the demo config): "Join" on the demo page
// POSTs /demo/join and gets a device token for the shared demo session. It is what a customer's
// application server would do, done through the same CallControl as the REST API.
// The demo routes hand out tokens and place calls, so they answer only clients on this machine or
// with the demo account's credentials, are rate-limited, and dial only configured destinations.

#include <mutex>
#include <string>
#include <vector>

#include "server/auth/BasicAuth.hpp"
#include "server/base/RateLimiter.hpp"
#include "server/net/Router.hpp"
#include "server/session/CallControl.hpp"
#include "server/voice/VoiceService.hpp"

namespace sb::web {

struct DemoConfig {
    std::string accountId;
    // Clients on this machine may use the demo without credentials; others (and all, when false)
    // must send the demo account's HTTP Basic credentials.
    bool trustLocalClients = true;
    // What /demo/call may dial: exact numbers, or prefixes ending in '*'. Empty: no dialing out.
    std::vector<std::string> callDestinations = {};
};

// Whether `to` is one of `allowed` (exact, or a prefix entry ending in '*').
bool demoDestinationAllowed(const std::vector<std::string>& allowed, const std::string& to);

// Phone features, when SIP is configured: "Call a phone" (POST /demo/call) places a call whose
// answer callback (POST /demo/answer) returns transfer BXML into the demo session; the same
// callback serves calls to the demo's inbound number; "Hang up" (POST
// /demo/calls/{callId}/hangup) ends a call the demo placed. No voice: the phone routes answer 404.
struct DemoPhones {
    voice::VoiceService* voice = nullptr;
    std::string sipUri, baseUrl;
};

class DemoApp {
  public:
    // Without `auth`, clients that are not trusted as local are refused (401).
    DemoApp(session::CallControl& calls, DemoConfig config,
            const auth::AccountAuthenticator* auth = nullptr, DemoPhones phones = {})
        : calls_(calls),
          config_(std::move(config)),
          auth_(auth),
          limiter_(5, 20),
          voice_(phones.voice),
          sipUri_(std::move(phones.sipUri)),
          baseUrl_(std::move(phones.baseUrl)) {}
    void addRoutes(net::Router& router);

  private:
    // Refuses (throws) a client that may not use the demo, or that is over the route's rate.
    void admit(const net::RequestContext& ctx, const std::string& route);
    std::string demoSession();
    session::CreatedParticipant phoneParticipant(const std::string& tag);

    session::CallControl& calls_;
    DemoConfig config_;
    const auth::AccountAuthenticator* auth_;
    base::RateLimiter limiter_;  // per route, all clients together: the demo is a shared toy
    std::mutex mutex_;
    std::string sessionId_;
    voice::VoiceService* const voice_;
    const std::string sipUri_, baseUrl_;
};

}  // namespace sb::web
