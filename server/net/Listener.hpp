#pragma once
// One listening socket of the HttpServer (the public listener, the admin listener, the HTTP to
// HTTPS redirect): accepts connections under the shared connection caps and starts a session on
// each, plain or TLS. Internal to server/net (HttpServer.cpp); includes Beast.

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <memory>
#include <mutex>
#include <vector>

#include "server/net/ConcurrencyLimit.hpp"
#include "server/net/HttpSession.hpp"

namespace sb::net {

class Listener {
  public:
    using Pool = std::vector<std::unique_ptr<boost::asio::io_context>>;

    // Binds at once; throws std::runtime_error naming the address when it cannot, or the TLS
    // file that is wrong (options.tls). Connections are spread over `pool` round robin; the
    // acceptor itself runs on the first io_context.
    Listener(Pool& pool, const HttpServerOptions& options, const net::Router& router,
             base::Metrics& metrics, std::shared_ptr<ConcurrencyLimit> connections,
             const std::atomic<bool>& stopping);

    void accept();
    void close();  // on the acceptor's strand
    std::uint16_t port() const;
    int inFlight() const { return shared_.inFlight.load(); }
    bool tls() const { return shared_.options.tls.has_value(); }
    // Builds a new TLS context from the files for the connections accepted from now on; those
    // open keep theirs. On failure, logs why and keeps the current one. Thread-safe.
    void reloadTls();

  private:
    static bool outOfDescriptors(const boost::system::error_code& ec);
    void backOff(const boost::system::error_code& ec);
    void admit(boost::asio::ip::tcp::socket s);
    void refuseBusy(boost::asio::ip::tcp::socket s, const std::string& which);
    std::shared_ptr<boost::asio::ssl::context> currentTls();

    SessionShared shared_;
    Pool& pool_;
    const std::atomic<bool>& stopping_;
    std::shared_ptr<ConcurrencyLimit> connections_;
    std::size_t next_ = 0;  // the acceptor's strand only
    boost::asio::ip::tcp::acceptor acceptor_;
    std::mutex tlsMutex_;
    std::shared_ptr<boost::asio::ssl::context> tls_;  // under tlsMutex_
    // The acceptor's (single-threaded) io_context only:
    boost::asio::steady_timer acceptTimer_;
    std::chrono::milliseconds acceptDelay_{0};
    std::size_t acceptFailures_ = 0;
    std::chrono::steady_clock::time_point lastAcceptLog_{};
    std::size_t refused_ = 0;
    std::chrono::steady_clock::time_point lastRefusedLog_{};
};

}  // namespace sb::net
