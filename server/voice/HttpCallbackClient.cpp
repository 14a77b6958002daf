// The only translation unit of the voice library that includes Beast.
#include "server/voice/HttpCallbackClient.hpp"
#include "protocol/PercentEncoding.hpp"
#include "protocol/SafeJson.hpp"

#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <vector>

#include "server/base/Log.hpp"
#include "server/voice/HttpTarget.hpp"

namespace sb::voice {

namespace asio = boost::asio;
namespace http = boost::beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using boost::system::error_code;

std::string formEncode(const nlohmann::json& fields) {
    std::string q;
    for (const auto& [key, value] : fields.items()) {
        if (value.is_null() || value.is_structured()) continue;
        q += (q.empty() ? "" : "&") + protocol::encodePercent(key) + "=" +
             protocol::encodePercent(value.is_string() ? value.get<std::string>()
                                                       : protocol::dumpJson(value));
    }
    return q;
}

// One OpenSSL client context for all requests: TLS 1.2+, peers verified against the system
// store and the configured CA file.
struct TlsContext {
    ssl::context context{ssl::context::tls_client};
};

namespace {
std::shared_ptr<TlsContext> makeTlsContext(const std::string& caFile) {
    auto tls = std::make_shared<TlsContext>();
    auto* native = tls->context.native_handle();
    SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION);
    tls->context.set_options(ssl::context::default_workarounds | ssl::context::no_compression);
    tls->context.set_verify_mode(ssl::verify_peer);
    boost::system::error_code ec;
    tls->context.set_default_verify_paths(ec);
    if (ec)
        base::log(base::LogLevel::Warn,
                  "voice: the system's CA store could not be loaded: " + ec.message());
    if (!caFile.empty()) {
        tls->context.load_verify_file(caFile, ec);
        if (ec)
            throw std::runtime_error("callbackCaFile " + caFile +
                                     ": cannot load CA certificates (" + ec.message() + ")");
    }
    return tls;
}

std::string basicAuthorization(const BasicCredentials& c) {
    auto plain = c.username + ":" + c.password;
    std::string out(4 * ((plain.size() + 2) / 3) + 1, '\0');
    auto n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                             reinterpret_cast<const unsigned char*>(plain.data()),
                             static_cast<int>(plain.size()));
    out.resize(static_cast<std::size_t>(n));
    return "Basic " + out;
}
}  // namespace

// Requests under way, in all and per call id; a Ticket holds one place until it is destroyed.
struct PendingCounts {
    std::mutex mutex;
    std::size_t total = 0;
    std::unordered_map<std::string, std::size_t> perCall;
};

namespace {

class Ticket {
  public:
    Ticket(std::shared_ptr<PendingCounts> counts, std::string callId)
        : counts_(std::move(counts)), callId_(std::move(callId)) {}
    Ticket(const Ticket&) = delete;
    Ticket& operator=(const Ticket&) = delete;
    ~Ticket() {
        std::lock_guard lock(counts_->mutex);
        --counts_->total;
        if (callId_.empty()) return;
        auto it = counts_->perCall.find(callId_);
        if (it != counts_->perCall.end() && --it->second == 0) counts_->perCall.erase(it);
    }

  private:
    std::shared_ptr<PendingCounts> counts_;
    std::string callId_;
};

class Delivery : public std::enable_shared_from_this<Delivery> {
  public:
    Delivery(const asio::any_io_executor& ex, const HttpCallbackOptions& options,
             std::string accountId, std::string url, HttpTarget target,
             http::request<http::string_body> request, std::function<void(CallbackResult)> done,
             std::unique_ptr<Ticket> ticket, std::shared_ptr<TlsContext> tls)
        : options_(options),
          accountId_(std::move(accountId)),
          url_(std::move(url)),
          ticket_(std::move(ticket)),
          target_(std::move(target)),
          request_(std::move(request)),
          done_(std::move(done)),
          tlsContext_(std::move(tls)),
          resolver_(ex),
          socket_(ex),
          deadline_(ex),
          backoff_(ex) {}

    void start() {
        asio::post(socket_.get_executor(), [self = shared_from_this()] { self->attempt(); });
    }

  private:
    // The TCP socket of this attempt (under the TLS stream for https).
    tcp::socket& lowest() { return tls_ ? tls_->next_layer() : socket_; }

    void attempt() {
        ++attempt_;
        timedOut_ = false;
        socket_ = tcp::socket(socket_.get_executor());
        tls_.reset();
        if (target_.tls) {
            tls_ = std::make_unique<ssl::stream<tcp::socket>>(socket_.get_executor(),
                                                              tlsContext_->context);
            if (!configureTls()) return;
        }
        parser_.emplace();
        parser_->body_limit(options_.maxResponseBytes);
        buffer_.clear();
        deadline_.expires_after(options_.timeout);
        deadline_.async_wait([self = shared_from_this(), n = attempt_](const error_code& ec) {
            if (ec || n != self->attempt_ || self->finished_) return;
            self->timedOut_ = true;
            self->resolver_.cancel();
            error_code ignored;
            self->lowest().close(ignored);
        });
        resolver_.async_resolve(
            target_.host, target_.port,
            [self = shared_from_this()](const error_code& ec,
                                        const tcp::resolver::results_type& results) {
                if (ec) return self->failed(ec, "resolving " + self->target_.host);
                self->connect(results);
            });
    }

    // The certificate must name the URL's host (RFC 6125: DNS name, or the IP address for an
    // address literal); SNI (RFC 6066) carries names only, never addresses.
    bool configureTls() {
        SSL* native = tls_->native_handle();
        error_code ec;
        auto literal = asio::ip::make_address(target_.host, ec);
        bool ok = true;
        if (!ec) {
            ok = X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(native),
                                               literal.to_string().c_str()) == 1;
        } else {
            ok = SSL_set1_host(native, target_.host.c_str()) == 1;
// OpenSSL's SSL_set_tlsext_host_name macro casts C-style.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wold-style-cast"
            ok = ok &&
                 SSL_set_tlsext_host_name(native, const_cast<char*>(target_.host.c_str())) == 1;
#pragma GCC diagnostic pop
        }
        if (ok) return true;
        CallbackResult r;
        r.error = "cannot set up TLS for " + target_.host;
        finish(std::move(r));
        return false;
    }

    // Only the resolved addresses the account may reach are connected to; the check and the
    // connection use the same addresses (no second lookup an attacker's DNS could answer
    // differently).
    void connect(const tcp::resolver::results_type& results) {
        std::vector<tcp::endpoint> allowed;
        std::optional<std::string> refusal;
        for (const auto& entry : results) {
            auto endpoint = entry.endpoint();
            auto why = options_.policy ? options_.policy->refusal(accountId_, endpoint.address())
                                       : OutboundPolicy().refusal(accountId_, endpoint.address());
            if (why)
                refusal = why;
            else
                allowed.push_back(endpoint);
        }
        if (allowed.empty()) {
            deadline_.cancel();
            CallbackResult r;
            r.error = "refused: " + target_.host + " resolves to " + refusal.value_or("no address");
            base::log(base::LogLevel::Warn, "voice: callback " + url_ + " not sent: " + r.error);
            return finish(std::move(r));  // not retried: the answer would be the same
        }
        asio::async_connect(
            lowest(), allowed,
            [self = shared_from_this()](const error_code& ec, const tcp::endpoint&) {
                if (ec) return self->failed(ec, "connecting");
                if (!self->tls_) return self->exchange(self->socket_);
                self->tls_->async_handshake(ssl::stream_base::client,
                                            [self](const error_code& hec) {
                                                if (hec) return self->handshakeFailed(hec);
                                                self->exchange(*self->tls_);
                                            });
            });
    }

    // A certificate OpenSSL refused is reported with OpenSSL's fixed reason for it (never text
    // from the peer) and not retried.
    void handshakeFailed(const error_code& ec) {
        auto verdict = SSL_get_verify_result(tls_->native_handle());
        if (verdict == X509_V_OK || timedOut_) return failed(ec, "the TLS handshake");
        deadline_.cancel();
        CallbackResult r;
        r.error = "TLS certificate of " + target_.host +
                  " not accepted: " + X509_verify_cert_error_string(verdict);
        base::log(base::LogLevel::Warn, "voice: callback " + url_ + " not sent: " + r.error);
        finish(std::move(r));
    }

    template <typename Stream>
    void exchange(Stream& stream) {
        http::async_write(stream, request_,
                          [self = shared_from_this(), &stream](const error_code& wec, std::size_t) {
                              if (wec) return self->failed(wec, "sending the request");
                              http::async_read(stream, self->buffer_, *self->parser_,
                                               [self](const error_code& rec, std::size_t) {
                                                   if (rec)
                                                       return self->failed(rec,
                                                                           "reading the response");
                                                   self->responded();
                                               });
                          });
    }

    void responded() {
        deadline_.cancel();
        error_code ignored;
        // No TLS close_notify: the request said Connection: close and the whole body is read.
        lowest().shutdown(tcp::socket::shutdown_both, ignored);
        auto& res = parser_->get();
        CallbackResult r;
        r.status = static_cast<int>(res.result_int());
        r.body = std::move(res.body());
        if (r.status >= 500)
            return retryOrFinish(std::move(r), "HTTP " + std::to_string(res.result_int()));
        finish(std::move(r));
    }

    void failed(const error_code& ec, const std::string& during) {
        deadline_.cancel();
        CallbackResult r;
        r.error = timedOut_
                      ? "no response within " + std::to_string(options_.timeout.count()) + " ms"
                      : ec.message() + " while " + during;
        auto why = r.error;
        retryOrFinish(std::move(r), why);
    }

    void retryOrFinish(CallbackResult r, const std::string& why) {
        bool retry = attempt_ < options_.maxAttempts;
        auto delay = options_.firstBackoff * (1 << std::min(attempt_ - 1, 10));
        base::log(base::LogLevel::Warn,
                  "voice: callback " + std::string(request_.method_string()) + " " + url_ +
                      " attempt " + std::to_string(attempt_) + "/" +
                      std::to_string(options_.maxAttempts) + " failed: " + why +
                      (retry ? "; retrying in " + std::to_string(delay.count()) + " ms" : ""));
        if (!retry) return finish(std::move(r));
        backoff_.expires_after(delay);
        backoff_.async_wait([self = shared_from_this()](const error_code& ec) {
            if (!ec) self->attempt();
        });
    }

    void finish(CallbackResult r) {
        finished_ = true;
        ticket_.reset();  // the place is free before `done` may post the next request
        error_code ignored;
        lowest().close(ignored);
        auto done = std::move(done_);
        done(std::move(r));
    }

    HttpCallbackOptions options_;
    std::string accountId_;
    std::string url_;
    std::unique_ptr<Ticket> ticket_;
    HttpTarget target_;
    http::request<http::string_body> request_;
    std::function<void(CallbackResult)> done_;
    std::shared_ptr<TlsContext> tlsContext_;
    tcp::resolver resolver_;
    tcp::socket socket_;
    std::unique_ptr<ssl::stream<tcp::socket>> tls_;
    asio::steady_timer deadline_;
    asio::steady_timer backoff_;
    boost::beast::flat_buffer buffer_;
    std::optional<http::response_parser<http::string_body>> parser_;
    int attempt_ = 0;
    bool timedOut_ = false;
    bool finished_ = false;
};

}  // namespace

HttpCallbackClient::HttpCallbackClient(boost::asio::any_io_executor executor,
                                       HttpCallbackOptions options)
    : executor_(std::move(executor)),
      options_(std::move(options)),
      pending_(std::make_shared<PendingCounts>()),
      tls_(makeTlsContext(options_.caFile)) {}

std::size_t HttpCallbackClient::pending() const {
    std::lock_guard lock(pending_->mutex);
    return pending_->total;
}

void HttpCallbackClient::refuse(const std::string& url, const std::string& why,
                                std::function<void(CallbackResult)> done) {
    base::log(base::LogLevel::Warn, "voice: callback to " + url + " not sent: " + why);
    CallbackResult r;
    r.error = why;
    asio::post(executor_,
               [done = std::move(done), r = std::move(r)]() mutable { done(std::move(r)); });
}

void HttpCallbackClient::post(const CallbackScope& scope, const std::string& url,
                              const std::string& method, nlohmann::json body,
                              std::function<void(CallbackResult)> done) {
    std::string why;
    auto target = parseHttpUrl(url, why);
    if (!target) return refuse(url, why, std::move(done));
    std::unique_ptr<Ticket> ticket;
    {
        std::lock_guard lock(pending_->mutex);
        // An empty call id (the one disconnect event of a call) counts against the global bound
        // only.
        bool perCall = !scope.callId.empty();
        std::size_t mine = 0;
        if (perCall) {
            auto it = pending_->perCall.find(scope.callId);
            if (it != pending_->perCall.end()) mine = it->second;
        }
        if (pending_->total >= options_.maxPending)
            why = "refused: too many callbacks pending on this server";
        else if (perCall && mine >= options_.maxPendingPerCall)
            why = "refused: too many callbacks pending for this call";
        if (why.empty()) {
            if (perCall) ++pending_->perCall[scope.callId];
            ++pending_->total;
        }
    }
    if (!why.empty()) return refuse(url, why, std::move(done));
    ticket = std::make_unique<Ticket>(pending_, scope.callId);
    bool get = method == "GET";
    auto path = target->path;
    if (get) {
        auto q = formEncode(body);
        if (!q.empty()) path += (path.find('?') == std::string::npos ? "?" : "&") + q;
    }
    http::request<http::string_body> req{get ? http::verb::get : http::verb::post, path, 11};
    req.set(http::field::host, target->hostHeader);
    req.set(http::field::user_agent, options_.userAgent);
    req.set(http::field::accept, "application/xml, text/xml, */*");
    req.set(http::field::connection, "close");
    if (scope.credentials)
        req.set(http::field::authorization, basicAuthorization(*scope.credentials));
    if (!get) {
        req.set(http::field::content_type, "application/json");
        req.body() = protocol::dumpJson(body);
    }
    req.prepare_payload();
    auto options = options_;
    if (scope.timeout.count() > 0) options.timeout = scope.timeout;  // the call's callbackTimeout
    std::make_shared<Delivery>(executor_, options, scope.accountId, url, std::move(*target),
                               std::move(req), std::move(done), std::move(ticket), tls_)
        ->start();
}

}  // namespace sb::voice
