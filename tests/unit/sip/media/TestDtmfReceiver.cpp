// Each RFC 4733 event reported once: updates and the three end packets share a timestamp.
#include <catch2/catch.hpp>

#include <string>

#include "server/sip/media/DtmfReceiver.hpp"
#include "server/sip/media/DtmfSender.hpp"

using namespace sb::sip::media;

namespace {

std::optional<char> feed(DtmfReceiver& r, const TelephoneEvent& e, std::uint32_t ts,
                         std::uint32_t ssrc = 7) {
    std::uint8_t b[4];
    e.encode(b);
    return r.onPacket(ssrc, ts, ByteView{b, 4});
}

}  // namespace

TEST_CASE("DtmfReceiver reports every digit of a DtmfSender sequence once",
          "[sip][media][DtmfReceiver]") {
    DtmfSender s;
    s.enqueue("19*#D0");
    DtmfReceiver r;
    std::string got;
    std::uint32_t ts = 0xFFFFF000u;  // crosses the 32-bit wrap on the way
    while (s.active()) {
        if (auto p = s.next(ts)) {
            std::uint8_t b[4];
            p->event.encode(b);
            if (auto d = r.onPacket(1234, p->timestamp, ByteView{b, 4})) got += *d;
        }
        ts += 160;
    }
    CHECK(got == "19*#D0");
}

TEST_CASE("DtmfReceiver deduplicates by timestamp and handles loss and reordering",
          "[sip][media][DtmfReceiver]") {
    DtmfReceiver r;
    SECTION("only end packets arrive") {
        CHECK(feed(r, {3, true, 10, 800}, 5000) == '3');
        CHECK(r.ended());
        CHECK_FALSE(feed(r, {3, true, 10, 800}, 5000));
        CHECK_FALSE(feed(r, {3, true, 10, 800}, 5000));
    }
    SECTION("a late packet of the previous event is ignored") {
        CHECK(feed(r, {1, false, 10, 160}, 1000) == '1');
        CHECK(feed(r, {2, false, 10, 160}, 2280) == '2');
        CHECK_FALSE(feed(r, {1, true, 10, 800}, 1000));
        CHECK_FALSE(r.ended());
    }
    SECTION("the same digit twice is two events") {
        CHECK(feed(r, {7, false, 10, 160}, 1000) == '7');
        CHECK_FALSE(feed(r, {7, true, 10, 800}, 1000));
        CHECK(feed(r, {7, false, 10, 160}, 2280) == '7');
    }
    SECTION("a new SSRC starts afresh") {
        CHECK(feed(r, {4, false, 10, 160}, 9000, 1) == '4');
        CHECK(feed(r, {5, false, 10, 160}, 100, 2) == '5');
    }
    SECTION("non-DTMF events and short payloads are not digits") {
        CHECK_FALSE(feed(r, {16, false, 10, 160}, 100));  // flash
        std::uint8_t b[2] = {1, 0};
        CHECK_FALSE(r.onPacket(7, 200, ByteView{b, 2}));
    }
}
