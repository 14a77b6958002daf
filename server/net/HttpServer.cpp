#include "server/net/HttpServer.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <list>
#include <thread>

#include "server/app/Log.hpp"
#include "server/net/HttpSession.hpp"

namespace sb::net {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

class HttpServer::Impl {
public:
    Impl(HttpServerOptions options, const api::Router& router, ops::Metrics& metrics)
        : shared_{router, metrics, options},
          ioc_(static_cast<int>(std::max(1u, options.threads))),
          acceptor_(asio::make_strand(ioc_)),
          signals_(ioc_, SIGINT, SIGTERM) {
        tcp::endpoint endpoint(asio::ip::make_address(options.address), options.port);
        acceptor_.open(endpoint.protocol());
        acceptor_.set_option(asio::socket_base::reuse_address(true));
        acceptor_.bind(endpoint);
        acceptor_.listen(asio::socket_base::max_listen_connections);
    }

    void accept() {
        acceptor_.async_accept(asio::make_strand(ioc_), [this](boost::system::error_code ec, tcp::socket s) {
            if (ec) {
                if (ec != asio::error::operation_aborted)
                    app::log(app::LogLevel::Warn, "accept: " + ec.message());
                if (!acceptor_.is_open()) return;
            } else {
                boost::system::error_code ignored;
                s.set_option(tcp::no_delay(true), ignored);
                std::make_shared<HttpSession>(std::move(s), shared_)->start();
            }
            accept();
        });
    }

    void schedule(asio::steady_timer& timer, std::chrono::seconds period, const std::function<void()>& task) {
        timer.expires_after(period);
        timer.async_wait([this, &timer, period, task](boost::system::error_code ec) {
            if (ec || stopping_) return;
            try {
                task();
            } catch (const std::exception& e) {
                app::log(app::LogLevel::Error, std::string("periodic task failed: ") + e.what());
            }
            schedule(timer, period, task);
        });
    }

    void beginShutdown(std::chrono::seconds drain) {
        if (stopping_.exchange(true)) return;
        app::log(app::LogLevel::Info, "shutting down: no new connections, finishing requests in flight");
        asio::post(acceptor_.get_executor(), [this] {
            boost::system::error_code ec;
            acceptor_.close(ec);
        });
        for (auto& t : timers_) t.cancel();
        auto deadline = std::chrono::steady_clock::now() + drain;
        waitForIdle(deadline);
    }

    void waitForIdle(std::chrono::steady_clock::time_point deadline) {
        if (shared_.inFlight.load() <= 0 || std::chrono::steady_clock::now() >= deadline) {
            ioc_.stop();
            return;
        }
        auto timer = std::make_shared<asio::steady_timer>(ioc_, std::chrono::milliseconds(20));
        timer->async_wait([this, timer, deadline](boost::system::error_code) { waitForIdle(deadline); });
    }

    SessionShared shared_;
    asio::io_context ioc_;
    tcp::acceptor acceptor_;
    asio::signal_set signals_;
    std::list<asio::steady_timer> timers_;
    std::atomic<bool> stopping_{false};
};

HttpServer::HttpServer(HttpServerOptions options, const api::Router& router, ops::Metrics& metrics)
    : impl_(std::make_unique<Impl>(std::move(options), router, metrics)) {}

HttpServer::~HttpServer() = default;

std::uint16_t HttpServer::port() const { return impl_->acceptor_.local_endpoint().port(); }

boost::asio::any_io_executor HttpServer::executor() const { return impl_->ioc_.get_executor(); }

void HttpServer::every(std::chrono::seconds period, std::function<void()> task) {
    auto& timer = impl_->timers_.emplace_back(impl_->ioc_);
    impl_->schedule(timer, period, std::move(task));
}

void HttpServer::run(std::chrono::seconds drain) {
    impl_->signals_.async_wait([this, drain](boost::system::error_code ec, int sig) {
        if (ec) return;
        app::log(app::LogLevel::Info, "received signal " + std::to_string(sig));
        impl_->beginShutdown(drain);
    });
    impl_->accept();
    unsigned n = std::max(1u, impl_->shared_.options.threads);
    std::vector<std::thread> extra;
    for (unsigned i = 1; i < n; ++i) extra.emplace_back([this] { impl_->ioc_.run(); });
    impl_->ioc_.run();
    for (auto& t : extra) t.join();
}

void HttpServer::stop() {
    asio::post(impl_->ioc_, [this] { impl_->beginShutdown(std::chrono::seconds(5)); });
}

}  // namespace sb::net
