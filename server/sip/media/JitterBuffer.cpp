#include "server/sip/media/JitterBuffer.hpp"

#include <algorithm>
#include <cstring>

namespace sb::sip::media {

namespace {
constexpr std::size_t kMask = JitterBuffer::kCapacity - 1;
static_assert((JitterBuffer::kCapacity & kMask) == 0, "capacity must be a power of two");
}  // namespace

JitterBuffer::JitterBuffer(std::size_t minDepth, std::size_t maxDepth)
    : minDepth_(std::clamp<std::size_t>(minDepth, 1, kCapacity / 2)),
      maxDepth_(std::clamp<std::size_t>(maxDepth, minDepth_, kCapacity / 2)),
      depth_(minDepth_) {}

void JitterBuffer::reset() {
    for (auto& s : slots_) s.used = false;
    count_ = 0;
    state_ = State::Idle;
    probation_ = false;
    concealedRun_ = 0;
    depth_ = minDepth_;  // a new talk spurt starts with the least delay again
}

void JitterBuffer::restart(std::uint16_t sequence) {
    reset();
    state_ = State::Buffering;
    next_ = sequence;
    highest_ = sequence;
    waited_ = 0;
    quiet_ = 0;
}

void JitterBuffer::store(std::uint16_t sequence, std::uint32_t timestamp, ByteView payload) {
    Slot& s = slots_[sequence & kMask];
    s.used = true;
    s.sequence = sequence;
    s.timestamp = timestamp;
    s.size = payload.size;
    if (payload.size > 0) std::memcpy(s.data.data(), payload.data, payload.size);
    ++count_;
    ++stats_.accepted;
    if (seqNewer(sequence, highest_)) highest_ = sequence;
}

bool JitterBuffer::confirmJump(std::uint16_t sequence) {
    if (probation_ && sequence == static_cast<std::uint16_t>(probationSeq_ + 1)) return true;
    probation_ = true;
    probationSeq_ = sequence;
    return false;
}

JitterBuffer::PushResult JitterBuffer::push(std::uint16_t sequence, std::uint32_t timestamp,
                                            ByteView payload) {
    if (payload.size > kMaxPacketSize) {
        ++stats_.rejected;
        return PushResult::Rejected;
    }
    if (state_ == State::Idle) {
        restart(sequence);
        store(sequence, timestamp, payload);
        return PushResult::Accepted;
    }
    int d = seqDelta(sequence, next_);
    if (d < 0) {
        // Still buffering: an earlier packet that overtook nothing yet played extends the start.
        if (state_ == State::Buffering &&
            seqDelta(highest_, sequence) < static_cast<int>(kCapacity)) {
            next_ = sequence;
            store(sequence, timestamp, payload);
            return PushResult::Accepted;
        }
        if (stepBack(sequence)) {
            store(sequence, timestamp, payload);
            return PushResult::Accepted;
        }
        if (d < -kMaxMisorder && confirmJump(sequence)) {  // the source restarted far behind
            ++stats_.resyncs;
            restart(sequence);
            store(sequence, timestamp, payload);
            return PushResult::Resynced;
        }
        ++stats_.late;
        return PushResult::TooLate;
    }
    if (d >= static_cast<int>(kCapacity)) {
        if (d >= kMaxDropout && !confirmJump(sequence)) {
            ++stats_.rejected;
            return PushResult::Rejected;
        }
        ++stats_.resyncs;  // a burst loss longer than the ring: start over from here
        restart(sequence);
        store(sequence, timestamp, payload);
        return PushResult::Resynced;
    }
    probation_ = false;
    const Slot& s = slots_[sequence & kMask];
    if (s.used && s.sequence == sequence) {
        ++stats_.duplicates;
        return PushResult::Duplicate;
    }
    store(sequence, timestamp, payload);
    return PushResult::Accepted;
}

JitterBuffer::Frame JitterBuffer::pop() {
    Frame f;
    if (state_ == State::Idle) return f;
    if (state_ == State::Buffering) {
        ++waited_;
        std::size_t span = static_cast<std::size_t>(seqDelta(highest_, next_)) + 1;
        if (span < depth_ && waited_ < depth_) return f;
        state_ = State::Playing;
    }
    Slot& s = slots_[next_ & kMask];
    f.sequence = next_;
    if (s.used && s.sequence == next_) {
        s.used = false;
        --count_;
        quiet_ = 0;
        f.status = Status::Ready;
        concealedRun_ = 0;
        f.timestamp = s.timestamp;
        f.payload = ByteView{s.data.data(), s.size};
    } else {
        if (count_ > 0) {
            quiet_ = 0;
        } else if (++quiet_ >= kQuietTicks) {
            state_ = State::Idle;  // the source has gone quiet: stop concealing
            return f;
        }
        f.status = Status::Missing;
        ++concealedRun_;
        ++stats_.missing;
    }
    ++next_;
    return f;
}

bool JitterBuffer::stepBack(std::uint16_t sequence) {
    if (state_ != State::Playing) return false;
    auto behind = static_cast<std::size_t>(-seqDelta(sequence, next_));
    // Only frames that were concealed (not ones played), and only as far as the depth may grow.
    if (behind > concealedRun_ || depth_ + behind > maxDepth_) return false;
    next_ = sequence;
    depth_ += behind;
    concealedRun_ -= behind;
    ++stats_.grown;
    return true;
}

ByteView JitterBuffer::peekNext() const {
    if (state_ != State::Playing) return {};
    const Slot& s = slots_[next_ & kMask];
    if (!s.used || s.sequence != next_) return {};
    return ByteView{s.data.data(), s.size};
}

}  // namespace sb::sip::media
