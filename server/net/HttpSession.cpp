#include "server/net/HttpSession.hpp"

#include <atomic>
#include <cstdio>
#include <limits>
#include <nlohmann/json.hpp>
#include <random>

#include "server/base/Log.hpp"
#include "server/net/ApiRequest.hpp"
#include "server/net/FileReply.hpp"
#include "server/net/HttpsRedirect.hpp"
#include "server/net/WebSocketSession.hpp"
#include "server/state/CommitScope.hpp"

namespace sb::net {

namespace beast = boost::beast;
namespace http = beast::http;

namespace {

// Request ids: a per-process random prefix plus a counter — unique, cheap, and sortable in logs.
std::string nextRequestId() {
    static const std::string prefix = [] {
        std::random_device rd;
        char buf[16];
        std::snprintf(buf, sizeof buf, "%08x", rd());
        return std::string(buf);
    }();
    static std::atomic<std::uint64_t> counter{0};
    char buf[32];
    std::snprintf(buf, sizeof buf, "-%llu", static_cast<unsigned long long>(++counter));
    return prefix + buf;
}

// What a WebSocket keeps of the HTTP connection it came from, until it closes.
struct Held {
    std::shared_ptr<ConcurrencyLimit::Slot> slot;
    std::shared_ptr<const void> tls;
};

// A peer that does not answer our close_notify is dropped after this; it has its reply already.
constexpr std::chrono::seconds kTlsShutdownTimeout{3};

}  // namespace

template <class Stream>
HttpSession<Stream>::HttpSession(Stream stream, SessionShared& shared, Peer peer)
    : stream_(std::move(stream)), shared_(shared), peer_(std::move(peer)) {}

template <class Stream>
void HttpSession<Stream>::start() {
    // Start on the connection's strand (Beast advanced_server idiom). The first request's header
    // deadline runs from the connection, and covers the TLS handshake too: a client that connects
    // and stays silent, or handshakes slowly, holds nothing for longer than headerTimeout.
    auto deadline = std::chrono::steady_clock::now() + shared_.options.headerTimeout;
    boost::asio::dispatch(stream_.get_executor(), [self = this->shared_from_this(), deadline] {
        if constexpr (kIsTls<Stream>)
            self->handshake(deadline);
        else
            self->readHeader(deadline);
    });
}

template <class Stream>
void HttpSession<Stream>::handshake(std::chrono::steady_clock::time_point deadline) {
    if constexpr (kIsTls<Stream>) {
        beast::get_lowest_layer(stream_).expires_at(deadline);
        stream_.async_handshake(boost::asio::ssl::stream_base::server,
                                [self = this->shared_from_this(), deadline](beast::error_code ec) {
                                    if (ec) {
                                        // Scanners and plain-HTTP clients: not worth more than
                                        // debug.
                                        base::log(base::LogLevel::Debug,
                                                  "tls handshake from " + self->peer_.address +
                                                      " failed: " + ec.message());
                                        return self->closeSocket();
                                    }
                                    self->handshaken_ = true;
                                    self->readHeader(deadline);
                                });
    }
}

// Between requests on a kept-alive connection: wait up to idleTimeout for the next request's
// first byte; its header then gets headerTimeout from there.
template <class Stream>
void HttpSession<Stream>::awaitRequest() {
    if (buffer_.size() > 0)
        return readHeader(std::chrono::steady_clock::now() + shared_.options.headerTimeout);
    beast::get_lowest_layer(stream_).expires_after(shared_.options.idleTimeout);
    stream_.async_read_some(buffer_.prepare(4096), [self = this->shared_from_this()](
                                                       beast::error_code ec, std::size_t n) {
        if (ec) return self->close();
        self->buffer_.commit(n);
        self->readHeader(std::chrono::steady_clock::now() + self->shared_.options.headerTimeout);
    });
}

template <class Stream>
void HttpSession<Stream>::readHeader(std::chrono::steady_clock::time_point deadline) {
    parser_.emplace();
    // The redirect listener never reads a body, so a body of any announced size is no reason to
    // refuse (Beast checks Content-Length against the limit with the header). Not boost::none:
    // Boost 1.74 compares Content-Length with the optional, and any length is above "none".
    if (shared_.options.redirectToHttpsPort)
        parser_->body_limit(std::numeric_limits<std::uint64_t>::max());
    else
        parser_->body_limit(shared_.options.maxBodyBytes);
    parser_->header_limit(static_cast<std::uint32_t>(shared_.options.maxHeaderBytes));
    beast::get_lowest_layer(stream_).expires_at(deadline);
    http::async_read_header(
        stream_, buffer_, *parser_,
        beast::bind_front_handler(&HttpSession::onHeader, this->shared_from_this()));
}

// True if the read failed; the connection is then answered once and closed, or just closed.
template <class Stream>
bool HttpSession<Stream>::readFailed(beast::error_code ec) {
    if (!ec) return false;
    if (ec == http::error::end_of_stream || ec == beast::error::timeout ||
        ec == boost::asio::error::operation_aborted || ec == boost::asio::error::connection_reset ||
        ec == boost::asio::error::eof) {
        close();
        return true;
    }
    if (ec == http::error::body_limit)
        refuse(net::errors::bodyTooLarge(shared_.options.maxBodyBytes));
    else if (ec == http::error::header_limit)
        refuse(net::errors::headersTooLarge(shared_.options.maxHeaderBytes));
    // Beast's messages name the rule broken, never the bytes received.
    else
        refuse(net::HttpError(net::ErrorCode::InvalidArgument,
                              "Malformed HTTP request: " + ec.message()));
    return true;
}

template <class Stream>
void HttpSession<Stream>::onHeader(beast::error_code ec, std::size_t) {
    started_ = std::chrono::steady_clock::now();
    try {
        afterHeader(ec);
    } catch (const std::exception& e) {
        base::log(base::LogLevel::Error, std::string("http: connection dropped: ") + e.what());
        close();
    }
}

template <class Stream>
void HttpSession<Stream>::afterHeader(beast::error_code ec) {
    if (readFailed(ec)) return;
    // RFC 9112 §3: a server that receives a request-target longer than it handles answers 414.
    if (parser_->get().target().size() > shared_.options.maxUriBytes)
        return refuse(net::errors::uriTooLong(shared_.options.maxUriBytes));
    if (shared_.options.redirectToHttpsPort) return redirect();
    beast::get_lowest_layer(stream_).expires_after(shared_.options.bodyTimeout);
    http::async_read(stream_, buffer_, *parser_,
                     beast::bind_front_handler(&HttpSession::onRead, this->shared_from_this()));
}

template <class Stream>
void HttpSession<Stream>::onRead(beast::error_code ec, std::size_t) {
    if (readFailed(ec)) return;
    ++shared_.inFlight;
    try {
        handle();
    } catch (const std::exception& e) {
        // The router catches what handlers throw; this is for everything around it.
        base::log(base::LogLevel::Error,
                  std::string("http: request failed outside the router: ") + e.what());
        try {
            reply(net::errorResponse(net::errors::internal(), "-"), "unmatched", 11, false, "-");
        } catch (const std::exception&) {
            --shared_.inFlight;
            close();
        }
    }
}

template <class Stream>
void HttpSession<Stream>::handle() {
    const Request& req = parser_->get();
    net::HttpRequest in;
    in.requestId = nextRequestId();
    in.remoteAddress = peer_.address;
    in.fromThisHost = peer_.thisHost;
    if (auto bad = toApiRequest(req, in)) {
        --shared_.inFlight;
        return refuse(*bad);
    }

    if (beast::websocket::is_upgrade(req)) {
        net::HttpResponse refusal =
            net::errorResponse(net::errors::routeNotFound(in.path), in.requestId);
        if (shared_.options.upgrade) {
            auto decision = shared_.options.upgrade(in);
            if (decision.handler) {
                if (shared_.options.requestLog)
                    base::log(base::LogLevel::Info,
                              "req=" + in.requestId + " GET " + in.path + " 101 websocket");
                --shared_.inFlight;
                auto ws = std::make_shared<BasicWebSocketSession<Stream>>(
                    std::move(stream_), decision.handler, shared_.options.wsLimits,
                    std::make_shared<Held>(Held{std::move(peer_.slot), std::move(peer_.tls)}));
                ws->accept(parser_->release());
                return;
            }
            if (decision.refusal) refusal = std::move(*decision.refusal);
        }
        reply(std::move(refusal), "websocket", req.version(), false, in.requestId);
        return;
    }

    std::uint64_t journalSeq = 0;
    std::optional<state::CommitScope> scope;
    if (shared_.options.awaitDurable) scope.emplace();
    auto routed = shared_.router.handle(in);
    if (scope) journalSeq = scope->seq();
    scope.reset();
    if (journalSeq == 0)
        return reply(std::move(routed.response), routed.route, req.version(), req.keep_alive(),
                     in.requestId);
    // The request changed stored state: acknowledge it only once that change is on disk. This
    // thread serves its other connections meanwhile; the group commit shares one fdatasync
    // between every request that wrote before it started.
    shared_.options.awaitDurable(
        journalSeq,
        [self = this->shared_from_this(),
         routed = std::make_shared<net::RoutedResponse>(std::move(routed)), version = req.version(),
         keepAlive = req.keep_alive(), id = in.requestId](bool durable) {
            boost::asio::post(
                self->stream_.get_executor(), [self, routed, version, keepAlive, id, durable] {
                    if (!durable)
                        routed->response = net::errorResponse(
                            net::HttpError(net::ErrorCode::Internal,
                                           "The change could not be saved to disk"),
                            id);
                    self->reply(std::move(routed->response), routed->route, version, keepAlive, id);
                });
        });
}

// Answers a request that could not be read or accepted whole, then drops the connection.
template <class Stream>
void HttpSession<Stream>::refuse(const net::HttpError& error) {
    ++shared_.inFlight;
    if (started_ == std::chrono::steady_clock::time_point{})
        started_ = std::chrono::steady_clock::now();
    std::string id = nextRequestId();
    reply(net::errorResponse(error, id), "unmatched", 11, false, id);
}

template <class Stream>
void HttpSession<Stream>::reply(net::HttpResponse response, const std::string& route,
                                unsigned version, bool keepAlive, const std::string& requestId) {
    const Request& req = parser_->get();
    std::string method = parser_->is_header_done() ? std::string(req.method_string()) : "-";
    std::string target = parser_->is_header_done() ? std::string(req.target()) : "-";

    response_ = std::make_shared<Response>(static_cast<http::status>(response.status), version);
    response_->set(http::field::server, "switchboard");
    response_->set("X-Request-Id", requestId);
    if (!response.contentType.empty())
        response_->set(http::field::content_type, response.contentType);
    for (const auto& [k, v] : response.headers) response_->set(k, v);
    bool head = method == "HEAD";
    response_->body() = head ? std::string() : std::move(response.body);
    response_->keep_alive(keepAlive);
    response_->prepare_payload();

    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
    shared_.metrics.recordRequest(route, method, response.status, seconds);
    if (shared_.options.requestLog && base::logEnabled(base::LogLevel::Info)) {
        // The query is left out: device tokens travel in it. The path is cut: it may be long.
        auto q = target.find('?');
        char dur[32];
        std::snprintf(dur, sizeof dur, "%.3fms", seconds * 1000);
        base::log(base::LogLevel::Info, "req=" + requestId + " " + method + " " +
                                            target.substr(0, std::min<std::size_t>(q, 200)) + " " +
                                            std::to_string(response.status) + " " + dur);
    }

    if (response.file) {  // a download: streamed from the file, one chunk at a time (FileReply)
        typename BasicFileReply<Stream>::Response header(static_cast<http::status>(response.status),
                                                         version);
        for (const auto& field : *response_) header.set(field.name_string(), field.value());
        header.keep_alive(keepAlive);
        response_.reset();
        auto sender = std::make_shared<BasicFileReply<Stream>>(stream_, std::move(header),
                                                               std::move(response.file), head,
                                                               shared_.options.bodyTimeout);
        sender->start([self = this->shared_from_this(), keepAlive](beast::error_code ec) {
            self->onWrite(keepAlive, ec, 0);
        });
        return;
    }
    // A reader too slow to take the reply is dropped.
    beast::get_lowest_layer(stream_).expires_after(shared_.options.bodyTimeout);
    http::async_write(stream_, *response_,
                      beast::bind_front_handler(&HttpSession::onWrite, this->shared_from_this(),
                                                keepAlive && response.status != 413));
}

template <class Stream>
void HttpSession<Stream>::onWrite(bool keepAlive, beast::error_code ec, std::size_t) {
    response_.reset();
    --shared_.inFlight;
    if (ec) return close();
    if (!keepAlive) return close();
    awaitRequest();
}

template <class Stream>
void HttpSession<Stream>::close() {
    if constexpr (kIsTls<Stream>) {
        // RFC 8446 §6.1: close_notify tells the client the data ended here and was not cut.
        if (handshaken_ && !shuttingDown_) {
            shuttingDown_ = true;
            beast::get_lowest_layer(stream_).expires_after(kTlsShutdownTimeout);
            stream_.async_shutdown(
                [self = this->shared_from_this()](beast::error_code) { self->closeSocket(); });
            return;
        }
    }
    closeSocket();
}

template <class Stream>
void HttpSession<Stream>::closeSocket() {
    beast::error_code ec;
    auto& socket = beast::get_lowest_layer(stream_).socket();
    socket.shutdown(boost::asio::ip::tcp::socket::shutdown_send, ec);
    socket.close(ec);
}

// Answers with 308 (RFC 9110 §15.4.9: the method and body are kept) to the same host and target
// on the HTTPS port, without reading the body, and closes the connection.
template <class Stream>
void HttpSession<Stream>::redirect() {
    const Request& req = parser_->get();
    ++shared_.inFlight;
    std::string id = nextRequestId();
    auto host = req[http::field::host];
    auto target = req.target();
    auto location = httpsLocation(std::string_view(host.data(), host.size()),
                                  shared_.options.redirectToHttpsPort,
                                  std::string_view(target.data(), target.size()));
    net::HttpResponse response;
    if (!location) {
        response = net::errorResponse(
            net::HttpError(net::ErrorCode::InvalidArgument,
                           "Use https://: the Host header is missing or not a host name"),
            id);
    } else {
        response = net::HttpResponse::json(308, nlohmann::json{{"location", *location}}.dump());
        response.headers.emplace_back("Location", *location);
    }
    reply(std::move(response), "redirect", req.version(), false, id);
}

template class HttpSession<PlainStream>;
template class HttpSession<TlsStream>;

}  // namespace sb::net
