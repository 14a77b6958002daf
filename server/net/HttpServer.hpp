#pragma once
// The HTTP listener and its io_context threads. Beast stays behind this header (pimpl) because
// it is expensive to compile; the rest of the server sees net::Router only.

#include <boost/asio/any_io_executor.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "server/base/Metrics.hpp"
#include "server/net/Router.hpp"
#include "server/net/WebSocket.hpp"

namespace sb::net {

struct TlsFiles {
    std::string certFile;  // PEM: the certificate, then the intermediates (fullchain.pem)
    std::string keyFile;   // PEM: the private key, unencrypted
};

struct HttpServerOptions {
    std::string address = "127.0.0.1";
    std::uint16_t port = 8080;
    unsigned threads = 1;
    std::size_t maxBodyBytes = std::size_t{64} * 1024;
    std::size_t maxHeaderBytes = std::size_t{16} * 1024;
    std::chrono::seconds idleTimeout{
        60};  // waiting for the next request on a kept-alive connection
    std::chrono::seconds headerTimeout{10};  // receiving one request header (slowloris)
    std::chrono::seconds bodyTimeout{30};    // receiving one request body
    std::size_t maxUriBytes = 8192;
    std::size_t maxConnections = 10000;  // 0 = unlimited
    std::size_t maxConnectionsPerAddress = 256;
    bool requestLog = true;
    // Called for WebSocket upgrade requests; none = upgrades are refused with 404.
    UpgradeHandler upgrade;
    WebSocketLimits wsLimits;
    // Set when the store makes writes durable asynchronously (group commit): a request's writes
    // are collected in a state::CommitScope, and its reply is sent only once this calls back
    // with true (with false: a 500). Unset: handlers block until their writes are durable.
    std::function<void(std::uint64_t journalSeq, std::function<void(bool durable)> done)>
        awaitDurable;
    // Set: HTTPS and WSS only (docs/security.md "TLS"), the files read again on SIGHUP.
    std::optional<TlsFiles> tls;
    // Not 0: a redirect listener; every request is answered with 308 to https:// on this port.
    std::uint16_t redirectToHttpsPort = 0;
};

class HttpServer {
  public:
    HttpServer(const HttpServerOptions& options, const net::Router& router, base::Metrics& metrics);
    ~HttpServer();
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    // The bound port (useful with port 0).
    std::uint16_t port() const;
    // Another listener served by the same threads, with its own router and options (threads,
    // awaitDurable and upgrade of `options` aside: those are the main listener's; no upgrades).
    // Before run() only. Returns the bound port; throws std::runtime_error if it cannot bind.
    std::uint16_t listen(const HttpServerOptions& options, const net::Router& router);
    // A plain-HTTP listener answering every request with 308 to https:// on the main listener's
    // port, without reading bodies. Before run() only. Returns the bound port.
    std::uint16_t redirectToHttps(const std::string& address, std::uint16_t port);
    boost::asio::any_io_executor executor() const;
    // Runs `task` on the server's loop every `period`, until shutdown.
    void every(std::chrono::seconds period, const std::function<void()>& task);
    // Serves until SIGINT/SIGTERM or stop(); then closes the listeners and lets in-flight
    // requests finish (bounded by `drain`) before returning. SIGHUP reloads the TLS certificate.
    void run(std::chrono::seconds drain = std::chrono::seconds(5));
    void stop();

    class Impl;

  private:
    std::unique_ptr<Impl> impl_;
};

}  // namespace sb::net
