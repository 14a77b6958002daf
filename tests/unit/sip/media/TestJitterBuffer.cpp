// Fixed-depth reordering by sequence number, RFC 3550 A.1-style wrap-around and resync.
#include <catch2/catch.hpp>

#include <vector>

#include "server/sip/media/JitterBuffer.hpp"

using namespace sb::sip::media;
using Status = JitterBuffer::Status;
using Push = JitterBuffer::PushResult;

namespace {

// A payload whose single byte is the low byte of the sequence number, to check what comes out.
Push push(JitterBuffer& jb, std::uint16_t seq) {
    std::uint8_t b = static_cast<std::uint8_t>(seq);
    return jb.push(seq, std::uint32_t{seq} * 160, ByteView{&b, 1});
}

// Pops until the buffer starts playing; returns the first played frame.
JitterBuffer::Frame firstPlayed(JitterBuffer& jb) {
    for (int i = 0; i < 10; ++i) {
        auto f = jb.pop();
        if (f.status != Status::Idle) return f;
    }
    FAIL("never started playing");
    return {};
}

}  // namespace

TEST_CASE("JitterBuffer plays in order after buffering its depth", "[sip][media][JitterBuffer]") {
    JitterBuffer jb(3);
    CHECK(jb.pop().status == Status::Idle);  // nothing yet
    push(jb, 100);
    CHECK(jb.pop().status == Status::Idle);  // buffering
    push(jb, 101);
    CHECK(jb.pop().status == Status::Idle);
    push(jb, 102);
    auto f = jb.pop();
    REQUIRE(f.status == Status::Ready);
    CHECK(f.sequence == 100);
    CHECK(f.timestamp == 16000u);
    CHECK(f.payload.size == 1);
    CHECK(f.payload[0] == 100);
    CHECK(jb.playing());
    CHECK(jb.pop().sequence == 101);
    CHECK(jb.pop().sequence == 102);
}

TEST_CASE("JitterBuffer reorders within its depth", "[sip][media][JitterBuffer]") {
    JitterBuffer jb(3);
    for (std::uint16_t s : {10, 12, 11, 14, 13, 15}) push(jb, s);
    std::vector<std::uint16_t> played;
    for (int i = 0; i < 6; ++i) {
        auto f = jb.pop();
        if (f.status == Status::Ready) played.push_back(f.sequence);
    }
    CHECK(played == std::vector<std::uint16_t>{10, 11, 12, 13, 14, 15});
}

TEST_CASE("JitterBuffer accepts an earlier packet that arrives while buffering",
          "[sip][media][JitterBuffer]") {
    JitterBuffer jb(3);
    push(jb, 51);
    CHECK(push(jb, 50) == Push::Accepted);
    push(jb, 52);
    CHECK(firstPlayed(jb).sequence == 50);
}

TEST_CASE("JitterBuffer reports missing frames and drops late and duplicate packets",
          "[sip][media][JitterBuffer]") {
    JitterBuffer jb(2);
    push(jb, 1);
    push(jb, 2);
    push(jb, 4);
    CHECK(firstPlayed(jb).sequence == 1);
    CHECK(jb.pop().sequence == 2);
    auto missing = jb.pop();
    CHECK(missing.status == Status::Missing);
    CHECK(missing.sequence == 3);
    SECTION("the next packet is visible for FEC") {
        auto next = jb.peekNext();
        REQUIRE(next.size == 1);
        CHECK(next[0] == 4);
    }
    SECTION("the late packet is dropped, a duplicate too") {
        CHECK(push(jb, 3) == Push::TooLate);
        CHECK(push(jb, 4) == Push::Duplicate);
        CHECK(jb.pop().sequence == 4);
        CHECK(jb.stats().late == 1);
        CHECK(jb.stats().duplicates == 1);
        CHECK(jb.stats().missing == 1);
    }
}

TEST_CASE("JitterBuffer handles sequence number wrap-around", "[sip][media][JitterBuffer]") {
    JitterBuffer jb(3);
    for (std::uint16_t s : {65534, 0, 65535, 1, 2}) push(jb, s);
    std::vector<std::uint16_t> played;
    for (int i = 0; i < 6; ++i) {
        auto f = jb.pop();
        if (f.status == Status::Ready) played.push_back(f.sequence);
    }
    CHECK(played == std::vector<std::uint16_t>{65534, 65535, 0, 1, 2});
    CHECK(push(jb, 65535) == Push::TooLate);  // behind, not 65 533 ahead
}

TEST_CASE("JitterBuffer goes idle when the stream stops and restarts after",
          "[sip][media][JitterBuffer]") {
    JitterBuffer jb(1);
    push(jb, 7);
    CHECK(firstPlayed(jb).sequence == 7);
    int missing = 0;
    for (int i = 0; i < 20; ++i)
        if (jb.pop().status == Status::Missing) ++missing;
    CHECK(missing == JitterBuffer::kQuietTicks - 1);  // concealment for a while, then nothing
    CHECK_FALSE(jb.playing());
    CHECK(jb.pop().status == Status::Idle);
    push(jb, 40);
    CHECK(firstPlayed(jb).sequence == 40);
}

TEST_CASE("JitterBuffer resynchronises after a jump", "[sip][media][JitterBuffer]") {
    JitterBuffer jb(1);
    push(jb, 1000);
    firstPlayed(jb);
    SECTION("a burst loss longer than the ring restarts at once") {
        CHECK(push(jb, 1100) == Push::Resynced);
        CHECK(firstPlayed(jb).sequence == 1100);
    }
    SECTION("a huge jump needs a second packet in sequence (probation)") {
        CHECK(push(jb, 6001) == Push::Rejected);
        CHECK(push(jb, 6002) == Push::Resynced);
        CHECK(firstPlayed(jb).sequence == 6002);
    }
    SECTION("a restart far behind also needs probation") {
        CHECK(push(jb, 500) == Push::TooLate);
        CHECK(push(jb, 501) == Push::Resynced);
        CHECK(firstPlayed(jb).sequence == 501);
    }
    SECTION("oversized payloads are rejected") {
        std::vector<std::uint8_t> big(kMaxPacketSize + 1);
        CHECK(jb.push(1001, 0, ByteView{big.data(), big.size()}) == Push::Rejected);
    }
}

TEST_CASE("An adaptive JitterBuffer starts at its least depth and grows by playing a late packet",
          "[sip][media][JitterBuffer]") {
    JitterBuffer jb(1, 3);
    push(jb, 10);
    CHECK(firstPlayed(jb).sequence == 10);  // one frame buffered is enough to start
    push(jb, 11);
    CHECK(jb.pop().sequence == 11);
    // 12 is late: its tick conceals it ...
    CHECK(jb.pop().status == Status::Missing);
    // ... and when it comes, playout steps back to it instead of dropping it: nothing is lost,
    // and everything after it is one frame later (the depth grew to 2).
    CHECK(push(jb, 12) == Push::Accepted);
    CHECK(jb.depth() == 2);
    push(jb, 13);
    auto f = jb.pop();
    CHECK(f.status == Status::Ready);
    CHECK(f.sequence == 12);
    push(jb, 14);
    CHECK(jb.pop().sequence == 13);
    push(jb, 15);
    CHECK(jb.pop().sequence == 14);  // 15 waits one tick now: the margin a late packet needs
    CHECK(jb.stats().late == 0);
    CHECK(jb.stats().grown == 1);
}

TEST_CASE("An adaptive JitterBuffer stops growing at its greatest depth and resets when idle",
          "[sip][media][JitterBuffer]") {
    JitterBuffer jb(1, 2);
    push(jb, 1);
    CHECK(firstPlayed(jb).sequence == 1);
    CHECK(jb.pop().status == Status::Missing);  // 2 late
    CHECK(push(jb, 2) == Push::Accepted);       // grows to 2
    CHECK(jb.pop().sequence == 2);
    CHECK(jb.pop().status == Status::Missing);  // 3 late again
    CHECK(push(jb, 3) == Push::TooLate);        // at the greatest depth: dropped
    CHECK(jb.depth() == 2);
    // A packet for a frame that was played is never taken back.
    push(jb, 4);
    CHECK(jb.pop().sequence == 4);
    CHECK(push(jb, 4) == Push::TooLate);
    // The stream goes quiet; the next talk spurt starts with the least depth again.
    for (int i = 0; i < JitterBuffer::kQuietTicks + 1; ++i) jb.pop();
    CHECK_FALSE(jb.playing());
    push(jb, 100);
    CHECK(firstPlayed(jb).sequence == 100);
    CHECK(jb.depth() == 1);
}
