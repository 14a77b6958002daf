#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include "server/voice/VoiceExecutor.hpp"

namespace sb::voice {

struct AsioVoiceExecutor::Impl {
    explicit Impl(const boost::asio::any_io_executor& ex) : strand(boost::asio::make_strand(ex)) {}
    boost::asio::strand<boost::asio::any_io_executor> strand;
};

AsioVoiceExecutor::AsioVoiceExecutor(const boost::asio::any_io_executor& executor)
    : impl_(std::make_unique<Impl>(executor)) {}

AsioVoiceExecutor::~AsioVoiceExecutor() = default;

void AsioVoiceExecutor::post(std::function<void()> task) {
    boost::asio::post(impl_->strand, std::move(task));
}

void AsioVoiceExecutor::after(std::chrono::milliseconds delay, std::function<void()> task) {
    // The timer owns itself through the handler; tasks check their own staleness, so timers are
    // never cancelled (a stale Pause simply finds its flow moved on).
    auto timer = std::make_shared<boost::asio::steady_timer>(impl_->strand, delay);
    timer->async_wait([timer, task = std::move(task)](const boost::system::error_code& ec) {
        if (!ec) task();
    });
}

}  // namespace sb::voice
