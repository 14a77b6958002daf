#pragma once
// Delivery of Voice webhooks (answer, initiate, redirect, transferComplete, disconnect, …) to the
// application. The real implementation is HttpCallbackClient; tests use a fake.

#include <chrono>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace sb::voice {

struct CallbackResult {
    int status = 0;    // HTTP status of the last attempt; 0 if no response was received
    std::string body;  // the response body (BXML for answer, redirect, …)
    std::string
        error;  // why delivery failed (connection, timeout, refused, …); empty if a response came
                // Never quotes what the remote sent: only fixed texts and local errors.

    bool ok() const { return error.empty() && status >= 200 && status < 300; }
};

// "HTTP 503 from http://app/answer" / "connection refused" — for logs and errorMessage.
std::string describeFailure(const CallbackResult& result, const std::string& url);

// Whose request this is: the account decides which non-public networks it may reach
// (OutboundPolicy); the call bounds how many of its requests may be pending at once.
// HTTP Basic credentials of a callback (Bandwidth's username/password and fallbackUsername/
// fallbackPassword). Never logged, never returned by the REST API.
struct BasicCredentials {
    std::string username;
    std::string password;
};

struct CallbackScope {
    std::string accountId;
    std::string callId;  // empty: counted against the server-wide bound only (disconnect events)
    // --- callbacks (issue 9): per-request settings; every member has a default so that
    // `{accountId, callId}` still initialises a scope.
    std::optional<BasicCredentials> credentials{};  // sent as Authorization: Basic
    std::chrono::milliseconds timeout{0};  // callbackTimeout per attempt; 0 = the client's own
    // --- end callbacks
};

class CallbackClient {
  public:
    virtual ~CallbackClient() = default;
    // Sends `body` to `url` with `method` ("POST": JSON body; "GET": the fields as query
    // parameters, as Bandwidth does). `done` is called exactly once, on any thread, after the
    // client's own retries (or at once when the request is refused: address not allowed for the
    // scope's account, too many requests pending). Thread-safe.
    virtual void post(const CallbackScope& scope, const std::string& url, const std::string& method,
                      nlohmann::json body, std::function<void(CallbackResult)> done) = 0;
};

}  // namespace sb::voice
