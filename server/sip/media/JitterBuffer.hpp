#pragma once
// The jitter buffer of one incoming RTP stream, ordered by sequence number.
//
// push() stores a packet's payload in a ring of kCapacity slots (no allocation per packet);
// pop(), called once per 20 ms tick, returns the next sequence number's payload, or Missing so
// the decoder can conceal. Playout starts when `depth` packets are buffered (or after `depth`
// ticks), and stops (Idle) after kQuietTicks ticks without any packet, so a silent stream costs
// nothing.
//
// Adaptive depth (minDepth < maxDepth): a stream starts at minDepth, so a smooth source (Janus on
// the same host) waits at most one frame. When a packet arrives for frames that were just
// concealed because it was late, it is played after all: playout steps back to it, which delays
// everything behind it by those frames, i.e. the depth grows by them, up to maxDepth, and the
// packet is not lost (the concealment stands in for the wait, like NetEq's "expand"). The depth
// never shrinks during a talk spurt, since dropping audio to catch up is an audible glitch; it
// returns to minDepth when the stream goes idle. Sequence numbers are compared modulo 2^16 as in
// RFC 3550 appendix A.1: duplicates and packets behind the playout point are dropped; a jump ahead
// beyond the ring resynchronises, and a jump of more than kMaxDropout (or back by more than
// kMaxMisorder) is only believed when the next packet follows it in sequence (A.1's "probation").

#include <array>
#include <cstddef>
#include <cstdint>

#include "server/sip/media/Types.hpp"

namespace sb::sip::media {

class JitterBuffer {
  public:
    static constexpr std::size_t kCapacity = 16;  // slots (320 ms of 20 ms packets); power of 2
    static constexpr int kMaxDropout = 3000;      // RFC 3550 A.1 MAX_DROPOUT
    static constexpr int kMaxMisorder = 100;      // RFC 3550 A.1 MAX_MISORDER
    static constexpr int kQuietTicks = 10;        // 200 ms without packets → Idle

    enum class PushResult { Accepted, Duplicate, TooLate, Resynced, Rejected };
    enum class Status { Idle, Ready, Missing };

    struct Frame {
        Status status = Status::Idle;
        std::uint16_t sequence = 0;
        std::uint32_t timestamp = 0;
        ByteView payload;  // valid until the next push()
    };

    struct Stats {
        std::uint64_t accepted = 0, duplicates = 0, late = 0, rejected = 0, resyncs = 0,
                      missing = 0, grown = 0;
    };

    // A fixed depth.
    explicit JitterBuffer(std::size_t depth = 3) : JitterBuffer(depth, depth) {}
    // An adaptive depth between the two (clamped to 1..kCapacity/2).
    JitterBuffer(std::size_t minDepth, std::size_t maxDepth);

    PushResult push(std::uint16_t sequence, std::uint32_t timestamp, ByteView payload);
    Frame pop();
    // The payload of the sequence number the next pop() plays, if it has arrived (for FEC).
    ByteView peekNext() const;

    void reset();
    bool playing() const { return state_ == State::Playing; }
    std::size_t buffered() const { return count_; }
    std::size_t depth() const { return depth_; }  // the current target
    const Stats& stats() const { return stats_; }

  private:
    enum class State { Idle, Buffering, Playing };
    struct Slot {
        bool used = false;
        std::uint16_t sequence = 0;
        std::uint32_t timestamp = 0;
        std::size_t size = 0;
        std::array<std::uint8_t, kMaxPacketSize> data;
    };

    void restart(std::uint16_t sequence);
    void store(std::uint16_t sequence, std::uint32_t timestamp, ByteView payload);
    bool confirmJump(std::uint16_t sequence);  // A.1 probation: two packets in a row

    bool stepBack(std::uint16_t sequence);  // a late packet for frames just concealed

    std::size_t minDepth_, maxDepth_;
    std::size_t depth_;
    std::size_t concealedRun_ = 0;  // consecutive Missing frames just before next_
    State state_ = State::Idle;
    std::array<Slot, kCapacity> slots_;
    std::size_t count_ = 0;
    std::uint16_t next_ = 0;     // sequence number the next pop() plays
    std::uint16_t highest_ = 0;  // highest sequence number stored since the (re)start
    std::size_t waited_ = 0;     // ticks spent buffering
    int quiet_ = 0;              // consecutive ticks that found the buffer empty
    bool probation_ = false;
    std::uint16_t probationSeq_ = 0;
    Stats stats_;
};

}  // namespace sb::sip::media
