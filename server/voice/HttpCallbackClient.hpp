#pragma once
// CallbackClient over HTTP/1.1 (Boost.Beast, kept inside HttpCallbackClient.cpp for compile
// time). http:// only. Each attempt has a deadline; connection errors, timeouts and 5xx replies
// are retried with exponential backoff, a bounded number of times; every failure is logged.

#include <boost/asio/any_io_executor.hpp>
#include <chrono>
#include <cstddef>
#include <string>

#include "server/voice/CallbackClient.hpp"

namespace sb::voice {

struct HttpCallbackOptions {
    std::chrono::milliseconds timeout{10000};       // per attempt: resolve, connect, send, receive
    int maxAttempts = 3;
    std::chrono::milliseconds firstBackoff{500};    // then doubled: 0.5 s, 1 s, 2 s, …
    std::size_t maxResponseBytes = 1024 * 1024;     // BXML itself is limited to 64 KiB by the parser
    std::string userAgent = "Switchboard-Voice/1.0";
};

class HttpCallbackClient : public CallbackClient {
public:
    explicit HttpCallbackClient(boost::asio::any_io_executor executor, HttpCallbackOptions options = {});
    void post(const std::string& url, const std::string& method, nlohmann::json body,
              std::function<void(CallbackResult)> done) override;

private:
    boost::asio::any_io_executor executor_;
    HttpCallbackOptions options_;
};

// "a=1&b=x%20y" from a flat JSON object (strings as they are, other scalars as JSON, nulls and
// nested values left out): the query of a GET callback.
std::string formEncode(const nlohmann::json& fields);

}  // namespace sb::voice
