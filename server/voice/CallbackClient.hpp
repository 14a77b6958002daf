#pragma once
// Delivery of Voice webhooks (answer, initiate, redirect, transferComplete, disconnect, …) to the
// application. The real implementation is HttpCallbackClient; tests use a fake.

#include <functional>
#include <nlohmann/json.hpp>
#include <string>

namespace sb::voice {

struct CallbackResult {
    int status = 0;      // HTTP status of the last attempt; 0 if no response was received
    std::string body;    // the response body (BXML for answer, redirect, …)
    std::string error;   // why delivery failed (connection, timeout, …); empty if a response came

    bool ok() const { return error.empty() && status >= 200 && status < 300; }
};

// "HTTP 503 from http://app/answer" / "connection refused" — for logs and errorMessage.
std::string describeFailure(const CallbackResult& result, const std::string& url);

class CallbackClient {
public:
    virtual ~CallbackClient() = default;
    // Sends `body` to `url` with `method` ("POST": JSON body; "GET": the fields as query
    // parameters, as Bandwidth does). `done` is called exactly once, on any thread, after the
    // client's own retries. Thread-safe.
    virtual void post(const std::string& url, const std::string& method, nlohmann::json body,
                      std::function<void(CallbackResult)> done) = 0;
};

}  // namespace sb::voice
