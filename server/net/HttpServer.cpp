#include "server/net/HttpServer.hpp"

#include <algorithm>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <list>
#include <thread>

#include "server/base/Log.hpp"
#include "server/net/Listener.hpp"

namespace sb::net {

namespace asio = boost::asio;

// One io_context per thread, each connection bound to one of them (round robin), instead of one
// io_context shared by all threads: with a shared one, every completion may be handed to another
// thread through the reactor's lock and a futex wake-up, and perf showed the scheduler and its
// context switches taking over a quarter of the CPU of a GET. The rest of the server (media, SIP,
// voice) runs on strands of the first io_context, as do the listeners' acceptors.
class HttpServer::Impl {
  public:
    static Listener::Pool makePool(unsigned threads) {
        Listener::Pool pool;
        for (unsigned i = 0; i < std::max(1u, threads); ++i)
            pool.push_back(std::make_unique<asio::io_context>(1));
        return pool;
    }

    Impl(const HttpServerOptions& options, const net::Router& router, base::Metrics& metrics)
        : options_(options),
          router_(router),
          metrics_(metrics),
          pool_(makePool(options.threads)),
          ioc_(*pool_.front()),
          signals_(ioc_, SIGINT, SIGTERM),
          hangup_(ioc_, SIGHUP) {
        // The other io_contexts may have nothing to do between connections: keep them running.
        for (std::size_t i = 1; i < pool_.size(); ++i)
            idle_.emplace_back(asio::make_work_guard(*pool_[i]));
        add(options, router);
    }

    Listener& add(const HttpServerOptions& options, const net::Router& router) {
        return *listeners_.emplace_back(
            std::make_unique<Listener>(pool_, options, router, metrics_, connections_, stopping_));
    }

    // SIGHUP (RFC-less convention of daemons: "reload"): the certificate files are read again,
    // for certificate renewals. Without TLS the signal is logged and ignored rather than ending
    // the process, its default action.
    void awaitHangup() {
        hangup_.async_wait([this](boost::system::error_code ec, int) {
            if (ec) return;
            bool any = false;
            for (auto& l : listeners_) {
                if (!l->tls()) continue;
                any = true;
                l->reloadTls();
            }
            if (!any) base::log(base::LogLevel::Info, "SIGHUP: no TLS certificate to reload");
            awaitHangup();
        });
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
        // The acceptors live on strands of ioc_, which only this (the first) thread runs.
        asio::post(ioc_, [this] {
            for (auto& l : listeners_) l->close();
        });
        for (auto& t : timers_) t.cancel();
        boost::system::error_code ec;
        hangup_.cancel(ec);
        auto deadline = std::chrono::steady_clock::now() + drain;
        waitForIdle(deadline);
    }

    int inFlight() const {
        int n = 0;
        for (const auto& l : listeners_) n += l->inFlight();
        return n;
    }

    void waitForIdle(std::chrono::steady_clock::time_point deadline) {
        if (inFlight() <= 0 || std::chrono::steady_clock::now() >= deadline) {
            idle_.clear();
            for (auto& ioc : pool_) ioc->stop();
            return;
        }
        auto timer = std::make_shared<asio::steady_timer>(ioc_, std::chrono::milliseconds(20));
        timer->async_wait(
            [this, timer, deadline](boost::system::error_code) { waitForIdle(deadline); });
    }

    HttpServerOptions options_;  // the main listener's
    const net::Router& router_;
    base::Metrics& metrics_;
    Listener::Pool pool_;
    asio::io_context& ioc_;  // the first: listeners, signals, timers, and everything outside HTTP
    std::vector<asio::executor_work_guard<asio::io_context::executor_type>> idle_;
    asio::signal_set signals_;
    asio::signal_set hangup_;
    std::list<asio::steady_timer> timers_;
    std::atomic<bool> stopping_{false};
    // Shared by all listeners: the caps are on the process's connections, whichever port.
    std::shared_ptr<ConcurrencyLimit> connections_ = std::make_shared<ConcurrencyLimit>();
    std::vector<std::unique_ptr<Listener>> listeners_;  // the main one first
};

HttpServer::HttpServer(const HttpServerOptions& options, const net::Router& router,
                       base::Metrics& metrics)
    : impl_(std::make_unique<Impl>(options, router, metrics)) {}

HttpServer::~HttpServer() = default;

std::uint16_t HttpServer::port() const {
    return impl_->listeners_.front()->port();
}

std::uint16_t HttpServer::listen(const HttpServerOptions& options, const net::Router& router) {
    auto own = options;
    own.upgrade = nullptr;
    own.awaitDurable = nullptr;
    return impl_->add(own, router).port();
}

std::uint16_t HttpServer::redirectToHttps(const std::string& address, std::uint16_t port) {
    auto own = impl_->options_;
    own.address = address;
    own.port = port;
    own.tls.reset();
    own.upgrade = nullptr;
    own.awaitDurable = nullptr;
    own.redirectToHttpsPort = this->port();
    return impl_->add(own, impl_->router_).port();  // the router is never consulted
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
    impl_->awaitHangup();
    for (auto& l : impl_->listeners_) l->accept();
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
