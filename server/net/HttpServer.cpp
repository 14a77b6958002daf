#include "server/net/HttpServer.hpp"

#include <algorithm>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <list>
#include <thread>

#include "server/base/Log.hpp"
#include "server/net/HttpSession.hpp"

namespace sb::net {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

// One io_context per thread, each connection bound to one of them (round robin), instead of one
// io_context shared by all threads: with a shared one, every completion may be handed to another
// thread through the reactor's lock and a futex wake-up, and perf showed the scheduler and its
// context switches taking over a quarter of the CPU of a GET. The rest of the server (media, SIP,
// voice) runs on strands of the first io_context.
class HttpServer::Impl {
  public:
    static std::vector<std::unique_ptr<asio::io_context>> makePool(unsigned threads) {
        std::vector<std::unique_ptr<asio::io_context>> pool;
        for (unsigned i = 0; i < std::max(1u, threads); ++i)
            pool.push_back(std::make_unique<asio::io_context>(1));
        return pool;
    }

    Impl(const HttpServerOptions& options, const net::Router& router, base::Metrics& metrics)
        : shared_{router, metrics, options},
          pool_(makePool(options.threads)),
          ioc_(*pool_.front()),
          acceptor_(asio::make_strand(ioc_)),
          signals_(ioc_, SIGINT, SIGTERM) {
        // The other io_contexts may have nothing to do between connections: keep them running.
        for (std::size_t i = 1; i < pool_.size(); ++i)
            idle_.emplace_back(asio::make_work_guard(*pool_[i]));
        tcp::endpoint endpoint(asio::ip::make_address(options.address), options.port);
        acceptor_.open(endpoint.protocol());
        acceptor_.set_option(asio::socket_base::reuse_address(true));
        acceptor_.bind(endpoint);
        acceptor_.listen(asio::socket_base::max_listen_connections);
    }

    void accept() {
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
    static bool outOfDescriptors(const boost::system::error_code& ec) {
        return ec == asio::error::no_descriptors ||
               ec == boost::system::errc::too_many_files_open_in_system ||
               ec == asio::error::no_buffer_space || ec == asio::error::no_memory;
    }

    // Pauses accepting for 50 ms, doubling up to 1 s while the shortage lasts; logs once per pause
    // of a second or more (and the first), with how many accepts failed in between.
    void backOff(const boost::system::error_code& ec) {
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

    // The connection caps: over either, the client gets a fixed 503 (RFC 9110 §15.6.4) written
    // without waiting and without reading its request, and the connection is closed.
    void admit(tcp::socket s) {
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
        std::make_shared<HttpSession>(std::move(s), shared_, std::move(peer))->start();
    }

    // An IPv4 client of a dual-stack listener appears as ::ffff:a.b.c.d; count it as a.b.c.d.
    static asio::ip::address plain(const asio::ip::address& a) {
        if (a.is_v6() && a.to_v6().is_v4_mapped())
            return asio::ip::make_address_v4(asio::ip::v4_mapped, a.to_v6());
        return a;
    }

    void refuseBusy(tcp::socket s, const std::string& which) {
        static const std::string kBody =
            R"({"error":"Too many connections; retry later","code":"too_many_connections"})";
        static const std::string kReply =
            "HTTP/1.1 503 Service Unavailable\r\nServer: switchboard\r\n"
            "Content-Type: application/json\r\nRetry-After: 1\r\nConnection: close\r\n"
            "Content-Length: " +
            std::to_string(kBody.size()) + "\r\n\r\n" + kBody;
        boost::system::error_code ec;
        s.non_blocking(true, ec);
        s.write_some(asio::buffer(kReply), ec);  // a fresh socket's send buffer takes it at once
        s.shutdown(tcp::socket::shutdown_both, ec);
        s.close(ec);
        ++refused_;
        auto now = std::chrono::steady_clock::now();
        if (now - lastRefusedLog_ >= std::chrono::seconds(1)) {
            base::log(base::LogLevel::Warn, "connection limit of the " + which +
                                                " reached: refused " + std::to_string(refused_) +
                                                " connection(s) with 503");
            lastRefusedLog_ = now;
            refused_ = 0;
        }
    }

    void schedule(asio::steady_timer& timer, std::chrono::seconds period,
                  const std::function<void()>& task) {
        timer.expires_after(period);
        timer.async_wait([this, &timer, period, task](boost::system::error_code ec) {
            if (ec || stopping_) return;
            try {
                task();
            } catch (const std::exception& e) {
                base::log(base::LogLevel::Error, std::string("periodic task failed: ") + e.what());
            }
            schedule(timer, period, task);
        });
    }

    void beginShutdown(std::chrono::seconds drain) {
        if (stopping_.exchange(true)) return;
        base::log(base::LogLevel::Info,
                  "shutting down: no new connections, finishing requests in flight");
        asio::post(acceptor_.get_executor(), [this] {
            boost::system::error_code ec;
            acceptor_.close(ec);
        });
        for (auto& t : timers_) t.cancel();
        asio::post(acceptor_.get_executor(), [this] { acceptTimer_.cancel(); });
        auto deadline = std::chrono::steady_clock::now() + drain;
        waitForIdle(deadline);
    }

    void waitForIdle(std::chrono::steady_clock::time_point deadline) {
        if (shared_.inFlight.load() <= 0 || std::chrono::steady_clock::now() >= deadline) {
            idle_.clear();
            for (auto& ioc : pool_) ioc->stop();
            return;
        }
        auto timer = std::make_shared<asio::steady_timer>(ioc_, std::chrono::milliseconds(20));
        timer->async_wait(
            [this, timer, deadline](boost::system::error_code) { waitForIdle(deadline); });
    }

    SessionShared shared_;
    std::vector<std::unique_ptr<asio::io_context>> pool_;
    asio::io_context& ioc_;  // the first: listener, signals, timers, and everything outside HTTP
    std::vector<asio::executor_work_guard<asio::io_context::executor_type>> idle_;
    std::size_t next_ = 0;  // the acceptor's strand only
    tcp::acceptor acceptor_;
    asio::signal_set signals_;
    std::list<asio::steady_timer> timers_;
    std::atomic<bool> stopping_{false};
    // The acceptor's (single-threaded) io_context only:
    std::shared_ptr<ConcurrencyLimit> connections_ = std::make_shared<ConcurrencyLimit>();
    asio::steady_timer acceptTimer_{ioc_};
    std::chrono::milliseconds acceptDelay_{0};
    std::size_t acceptFailures_ = 0;
    std::chrono::steady_clock::time_point lastAcceptLog_{};
    std::size_t refused_ = 0;
    std::chrono::steady_clock::time_point lastRefusedLog_{};
};

HttpServer::HttpServer(const HttpServerOptions& options, const net::Router& router,
                       base::Metrics& metrics)
    : impl_(std::make_unique<Impl>(options, router, metrics)) {}

HttpServer::~HttpServer() = default;

std::uint16_t HttpServer::port() const {
    return impl_->acceptor_.local_endpoint().port();
}

boost::asio::any_io_executor HttpServer::executor() const {
    return impl_->ioc_.get_executor();
}

void HttpServer::every(std::chrono::seconds period, const std::function<void()>& task) {
    auto& timer = impl_->timers_.emplace_back(impl_->ioc_);
    impl_->schedule(timer, period, task);
}

void HttpServer::run(std::chrono::seconds drain) {
    impl_->signals_.async_wait([this, drain](boost::system::error_code ec, int sig) {
        if (ec) return;
        base::log(base::LogLevel::Info, "received signal " + std::to_string(sig));
        impl_->beginShutdown(drain);
    });
    impl_->accept();
    std::vector<std::thread> extra;
    for (std::size_t i = 1; i < impl_->pool_.size(); ++i)
        extra.emplace_back([this, i] { impl_->pool_[i]->run(); });
    impl_->ioc_.run();
    for (auto& t : extra) t.join();
}

void HttpServer::stop() {
    asio::post(impl_->ioc_, [this] { impl_->beginShutdown(std::chrono::seconds(5)); });
}

}  // namespace sb::net
