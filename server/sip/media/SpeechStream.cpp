#include "server/sip/media/SpeechStream.hpp"

#include <algorithm>

namespace sb::sip::media {

SpeechStream::Reader::Reader(std::shared_ptr<SpeechStream> stream) : stream_(std::move(stream)) {
    std::lock_guard<std::mutex> lock(stream_->mutex_);
    ++stream_->readers_;
    stream_->everRead_ = true;
}

std::unique_ptr<SpeechStream::Reader> SpeechStream::Reader::join(
    const std::shared_ptr<SpeechStream>& stream) {
    std::lock_guard<std::mutex> lock(stream->mutex_);
    if ((stream->everRead_ && stream->readers_ == 0) || stream->state_ == State::Failed)
        return nullptr;
    ++stream->readers_;
    stream->everRead_ = true;
    return std::unique_ptr<Reader>(new Reader(stream, Counted{}));
}

SpeechStream::Reader::~Reader() {
    std::lock_guard<std::mutex> lock(stream_->mutex_);
    --stream_->readers_;
}

bool SpeechStream::abandoned() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return everRead_ && readers_ == 0;
}

bool SpeechStream::append(const std::int16_t* samples, std::size_t count) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (state_ != State::Growing) return false;
    if (everRead_ && readers_ == 0) return false;
    if (count == 0) return true;
    samples_.insert(samples_.end(), samples, samples + count);
    if (!playable_ && samples_.size() >= kPlayableSamples) {
        playable_ = true;
        playableAt_ = Clock::now();
    }
    changed_.notify_all();
    return true;
}

void SpeechStream::finish(std::string error) {
    std::vector<std::function<void(const std::shared_ptr<SpeechStream>&)>> callbacks;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (state_ != State::Growing) return;
        state_ = error.empty() ? State::Complete : State::Failed;
        if (!playable_ && state_ == State::Complete) {
            playable_ = true;
            playableAt_ = Clock::now();
        }
        error_ = std::move(error);
        callbacks.swap(onFinish_);
        changed_.notify_all();
    }
    auto self = shared_from_this();
    for (auto& f : callbacks) {
        try {
            f(self);
        } catch (...) {
            // A listener's failure must not end the worker thread (and with it the process).
        }
    }
}

SpeechStream::State SpeechStream::read(std::size_t position, std::int16_t* out, std::size_t max,
                                       std::size_t& copied) const {
    std::lock_guard<std::mutex> lock(mutex_);
    copied = position < samples_.size() ? std::min(max, samples_.size() - position) : 0;
    std::copy_n(samples_.data() + (copied ? position : 0), copied, out);
    return state_;
}

SpeechStream::State SpeechStream::state() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return state_;
}

std::string SpeechStream::error() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return error_;
}

std::size_t SpeechStream::size() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return samples_.size();
}

void SpeechStream::onFinish(std::function<void(const std::shared_ptr<SpeechStream>&)> f) {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (state_ == State::Growing) return onFinish_.push_back(std::move(f));
    }
    f(shared_from_this());
}

bool SpeechStream::waitForSamples(std::size_t count, std::chrono::milliseconds timeout) const {
    std::unique_lock<std::mutex> lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] {
        return samples_.size() >= count || state_ != State::Growing;
    }) && samples_.size() >= count;
}

bool SpeechStream::waitFinished(std::chrono::milliseconds timeout) const {
    std::unique_lock<std::mutex> lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return state_ != State::Growing; });
}

bool SpeechStream::playableAt(Clock::time_point& at) const {
    std::lock_guard<std::mutex> lock(mutex_);
    if (playable_) at = playableAt_;
    return playable_;
}

}  // namespace sb::sip::media
