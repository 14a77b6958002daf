// End to end on 127.0.0.1 with real UDP: Janus-like forwarders → pipeline → a fake phone, and a
// fake phone → pipeline → a fake Janus remote publisher.
#include <catch2/catch.hpp>

#include <future>
#include <string>

#include "PipelineHarness.hpp"
#include "Signals.hpp"
#include "server/sip/media/CallAudioPipeline.hpp"
#include "server/sip/media/G711.hpp"

using namespace sb::sip::media;
using namespace sb::sip::media::test;

namespace {

void sendBytes(RtpSocket& socket, const std::vector<std::uint8_t>& bytes,
               const RtpSocket::Endpoint& to) {
    socket.send(ByteView{bytes.data(), bytes.size()}, to);
}

std::vector<std::uint8_t> encode(G711Law law, const std::vector<std::int16_t>& pcm) {
    std::vector<std::uint8_t> out(pcm.size());
    G711::encode(law, pcm.data(), out.data(), pcm.size());
    return out;
}

std::vector<std::int16_t> decodeAll(const std::vector<Capture::Item>& items, std::size_t from,
                                    std::size_t to, G711Law law) {
    std::vector<std::int16_t> pcm;
    for (std::size_t i = from; i < to && i < items.size(); ++i) {
        ByteView p = items[i].payload();
        std::size_t at = pcm.size();
        pcm.resize(at + p.size);
        G711::decode(law, p.data, pcm.data() + at, p.size);
    }
    return pcm;
}

CallAudioPipeline::Config loopbackConfig() {
    CallAudioPipeline::Config c;
    c.phoneAddress = kLoopback;
    c.roomAddress = kLoopback;
    return c;
}

}  // namespace

TEST_CASE("CallAudioPipeline mixes Opus and PCMU room streams into one PCMU stream to the phone",
          "[sip][media][CallAudioPipeline]") {
    Loop loop;
    auto ports = std::make_shared<PortAllocator>(46100, 46199);
    auto phoneStrand = asio::make_strand(loop.io);
    Capture phone(phoneStrand, ports);
    auto janusStrand = asio::make_strand(loop.io);
    auto forwarder =
        RtpSocket::open(janusStrand, kLoopback, ports);  // Janus forwards from one socket

    auto cfg = loopbackConfig();
    cfg.phoneRemote = phone.endpoint();
    cfg.phoneSsrc = 0xABCDEF01u;
    auto pipeline = CallAudioPipeline::create(loop.io.get_executor(), cfg, ports);
    CHECK(pipeline->phonePort() != pipeline->roomPort());
    CHECK_THROWS_AS(pipeline->sendDtmf("1"), std::logic_error);  // no telephone-event negotiated
    pipeline->setRoomStreams({{0x5b000000, Codec::Opus, 111}, {0x5b000001, Codec::Pcmu, 0}});
    pipeline->start();

    OpusSource opus(440);
    const RtpSocket::Endpoint room(kLoopback, pipeline->roomPort());
    const int frames = 60;
    auto feeder = pace(janusStrand, frames, [&](int k) {
        auto n = static_cast<std::uint32_t>(k);
        auto seq = static_cast<std::uint16_t>(65500 + k);  // the PCMU stream wraps around
        sendBytes(
            *forwarder,
            browserPacket({k == 0, 111, static_cast<std::uint16_t>(3000 + k), n * 960, 0x5b000000},
                          opus.next()),
            room);
        sendBytes(*forwarder,
                  browserPacket({k == 0, 0, seq, n * 160, 0x5b000001},
                                encode(G711Law::Mu, sine(1000, 8000, 160, 8000, n * 160))),
                  room);
        if (k < 5)
            sendBytes(
                *forwarder,
                plainPacket({false, 0, seq, 0, 0x12345678}, std::vector<std::uint8_t>(160, 0)),
                room);  // unknown SSRC
    });
    feeder->waitFinished();
    std::this_thread::sleep_for(100ms);
    pipeline->stop();
    std::this_thread::sleep_for(50ms);
    loop.stop();

    const auto& items = phone.items;
    const auto stats = pipeline->stats();
    // A loaded machine may stall the process for more than 100 ms: the pipeline then skips ahead
    // (timestamp jump + marker, counted in skippedTicks) instead of bursting. The checks allow
    // exactly that and nothing else.
    INFO("packets " << items.size() << ", skipped ticks " << stats.skippedTicks);
    REQUIRE(items.size() + stats.skippedTicks >= 55);

    {  // seq +1, ts +160, one SSRC, PT 0, the marker on the first packet only
        CHECK(items[0].header().marker);
        std::uint64_t skipped = 0;
        for (std::size_t i = 1; i < items.size(); ++i) {
            auto prev = items[i - 1].header(), cur = items[i].header();
            INFO("packet " << i);
            CHECK(cur.sequence == static_cast<std::uint16_t>(prev.sequence + 1));
            std::uint32_t step = cur.timestamp - prev.timestamp;
            CHECK(step % 160 == 0);
            CHECK(step >= 160);
            CHECK(cur.marker == (step != 160));
            skipped += step / 160 - 1;
            CHECK(cur.ssrc == 0xABCDEF01u);
            CHECK(cur.payloadType == 0);
            CHECK(items[i].payload().size == 160);
        }
        CHECK(skipped == stats.skippedTicks);
    }
    {  // 50 packets per second: one 20 ms slot per 20 ms of wall-clock time
        double seconds = std::chrono::duration<double>(items.back().at - items.front().at).count();
        double slots =
            double(items.back().header().timestamp - items.front().header().timestamp) / 160;
        CHECK(slots / seconds > 45);
        CHECK(slots / seconds < 55);
        if (stats.skippedTicks == 0) CHECK(double(items.size() - 1) / seconds > 45);
    }
    {  // the phone hears both streams
        auto pcm = decodeAll(items, 10, 50, G711Law::Mu);
        CHECK(rms(pcm) > 3000);
        CHECK(toneAmplitude(pcm, 440, 8000) > 2500);   // the browser's Opus
        CHECK(toneAmplitude(pcm, 1000, 8000) > 2500);  // the PCMU publisher
        CHECK(toneAmplitude(pcm, 2000, 8000) < 500);
    }
    {  // stats count what happened, and stop() freed the ports
        CHECK(stats.roomPacketsIn == 2 * frames);
        CHECK(stats.roomPacketsDropped == 5);
        CHECK(stats.framesMixed + stats.skippedTicks >= frames - 5);
        // No loss on loopback: only the tail after the feed stopped (100 ms) is concealed.
        CHECK(stats.concealedFrames <= 2 * 6);
        CHECK(stats.phonePacketsOut == items.size());
        CHECK(ports->available() == ports->capacity() - 2);  // the capture and the forwarder remain
    }
}

TEST_CASE("CallAudioPipeline relays a PCMA phone to Janus as PCMU with SSRC 1000",
          "[sip][media][CallAudioPipeline]") {
    Loop loop;
    auto ports = std::make_shared<PortAllocator>(46200, 46299);
    auto janusStrand = asio::make_strand(loop.io);
    Capture janus(janusStrand, ports);
    auto phoneStrand = asio::make_strand(loop.io);
    Capture phone(phoneStrand, ports);

    auto cfg = loopbackConfig();
    cfg.phoneLaw = G711Law::A;
    cfg.phoneEventPayloadType = 101;
    cfg.phoneRemote = phone.endpoint();  // RTP is accepted from the SDP's address only
    cfg.janusRemote = janus.endpoint();
    auto pipeline = CallAudioPipeline::create(loop.io.get_executor(), cfg, ports);
    std::mutex mutex;
    std::string digits;
    pipeline->onDigit([&](char d) {
        std::lock_guard<std::mutex> lock(mutex);
        digits += d;
    });
    pipeline->start();

    auto alaw = encode(G711Law::A, sine(800, 8000, 160, 6000));
    std::chrono::steady_clock::time_point lastOfA, firstOfB;
    const RtpSocket::Endpoint to(kLoopback, pipeline->phonePort());
    // 10 audio packets from SSRC A, DTMF '7' (5 packets + 2 end repeats), 13 audio packets from B.
    auto feeder = pace(phoneStrand, 30, [&](int k) {
        auto seqA = static_cast<std::uint16_t>(100 + k);
        if (k == 9) lastOfA = std::chrono::steady_clock::now();
        if (k == 17) firstOfB = std::chrono::steady_clock::now();
        if (k < 10) {
            sendBytes(*phone.socket,
                      plainPacket({k == 0, 8, seqA, 8000u + 160u * std::uint32_t(k), 0xAAAA}, alaw),
                      to);
        } else if (k < 17) {
            std::vector<std::uint8_t> ev(4);
            TelephoneEvent{7, k >= 14, 10, static_cast<std::uint16_t>(160 * std::min(k - 9, 5))}
                .encode(ev.data());
            sendBytes(*phone.socket, plainPacket({k == 10, 101, seqA, 9600, 0xAAAA}, ev), to);
        } else {
            auto n = std::uint32_t(k - 17);
            sendBytes(
                *phone.socket,
                plainPacket({n == 0, 8, static_cast<std::uint16_t>(5 + n), 777 + 160 * n, 0xBBBB},
                            alaw),
                to);
        }
    });
    feeder->waitFinished();
    std::this_thread::sleep_for(100ms);
    pipeline->stop();
    std::this_thread::sleep_for(50ms);
    loop.stop();

    const auto& got = janus.items;
    REQUIRE(got.size() == 30);
    for (std::size_t i = 0; i < got.size(); ++i) {
        auto h = got[i].header();
        INFO("packet " << i);
        CHECK(h.ssrc == 1000u);
        CHECK(h.sequence == static_cast<std::uint16_t>(got[0].header().sequence + i));
        CHECK(h.payloadType == ((i >= 10 && i < 17) ? 101 : 0));
    }
    ByteView first = got[0].payload();
    REQUIRE(first.size == 160);
    CHECK(first[3] == G711::alawToMulaw(alaw[3]));  // transcoded
    auto beforeSwitch = got[9].header(), afterSwitch = got[17].header();
    CHECK(afterSwitch.marker);
    CHECK_FALSE(got[18].header().marker);
    // The new source continues at the wall-clock time since the last audio packet (8 × 20 ms
    // when nothing stalls; ±100 ms allowed for a loaded machine).
    std::uint32_t advance = afterSwitch.timestamp - beforeSwitch.timestamp;
    auto sent = std::chrono::duration_cast<std::chrono::microseconds>(firstOfB - lastOfA).count();
    auto expected = static_cast<long>(sent * 8 / 1000);
    INFO("advance " << advance << ", expected " << expected);
    CHECK(advance >= 160);
    CHECK(std::labs(static_cast<long>(advance) - expected) <= 800);
    CHECK(got[18].header().timestamp == afterSwitch.timestamp + 160);
    CHECK(digits == "7");
    CHECK(pipeline->stats().dtmfDigitsIn == 1);
    // The pipeline answers the phone where it sends from (symmetric RTP), in PCMA.
    REQUIRE(phone.items.size() > 10);
    CHECK(phone.items.back().header().payloadType == 8);
}

TEST_CASE("CallAudioPipeline plays audio and sends DTMF to the phone",
          "[sip][media][CallAudioPipeline]") {
    Loop loop;
    auto ports = std::make_shared<PortAllocator>(46300, 46399);
    auto phoneStrand = asio::make_strand(loop.io);
    Capture phone(phoneStrand, ports);
    auto cfg = loopbackConfig();
    cfg.phoneRemote = phone.endpoint();
    cfg.phoneEventPayloadType = 101;
    cfg.phoneInitialSequence = 65530;  // wraps during the test
    auto pipeline = CallAudioPipeline::create(loop.io.get_executor(), cfg, ports);
    CHECK_THROWS_AS(pipeline->sendDtmf("12x"), std::invalid_argument);
    pipeline->start();
    std::this_thread::sleep_for(60ms);

    std::promise<bool> played, sent;
    pipeline->play(sine(1000, 8000, 1600, 10000), PlayMode::Replace,
                   [&](bool c) { played.set_value(c); });
    auto playedF = played.get_future();
    REQUIRE(playedF.wait_for(2s) == std::future_status::ready);
    CHECK(playedF.get());
    pipeline->sendDtmf("1", [&](bool c) { sent.set_value(c); });
    auto sentF = sent.get_future();
    REQUIRE(sentF.wait_for(2s) == std::future_status::ready);
    CHECK(sentF.get());
    std::this_thread::sleep_for(60ms);
    pipeline->stop();
    std::this_thread::sleep_for(50ms);
    loop.stop();

    const auto& items = phone.items;
    std::vector<std::size_t> events;
    int loud = 0;
    for (std::size_t i = 0; i < items.size(); ++i) {
        auto h = items[i].header();
        if (i > 0)
            CHECK(h.sequence == static_cast<std::uint16_t>(items[i - 1].header().sequence + 1));
        if (h.payloadType == 101) {
            events.push_back(i);
        } else {
            auto pcm = decodeAll(items, i, i + 1, G711Law::Mu);
            if (rms(pcm) > 5000) ++loud;
        }
    }
    CHECK(loud == 10);  // 200 ms of the clip
    CHECK(pipeline->stats().playbackFrames == 10);
    REQUIRE(events.size() == 7);
    REQUIRE(events.front() > 0);
    REQUIRE(events.back() + 1 < items.size());
    CHECK(events.back() - events.front() == 6);  // consecutive slots
    auto start = items[events.front()].header().timestamp;
    for (std::size_t j = 0; j < events.size(); ++j) {
        auto h = items[events[j]].header();
        auto e = TelephoneEvent::decode(items[events[j]].payload());
        REQUIRE(e);
        CHECK(h.timestamp == start);
        CHECK(h.marker == (j == 0));
        CHECK(e->event == 1);
        CHECK(e->end == (j >= 4));
        CHECK(e->duration == std::min<std::size_t>(j + 1, 5) * 160);
    }
    auto before = items[events.front() - 1].header(), after = items[events.back() + 1].header();
    CHECK(after.marker);                        // audio resumes as a new talkspurt
    if (pipeline->stats().skippedTicks == 0) {  // else a stall moved the clock on (see above)
        CHECK(before.timestamp == start - 160);
        CHECK(after.timestamp == start + 7 * 160);  // the events took seven 20 ms slots
    }
    CHECK(pipeline->stats().dtmfPacketsOut == 7);
}

TEST_CASE("CallAudioPipeline frees its ports on stop() and when dropped",
          "[sip][media][CallAudioPipeline]") {
    Loop loop;
    auto ports = std::make_shared<PortAllocator>(46400, 46409);
    const auto all = ports->capacity();
    SECTION("stop(), twice; later requests are refused") {
        auto p = CallAudioPipeline::create(loop.io.get_executor(), loopbackConfig(), ports);
        CHECK(ports->available() == all - 2);
        p->start();
        std::this_thread::sleep_for(50ms);
        p->stop();
        p->stop();
        std::promise<bool> done;
        p->play(std::vector<std::int16_t>(160, 1), PlayMode::Mix,
                [&](bool c) { done.set_value(c); });
        auto f = done.get_future();
        REQUIRE(f.wait_for(1s) == std::future_status::ready);
        CHECK_FALSE(f.get());
        CHECK(ports->available() == all);
        CHECK(p->stats().ticks > 0);
    }
    SECTION("the last owner lets go without stop()") {
        auto p = CallAudioPipeline::create(loop.io.get_executor(), loopbackConfig(), ports);
        p->start();
        std::this_thread::sleep_for(50ms);
        std::weak_ptr<CallAudioPipeline> weak = p;
        p.reset();
        for (int i = 0; i < 100 && (ports->available() != all || !weak.expired()); ++i)
            std::this_thread::sleep_for(5ms);
        CHECK(weak.expired());
        CHECK(ports->available() == all);
    }
    SECTION("creation fails cleanly when the range is exhausted") {
        auto small = std::make_shared<PortAllocator>(46410, 46411);  // one port, two needed
        CHECK_THROWS_AS(CallAudioPipeline::create(loop.io.get_executor(), loopbackConfig(), small),
                        std::runtime_error);
        for (int i = 0; i < 100 && small->available() != 1; ++i) std::this_thread::sleep_for(5ms);
        CHECK(small->available() == 1);
    }
}
