// RFC 4733 §2.5.1 sender behaviour: marker, fixed timestamp, growing duration, three end packets.
#include <catch2/catch.hpp>

#include <stdexcept>
#include <vector>

#include "server/sip/media/DtmfSender.hpp"

using namespace sb::sip::media;

namespace {

// Runs the sender over `slots` 20 ms slots starting at timestamp `ts0`; nullopt = audio slot.
std::vector<std::optional<DtmfSender::Packet>> run(DtmfSender& s, int slots,
                                                   std::uint32_t ts0 = 1000) {
    std::vector<std::optional<DtmfSender::Packet>> out;
    for (int i = 0; i < slots; ++i)
        out.push_back(s.next(ts0 + static_cast<std::uint32_t>(i) * 160));
    return out;
}

}  // namespace

TEST_CASE("DtmfSender sends one digit as the exact RFC 4733 sequence", "[sip][media][DtmfSender]") {
    DtmfSender s;
    s.enqueue("5");
    CHECK(s.active());
    auto slots = run(s, 10);
    // 100 ms tone = 5 packets (the 5th ends it), then the end packet twice more, then 1 silent
    // slot to complete the 50 ms gap (rounded up to 60 ms).
    struct Want {
        bool marker;
        bool end;
        std::uint16_t duration;
    };
    const std::vector<Want> want{{true, false, 160},  {false, false, 320}, {false, false, 480},
                                 {false, false, 640}, {false, true, 800},  {false, true, 800},
                                 {false, true, 800}};
    for (std::size_t i = 0; i < want.size(); ++i) {
        INFO("slot " << i);
        REQUIRE(slots[i]);
        CHECK(slots[i]->timestamp == 1000u);  // the SAME timestamp: the tone's start
        CHECK(slots[i]->marker == want[i].marker);
        CHECK(slots[i]->event.end == want[i].end);
        CHECK(slots[i]->event.duration == want[i].duration);
        CHECK(slots[i]->event.event == 5);
        CHECK(slots[i]->event.volume == 10);
    }
    CHECK_FALSE(slots[7]);
    CHECK_FALSE(s.active());
    CHECK_FALSE(slots[8]);
    CHECK_FALSE(slots[9]);
}

TEST_CASE("DtmfSender spaces digits by the gap and pauses on ','", "[sip][media][DtmfSender]") {
    DtmfSender s;
    s.enqueue("1#");
    auto slots = run(s, 16);
    REQUIRE(slots[0]);
    CHECK(slots[0]->event.event == 1);
    // The second tone starts 160 ms later (100 ms tone + 60 ms gap), at that slot's timestamp.
    REQUIRE(slots[8]);
    CHECK(slots[8]->marker);
    CHECK(slots[8]->event.event == 11);
    CHECK(slots[8]->timestamp == 1000u + 8 * 160);
    CHECK(slots[14]->event.end);
    CHECK_FALSE(slots[15]);

    DtmfSender p;
    p.enqueue(",9");
    auto paused = run(p, 27);
    for (int i = 0; i < 25; ++i) CHECK_FALSE(paused[static_cast<std::size_t>(i)]);  // 500 ms
    REQUIRE(paused[25]);
    CHECK(paused[25]->event.event == 9);
    CHECK(paused[25]->marker);
}

TEST_CASE("DtmfSender honours its configuration", "[sip][media][DtmfSender]") {
    DtmfSender::Config c;
    c.tone = std::chrono::milliseconds(40);
    c.gap = std::chrono::milliseconds(0);
    c.volume = 7;
    DtmfSender s(c);
    s.enqueue("AB");
    auto slots = run(s, 10);
    REQUIRE(slots[1]);
    CHECK(slots[1]->event.end);
    CHECK(slots[1]->event.duration == 320);
    CHECK(slots[1]->event.volume == 7);
    CHECK(slots[3]->event.end);  // third end packet
    REQUIRE(slots[4]);           // the end packets are always sent, then the next digit
    CHECK(slots[4]->marker);
    CHECK(slots[4]->event.event == 13);
}

TEST_CASE("DtmfSender takes BXML pauses and per-call tone timing", "[sip][media][DtmfSender]") {
    DtmfSender s;
    s.enqueue("wW");
    auto pauses = run(s, 76);
    for (const auto& slot : pauses) CHECK_FALSE(slot);  // 0.5 s + 1 s
    CHECK_FALSE(s.active());

    s.enqueue("2", std::chrono::milliseconds(200), std::chrono::milliseconds(100));
    s.enqueue("3");  // back to the defaults
    auto slots = run(s, 30);
    REQUIRE(slots[9]);
    CHECK(slots[9]->event.end);  // 200 ms = 10 packets
    CHECK(slots[9]->event.duration == 1600);
    CHECK_FALSE(slots[12]);
    CHECK_FALSE(slots[14]);  // 100 ms gap after the end: 3 more silent slots
    REQUIRE(slots[15]);
    CHECK(slots[15]->marker);
    CHECK(slots[15]->event.event == 3);
    CHECK(slots[19]->event.end);  // 100 ms
}

TEST_CASE("DtmfSender rejects characters that are not digits", "[sip][media][DtmfSender]") {
    DtmfSender s;
    CHECK_THROWS_AS(s.enqueue("12x"), std::invalid_argument);
    CHECK_FALSE(s.active());  // nothing queued
    CHECK(DtmfSender::valid("0123456789*#ABCDabcd,wW"));
    CHECK_FALSE(DtmfSender::valid("1 2"));
}

TEST_CASE("DtmfSender clear() finishes the current tone properly", "[sip][media][DtmfSender]") {
    DtmfSender s;
    s.enqueue("123");
    run(s, 2);
    s.clear();
    auto slots = run(s, 8);
    REQUIRE(slots[2]);
    CHECK(slots[2]->event.end);
    CHECK(slots[4]->event.end);
    CHECK_FALSE(slots[6]);
    CHECK_FALSE(s.active());
}

TEST_CASE("DtmfSender bounds its queue: a string past it is refused whole",
          "[sip][media][DtmfSender][outbound]") {
    DtmfSender::Config c;
    c.maxQueued = 10;
    DtmfSender s(c);
    s.enqueue("123456");
    CHECK(s.queued() == 6);
    CHECK_THROWS_AS(s.enqueue("12345"), std::length_error);  // 6 + 5 > 10
    CHECK(s.queued() == 6);                                  // nothing of it was queued
    s.enqueue("1234");                                       // exactly 10
    CHECK(s.queued() == 10);
    // Sending drains the queue; then there is room again.
    run(s, 200);
    CHECK_FALSE(s.active());
    CHECK_NOTHROW(s.enqueue("1234567890"));
}
