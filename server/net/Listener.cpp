#include "server/net/Listener.hpp"

#include <algorithm>
#include <boost/asio/strand.hpp>

#include "server/base/Log.hpp"
#include "server/net/TlsContext.hpp"

namespace sb::net {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

std::shared_ptr<asio::ssl::context> loadTls(const HttpServerOptions& options) {
    if (!options.tls) return nullptr;
    auto context = makeTlsContext(*options.tls);
    base::log(base::LogLevel::Info, "tls: certificate " + describeCertificate(*context));
    return context;
}

}  // namespace

Listener::Listener(Pool& pool, const HttpServerOptions& options, const net::Router& router,
                   base::Metrics& metrics, std::shared_ptr<ConcurrencyLimit> connections,
                   const std::atomic<bool>& stopping)
    : shared_{router, metrics, options},
      pool_(pool),
      stopping_(stopping),
      connections_(std::move(connections)),
      acceptor_(asio::make_strand(*pool.front())),
      tls_(loadTls(options)),
      acceptTimer_(*pool.front()) {
    std::string where = options.address + ":" + std::to_string(options.port);
    try {
        tcp::endpoint endpoint(asio::ip::make_address(options.address), options.port);
        acceptor_.open(endpoint.protocol());
        acceptor_.set_option(asio::socket_base::reuse_address(true));
        acceptor_.bind(endpoint);
        acceptor_.listen(asio::socket_base::max_listen_connections);
    } catch (const boost::system::system_error& e) {
        throw std::runtime_error("cannot listen on " + where + ": " + e.code().message());
    }
}

std::uint16_t Listener::port() const {
    return acceptor_.local_endpoint().port();
}

void Listener::close() {
    boost::system::error_code ec;
    acceptor_.close(ec);
    acceptTimer_.cancel();
}

void Listener::reloadTls() {
    if (!shared_.options.tls) return;
    try {
        auto fresh = makeTlsContext(*shared_.options.tls);
        auto described = describeCertificate(*fresh);
        {
            std::lock_guard<std::mutex> lock(tlsMutex_);
            tls_ = std::move(fresh);
        }
        base::log(base::LogLevel::Info, "tls: reloaded; new connections get " + described);
    } catch (const std::exception& e) {
        base::log(base::LogLevel::Error,
                  std::string("tls: reload failed, keeping the current certificate: ") + e.what());
    }
}

std::shared_ptr<asio::ssl::context> Listener::currentTls() {
    std::lock_guard<std::mutex> lock(tlsMutex_);
    return tls_;
}

void Listener::accept() {
    auto& ioc = *pool_[next_++ % pool_.size()];
    acceptor_.async_accept(
        asio::make_strand(ioc), [this](boost::system::error_code ec, tcp::socket s) {
            if (ec) {
                if (ec == asio::error::operation_aborted || !acceptor_.is_open()) return;
                if (outOfDescriptors(ec)) return backOff(ec);
                base::log(base::LogLevel::Warn, "accept: " + ec.message());
            } else {
                acceptDelay_ = std::chrono::milliseconds(0);
                try {
                    admit(std::move(s));
                } catch (const std::exception& e) {
                    base::log(base::LogLevel::Error,
                              std::string("accept: connection dropped: ") + e.what());
                }
            }
            accept();
        });
}

// EMFILE/ENFILE (and the kernel's own memory shortages) do not go away by retrying at once:
// the pending connection stays queued, so an immediate retry fails again and the loop spins.
bool Listener::outOfDescriptors(const boost::system::error_code& ec) {
    return ec == asio::error::no_descriptors ||
           ec == boost::system::errc::too_many_files_open_in_system ||
           ec == asio::error::no_buffer_space || ec == asio::error::no_memory;
}

// Pauses accepting for 50 ms, doubling up to 1 s while the shortage lasts; logs once per pause
// of a second or more (and the first), with how many accepts failed in between.
void Listener::backOff(const boost::system::error_code& ec) {
    acceptDelay_ = std::clamp(acceptDelay_ * 2, std::chrono::milliseconds(50),
                              std::chrono::milliseconds(1000));
    ++acceptFailures_;
    auto now = std::chrono::steady_clock::now();
    if (now - lastAcceptLog_ >= std::chrono::seconds(1)) {
        base::log(base::LogLevel::Warn, "accept: " + ec.message() + " (" +
                                            std::to_string(acceptFailures_) +
                                            " times); pausing accepts for " +
                                            std::to_string(acceptDelay_.count()) + " ms");
        lastAcceptLog_ = now;
        acceptFailures_ = 0;
    }
    acceptTimer_.expires_after(acceptDelay_);
    acceptTimer_.async_wait([this](boost::system::error_code waitEc) {
        if (waitEc || stopping_ || !acceptor_.is_open()) return;
        accept();
    });
}

namespace {
// An IPv4 client of a dual-stack listener appears as ::ffff:a.b.c.d; count it as a.b.c.d.
asio::ip::address plain(const asio::ip::address& a) {
    if (a.is_v6() && a.to_v6().is_v4_mapped())
        return asio::ip::make_address_v4(asio::ip::v4_mapped, a.to_v6());
    return a;
}
}  // namespace

// The connection caps: over either, the client gets a fixed 503 (RFC 9110 §15.6.4) written
// without waiting and without reading its request, and the connection is closed. Over TLS the
// connection is just closed: a 503 would need a handshake first, the expensive part a flood of
// connections must not get from the server.
void Listener::admit(tcp::socket s) {
    boost::system::error_code ec;
    auto remote = s.remote_endpoint(ec);
    if (ec) return;  // already gone
    auto local = s.local_endpoint(ec);
    auto address = plain(remote.address());
    Peer peer;
    peer.address = address.to_string();
    peer.thisHost = address.is_loopback() || (!ec && plain(local.address()) == address);
    auto taken = connections_->tryAcquire(
        {{"*", shared_.options.maxConnections},
         {"addr " + peer.address, shared_.options.maxConnectionsPerAddress}});
    if (!taken.slot)
        return refuseBusy(std::move(s),
                          taken.refusedBy == 0 ? "server" : "address " + peer.address);
    peer.slot = std::move(taken.slot);
    s.set_option(tcp::no_delay(true), ec);
    if (shared_.options.tls) {
        auto context = currentTls();
        TlsStream stream(std::move(s), *context);
        peer.tls = std::move(context);
        std::make_shared<HttpSession<TlsStream>>(std::move(stream), shared_, std::move(peer))
            ->start();
        return;
    }
    std::make_shared<HttpSession<PlainStream>>(PlainStream(std::move(s)), shared_, std::move(peer))
        ->start();
}

void Listener::refuseBusy(tcp::socket s, const std::string& which) {
    static const std::string kBody =
        R"({"error":"Too many connections; retry later","code":"too_many_connections"})";
    static const std::string kReply =
        "HTTP/1.1 503 Service Unavailable\r\nServer: switchboard\r\n"
        "Content-Type: application/json\r\nRetry-After: 1\r\nConnection: close\r\n"
        "Content-Length: " +
        std::to_string(kBody.size()) + "\r\n\r\n" + kBody;
    boost::system::error_code ec;
    s.non_blocking(true, ec);
    if (!shared_.options.tls)
        s.write_some(asio::buffer(kReply), ec);  // a fresh socket's send buffer takes it at once
    s.shutdown(tcp::socket::shutdown_both, ec);
    s.close(ec);
    ++refused_;
    auto now = std::chrono::steady_clock::now();
    if (now - lastRefusedLog_ >= std::chrono::seconds(1)) {
        base::log(base::LogLevel::Warn, "connection limit of the " + which + " reached: refused " +
                                            std::to_string(refused_) + " connection(s) with 503");
        lastRefusedLog_ = now;
        refused_ = 0;
    }
}

}  // namespace sb::net
