#include "server/net/HttpSession.hpp"

#include <atomic>
#include <cstdio>
#include <random>

#include "server/api/ApiError.hpp"
#include "server/app/Log.hpp"
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

std::string decodePercent(std::string_view in) {
    std::string out;
    out.reserve(in.size());
    for (std::size_t i = 0; i < in.size(); ++i) {
        if (in[i] == '%' && i + 2 < in.size() && std::isxdigit(static_cast<unsigned char>(in[i + 1])) &&
            std::isxdigit(static_cast<unsigned char>(in[i + 2]))) {
            out.push_back(static_cast<char>(std::stoi(std::string(in.substr(i + 1, 2)), nullptr, 16)));
            i += 2;
        } else {
            out.push_back(in[i]);
        }
    }
    return out;
}

}  // namespace

HttpSession::HttpSession(boost::asio::ip::tcp::socket socket, SessionShared& shared)
    : stream_(std::move(socket)), shared_(shared) {}

void HttpSession::start() {
    // Start on the connection's strand (Beast advanced_server idiom).
    boost::asio::dispatch(stream_.get_executor(),
                          beast::bind_front_handler(&HttpSession::read, shared_from_this()));
}

void HttpSession::read() {
    parser_.emplace();
    parser_->body_limit(shared_.options.maxBodyBytes);
    parser_->header_limit(static_cast<std::uint32_t>(shared_.options.maxHeaderBytes));
    stream_.expires_after(shared_.options.idleTimeout);
    http::async_read(stream_, buffer_, *parser_,
                     beast::bind_front_handler(&HttpSession::onRead, shared_from_this()));
}

void HttpSession::onRead(beast::error_code ec, std::size_t) {
    ++shared_.inFlight;
    auto started = std::chrono::steady_clock::now();
    if (ec == http::error::end_of_stream || ec == beast::error::timeout ||
        ec == boost::asio::error::operation_aborted || ec == boost::asio::error::connection_reset) {
        --shared_.inFlight;
        return close();
    }
    if (ec) {
        // The request could not be read whole: answer once, then drop the connection.
        std::string id = nextRequestId();
        api::ApiError err = ec == http::error::body_limit
                                ? api::errors::bodyTooLarge(shared_.options.maxBodyBytes)
                            : ec == http::error::header_limit
                                ? api::ApiError(api::ErrorCode::InvalidArgument, "Request headers are too large")
                                : api::ApiError(api::ErrorCode::InvalidArgument,
                                                "Malformed HTTP request: " + ec.message());
        reply(api::errorResponse(err, id), "unmatched", 11, false, started, id);
        return;
    }

    const Request& req = parser_->get();
    api::HttpRequest in;
    in.requestId = nextRequestId();
    in.method = std::string(req.method_string());
    std::string_view target(req.target().data(), req.target().size());
    auto q = target.find('?');
    in.path = decodePercent(target.substr(0, q));
    if (q != std::string_view::npos) in.query = std::string(target.substr(q + 1));
    if (auto it = req.find(http::field::authorization); it != req.end())
        in.authorization = std::string(it->value());
    if (auto it = req.find(http::field::content_type); it != req.end())
        in.contentType = std::string(it->value());
    in.body = req.body();

    if (beast::websocket::is_upgrade(req)) {
        api::HttpResponse refusal = api::errorResponse(api::errors::routeNotFound(in.path), in.requestId);
        if (shared_.options.upgrade) {
            auto decision = shared_.options.upgrade(in);
            if (decision.handler) {
                if (shared_.options.requestLog)
                    app::log(app::LogLevel::Info, "req=" + in.requestId + " GET " + in.path + " 101 websocket");
                --shared_.inFlight;
                auto ws = std::make_shared<WebSocketSession>(std::move(stream_), decision.handler,
                                                             shared_.options.wsLimits);
                ws->accept(parser_->release());
                return;
            }
            if (decision.refusal) refusal = std::move(*decision.refusal);
        }
        reply(std::move(refusal), "websocket", req.version(), false, started, in.requestId);
        return;
    }

    std::uint64_t journalSeq = 0;
    std::optional<state::CommitScope> scope;
    if (shared_.options.awaitDurable) scope.emplace();
    auto routed = shared_.router.handle(in);
    if (scope) journalSeq = scope->seq();
    scope.reset();
    if (journalSeq == 0)
        return reply(std::move(routed.response), routed.route, req.version(), req.keep_alive(), started, in.requestId);
    // The request changed stored state: acknowledge it only once that change is on disk. This
    // thread serves its other connections meanwhile; the group commit shares one fdatasync
    // between every request that wrote before it started.
    shared_.options.awaitDurable(
        journalSeq, [self = shared_from_this(), routed = std::make_shared<api::RoutedResponse>(std::move(routed)),
                     version = req.version(), keepAlive = req.keep_alive(), started, id = in.requestId](bool durable) {
            boost::asio::post(self->stream_.get_executor(), [self, routed, version, keepAlive, started, id, durable] {
                if (!durable)
                    routed->response = api::errorResponse(
                        api::ApiError(api::ErrorCode::Internal, "The change could not be saved to disk"), id);
                self->reply(std::move(routed->response), routed->route, version, keepAlive, started, id);
            });
        });
}

void HttpSession::reply(api::HttpResponse response, const std::string& route, unsigned version,
                        bool keepAlive, std::chrono::steady_clock::time_point started,
                        const std::string& requestId) {
    const Request& req = parser_->get();
    std::string method = parser_->is_header_done() ? std::string(req.method_string()) : "-";
    std::string target = parser_->is_header_done() ? std::string(req.target()) : "-";

    response_ = std::make_shared<Response>(static_cast<http::status>(response.status), version);
    response_->set(http::field::server, "switchboard");
    response_->set("X-Request-Id", requestId);
    if (!response.contentType.empty()) response_->set(http::field::content_type, response.contentType);
    for (const auto& [k, v] : response.headers) response_->set(k, v);
    bool head = method == "HEAD";
    response_->body() = head ? std::string() : std::move(response.body);
    response_->keep_alive(keepAlive);
    response_->prepare_payload();

    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    shared_.metrics.recordRequest(route, method, response.status, seconds);
    if (shared_.options.requestLog && app::logEnabled(app::LogLevel::Info)) {
        // The query is left out: device tokens travel in it.
        auto q = target.find('?');
        char dur[32];
        std::snprintf(dur, sizeof dur, "%.3fms", seconds * 1000);
        app::log(app::LogLevel::Info, "req=" + requestId + " " + method + " " + target.substr(0, q) + " " +
                                          std::to_string(response.status) + " " + dur);
    }

    http::async_write(stream_, *response_,
                      beast::bind_front_handler(&HttpSession::onWrite, shared_from_this(),
                                                keepAlive && response.status != 413));
}

void HttpSession::onWrite(bool keepAlive, beast::error_code ec, std::size_t) {
    response_.reset();
    --shared_.inFlight;
    if (ec) return close();
    if (!keepAlive) return close();
    read();
}

void HttpSession::close() {
    beast::error_code ec;
    stream_.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_send, ec);
    stream_.socket().close(ec);
}

}  // namespace sb::net
