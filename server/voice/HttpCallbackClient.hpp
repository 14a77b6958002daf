#pragma once
// CallbackClient over HTTP/1.1 (Boost.Beast, kept inside HttpCallbackClient.cpp for compile
// time). http:// and https:// (OpenSSL, TLS 1.2 or later, the server's certificate verified
// against the system store plus an optional CA file, and its name or IP address checked as
// RFC 6125 says; SNI is sent for names). A certificate that fails verification fails the request
// at once with a fixed reason ("TLS certificate of HOST not accepted: <OpenSSL's verify
// reason>"): it is not retried, the answer would be the same. Each attempt has a deadline;
// connection errors, timeouts and 5xx replies are retried with exponential backoff, a bounded
// number of times; every failure is logged. HTTP redirects (3xx) are not followed: they fail the
// request like any other non-2xx status.
//
// Safety (docs/security.md "Outbound requests and Janus"): the host is resolved once, every
// address is checked against the OutboundPolicy for the request's account, and the connection
// goes only to addresses that passed. Requests pending at once are bounded per call and in all;
// past a bound the new request is refused at once (its `done` gets the reason) — the ones already
// under way are kept, since they are older and were admitted first.

#include <boost/asio/any_io_executor.hpp>
#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "server/voice/CallbackClient.hpp"
#include "server/voice/OutboundPolicy.hpp"

namespace sb::voice {

struct HttpCallbackOptions {
    std::chrono::milliseconds timeout{10000};  // per attempt: resolve, connect, send, receive
    int maxAttempts = 3;
    std::chrono::milliseconds firstBackoff{500};  // then doubled: 0.5 s, 1 s, 2 s, …
    std::size_t maxResponseBytes =
        std::size_t{1024} * 1024;  // BXML itself is limited to 64 KiB by the parser
    std::string userAgent = "Switchboard-Voice/1.0";
    // Null: no account may reach any non-public address.
    std::shared_ptr<const OutboundPolicy> policy;
    std::size_t maxPending = 1000;       // requests under way (including retry waits), all calls
    std::size_t maxPendingPerCall = 16;  // … for one call id
    // PEM file of extra CA certificates trusted for https:// callbacks and audio URLs (private
    // CAs, tests), in addition to the system store. Empty: the system store only.
    std::string caFile;
};

struct TlsContext;

struct PendingCounts;

class HttpCallbackClient : public CallbackClient {
  public:
    // Throws std::runtime_error when options.caFile cannot be read as PEM certificates.
    explicit HttpCallbackClient(boost::asio::any_io_executor executor,
                                HttpCallbackOptions options = {});
    void post(const CallbackScope& scope, const std::string& url, const std::string& method,
              nlohmann::json body, std::function<void(CallbackResult)> done) override;
    std::size_t pending() const;

  private:
    void refuse(const std::string& url, const std::string& why,
                std::function<void(CallbackResult)> done);

    boost::asio::any_io_executor executor_;
    HttpCallbackOptions options_;
    std::shared_ptr<PendingCounts> pending_;
    std::shared_ptr<TlsContext> tls_;
};

// "a=1&b=x%20y" from a flat JSON object (strings as they are, other scalars as JSON, nulls and
// nested values left out): the query of a GET callback.
std::string formEncode(const nlohmann::json& fields);

}  // namespace sb::voice
