#include "server/net/HttpServer.hpp"

#include <boost/asio/executor_work_guard.hpp>
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

// One io_context per thread, each connection bound to one of them (round robin), instead of one
// io_context shared by all threads: with a shared one, every completion may be handed to another
// thread through the reactor's lock and a futex wake-up, and perf showed the scheduler and its
// context switches taking over a quarter of the CPU of a GET. The rest of the server (media, SIP,
// voice) runs on strands of the first io_context.
class HttpServer::Impl {
public:
    static std::vector<std::unique_ptr<asio::io_context>> makePool(unsigned threads) {
        std::vector<std::unique_ptr<asio::io_context>> pool;
        for (unsigned i = 0; i < std::max(1u, threads); ++i) pool.push_back(std::make_unique<asio::io_context>(1));
        return pool;
    }

    Impl(HttpServerOptions options, const api::Router& router, ops::Metrics& metrics)
        : shared_{router, metrics, options},
          pool_(makePool(options.threads)),
          ioc_(*pool_.front()),
          acceptor_(asio::make_strand(ioc_)),
          signals_(ioc_, SIGINT, SIGTERM) {
        // The other io_contexts may have nothing to do between connections: keep them running.
        for (std::size_t i = 1; i < pool_.size(); ++i) idle_.emplace_back(asio::make_work_guard(*pool_[i]));
        tcp::endpoint endpoint(asio::ip::make_address(options.address), options.port);
        acceptor_.open(endpoint.protocol());
        acceptor_.set_option(asio::socket_base::reuse_address(true));
        acceptor_.bind(endpoint);
        acceptor_.listen(asio::socket_base::max_listen_connections);
    }

    void accept() {
        auto& ioc = *pool_[next_++ % pool_.size()];
        acceptor_.async_accept(asio::make_strand(ioc), [this](boost::system::error_code ec, tcp::socket s) {
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
            idle_.clear();
            for (auto& ioc : pool_) ioc->stop();
            return;
        }
        auto timer = std::make_shared<asio::steady_timer>(ioc_, std::chrono::milliseconds(20));
        timer->async_wait([this, timer, deadline](boost::system::error_code) { waitForIdle(deadline); });
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
    std::vector<std::thread> extra;
    for (std::size_t i = 1; i < impl_->pool_.size(); ++i) extra.emplace_back([this, i] { impl_->pool_[i]->run(); });
    impl_->ioc_.run();
    for (auto& t : extra) t.join();
}

void HttpServer::stop() {
    asio::post(impl_->ioc_, [this] { impl_->beginShutdown(std::chrono::seconds(5)); });
}

}  // namespace sb::net
