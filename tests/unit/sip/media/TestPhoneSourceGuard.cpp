// Who a call's RTP is accepted from and sent to (PhoneSourceGuard), end to end through a
// CallAudioPipeline on 127.0.0.1 with real UDP: foreign sources are ignored (their audio never
// reaches Janus), the reflection path is capped, a silent phone is reported, SSRCs are random.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <set>

#include "PipelineHarness.hpp"
#include "server/sip/media/CallAudioPipeline.hpp"
#include "server/sip/media/SecureRandom.hpp"

using namespace sb::sip::media;
using namespace sb::sip::media::test;

namespace {

CallAudioPipeline::Config config() {
    CallAudioPipeline::Config c;
    c.phoneAddress = kLoopback;
    c.roomAddress = kLoopback;
    return c;
}

void sendAudio(RtpSocket& from, const RtpSocket::Endpoint& to, int count, std::uint32_t ssrc) {
    std::vector<std::uint8_t> payload(160, 0xFF);
    for (int k = 0; k < count; ++k) {
        std::vector<std::uint8_t> b(12 + payload.size());
        RtpPacket::build(
            {k == 0, 0, static_cast<std::uint16_t>(100 + k), 160u * std::uint32_t(k), ssrc},
            ByteView{payload.data(), payload.size()}, b.data(), b.size());
        from.send(ByteView{b.data(), b.size()}, to);
    }
}

template <typename Pred>
bool waitFor(Pred pred, std::chrono::milliseconds timeout = 2000ms) {
    auto until = std::chrono::steady_clock::now() + timeout;
    while (!pred() && std::chrono::steady_clock::now() < until) std::this_thread::sleep_for(5ms);
    return pred();
}

}  // namespace

TEST_CASE("RTP from an address other than the SDP's is dropped and never reaches Janus",
          "[sip][media][rtp-source]") {
    Loop loop;
    auto ports = std::make_shared<PortAllocator>(46500, 46529);
    Capture janus(asio::make_strand(loop.io), ports);
    Capture phone(asio::make_strand(loop.io), ports);
    Capture attacker(asio::make_strand(loop.io), ports);
    auto cfg = config();
    cfg.phoneRemote = phone.endpoint();
    cfg.janusRemote = janus.endpoint();
    auto pipeline = CallAudioPipeline::create(loop.io.get_executor(), cfg, ports);
    pipeline->start();
    const RtpSocket::Endpoint to(kLoopback, pipeline->phonePort());

    sendAudio(*attacker.socket, to, 20, 0x1111);
    REQUIRE(waitFor([&] { return pipeline->stats().phonePacketsForeign == 20; }));
    std::this_thread::sleep_for(50ms);
    CHECK(janus.size() == 0);
    CHECK(pipeline->stats().janusPacketsOut == 0);

    // The phone itself gets through; the attacker still does not.
    sendAudio(*phone.socket, to, 10, 0x2222);
    REQUIRE(waitFor([&] { return janus.size() == 10; }));
    sendAudio(*attacker.socket, to, 5, 0x1111);
    REQUIRE(waitFor([&] { return pipeline->stats().phonePacketsForeign == 25; }));
    std::this_thread::sleep_for(50ms);
    CHECK(janus.size() == 10);
    // Room audio goes to the SDP address, never to the attacker.
    CHECK(attacker.size() == 0);
    CHECK(phone.size() > 0);
    pipeline->stop();
    std::this_thread::sleep_for(30ms);
    loop.stop();
}

TEST_CASE("With latching configured the first source is the phone and others are dropped",
          "[sip][media][rtp-source]") {
    Loop loop;
    auto ports = std::make_shared<PortAllocator>(46530, 46559);
    Capture janus(asio::make_strand(loop.io), ports);
    Capture natted(asio::make_strand(loop.io), ports);  // the phone's real (NAT) address
    Capture other(asio::make_strand(loop.io), ports);
    auto cfg = config();
    cfg.phoneRemote =
        RtpSocket::Endpoint(asio::ip::make_address("127.0.0.1"), 9);  // private, unreachable
    cfg.janusRemote = janus.endpoint();
    cfg.phoneGuard.latch = true;
    auto pipeline = CallAudioPipeline::create(loop.io.get_executor(), cfg, ports);
    pipeline->start();
    const RtpSocket::Endpoint to(kLoopback, pipeline->phonePort());

    sendAudio(*natted.socket, to, 5, 0x3333);
    REQUIRE(waitFor([&] { return janus.size() == 5; }));
    sendAudio(*other.socket, to, 5, 0x4444);
    REQUIRE(waitFor([&] { return pipeline->stats().phonePacketsForeign == 5; }));
    CHECK(janus.size() == 5);
    // Audio now goes back to the latched source.
    REQUIRE(waitFor([&] { return natted.size() > 0; }));
    CHECK(other.size() == 0);
    pipeline->stop();
    std::this_thread::sleep_for(30ms);
    loop.stop();
}

TEST_CASE("Before the phone's first packet only a bounded number of packets go to its SDP address",
          "[sip][media][rtp-source]") {
    Loop loop;
    auto ports = std::make_shared<PortAllocator>(46560, 46589);
    Capture victim(asio::make_strand(loop.io), ports);  // named in an SDP, never answers
    auto cfg = config();
    cfg.phoneRemote = victim.endpoint();
    cfg.phoneGuard.unconfirmedSendLimit = 10;
    auto pipeline = CallAudioPipeline::create(loop.io.get_executor(), cfg, ports);
    pipeline->start();
    // 20 ms per packet: 40 ticks = 800 ms, four times the budget.
    REQUIRE(waitFor([&] { return pipeline->stats().ticks >= 40; }));
    std::this_thread::sleep_for(50ms);
    CHECK(victim.size() == 10);
    CHECK(pipeline->stats().phonePacketsOut == 10);
    CHECK(pipeline->stats().phonePacketsSuppressed >= 30);

    // Once the phone sends from that address, the stream flows again.
    sendAudio(*victim.socket, RtpSocket::Endpoint(kLoopback, pipeline->phonePort()), 1, 0x5555);
    REQUIRE(waitFor([&] { return victim.size() >= 20; }));
    pipeline->stop();
    std::this_thread::sleep_for(30ms);
    loop.stop();
}

TEST_CASE(
    "A phone that stops sending RTP is reported once after the inactivity timeout, not while on "
    "hold",
    "[sip][media][rtp-source]") {
    Loop loop;
    auto ports = std::make_shared<PortAllocator>(46590, 46619);
    Capture phone(asio::make_strand(loop.io), ports);
    auto cfg = config();
    cfg.phoneRemote = phone.endpoint();
    cfg.phoneGuard.inactivityTimeout = 300ms;
    std::atomic<int> reported{0};

    SECTION("silent phone") {
        auto pipeline = CallAudioPipeline::create(loop.io.get_executor(), cfg, ports);
        pipeline->onPhoneInactive([&] { ++reported; });
        pipeline->start();
        // Sending keeps it alive for a while...
        auto started = std::chrono::steady_clock::now();
        for (int i = 0; i < 10; ++i) {
            sendAudio(*phone.socket, RtpSocket::Endpoint(kLoopback, pipeline->phonePort()), 1,
                      0x6666);
            std::this_thread::sleep_for(50ms);
        }
        CHECK(reported == 0);
        // ...then silence: reported after ~300 ms, once.
        REQUIRE(waitFor([&] { return reported == 1; }));
        CHECK(std::chrono::steady_clock::now() - started >= 700ms);
        std::this_thread::sleep_for(400ms);
        CHECK(reported == 1);
        pipeline->stop();
    }
    SECTION("on hold (a=sendonly from us / the phone says recvonly or inactive)") {
        auto pipeline = CallAudioPipeline::create(loop.io.get_executor(), cfg, ports);
        pipeline->onPhoneInactive([&] { ++reported; });
        pipeline->setPhoneDirection(false, false);
        pipeline->start();
        std::this_thread::sleep_for(700ms);
        CHECK(reported == 0);
        CHECK(phone.size() == 0);                 // nothing is sent to an inactive phone
        pipeline->setPhoneDirection(true, true);  // resumed: a fresh period
        std::this_thread::sleep_for(100ms);
        CHECK(reported == 0);
        REQUIRE(waitFor([&] { return reported == 1; }));
        pipeline->stop();
    }
    std::this_thread::sleep_for(30ms);
    loop.stop();
}

TEST_CASE("Each call's SSRC and initial sequence number are random, not sequential",
          "[sip][media][rtp-source]") {
    Loop loop;
    auto ports = std::make_shared<PortAllocator>(46620, 46649);
    Capture phone(asio::make_strand(loop.io), ports);
    std::vector<RtpHeader> first;
    for (int call = 0; call < 4; ++call) {
        auto cfg = config();
        cfg.phoneRemote = phone.endpoint();
        auto pipeline = CallAudioPipeline::create(loop.io.get_executor(), cfg, ports);
        const auto before = phone.size();
        pipeline->start();
        REQUIRE(waitFor([&] { return phone.size() > before; }));
        pipeline->stop();
        std::this_thread::sleep_for(30ms);
        std::lock_guard<std::mutex> lock(phone.mutex);
        first.push_back(phone.items[before].header());
        CHECK(pipeline->stats().phoneSsrc == first.back().ssrc);
    }
    std::set<std::uint32_t> ssrcs;
    for (std::size_t i = 0; i < first.size(); ++i) {
        ssrcs.insert(first[i].ssrc);
        if (i > 0) {
            const auto d = static_cast<std::int64_t>(first[i].ssrc) -
                           static_cast<std::int64_t>(first[i - 1].ssrc);
            CHECK(std::llabs(d) > 16);  // not a counter
        }
    }
    CHECK(ssrcs.size() == first.size());
    std::set<std::uint16_t> sequences;
    for (const auto& h : first) sequences.insert(h.sequence);
    CHECK(sequences.size() == first.size());
    loop.stop();

    // The generator itself: 1,000 draws, no repeats, both halves of the range used.
    std::set<std::uint32_t> draws;
    int high = 0;
    for (int i = 0; i < 1000; ++i) {
        auto v = secureRandom32();
        draws.insert(v);
        high += v >= 0x80000000u;
    }
    CHECK(draws.size() == 1000);
    CHECK(high > 400);
    CHECK(high < 600);
}

TEST_CASE("The room port takes room streams only from the host that forwards the room",
          "[sip][media][rtp-source]") {
    Loop loop;
    auto ports = std::make_shared<PortAllocator>(46650, 46679);
    Capture janus(asio::make_strand(loop.io), ports);  // Janus: 127.0.0.1
    auto strand = asio::make_strand(loop.io);
    auto stranger = RtpSocket::open(strand, asio::ip::make_address("127.0.0.2"), ports);
    auto cfg = config();
    cfg.janusRemote = janus.endpoint();
    auto pipeline = CallAudioPipeline::create(loop.io.get_executor(), cfg, ports);
    pipeline->addRoomStream({0x7777, Codec::Pcmu, 0});
    pipeline->start();
    const RtpSocket::Endpoint room(kLoopback, pipeline->roomPort());

    sendAudio(*stranger, room, 10, 0x7777);  // the right SSRC, the wrong host
    REQUIRE(waitFor([&] { return pipeline->stats().roomPacketsDropped == 10; }));
    CHECK(pipeline->stats().roomPacketsIn == 0);
    sendAudio(*janus.socket, room, 10, 0x7777);
    REQUIRE(waitFor([&] { return pipeline->stats().roomPacketsIn == 10; }));
    pipeline->stop();
    stranger->close();
    std::this_thread::sleep_for(30ms);
    loop.stop();
}
