// info: digits from SIP INFO (CallAudioPipeline::digitFromSignaling) take the RFC 4733 digit path,
// and a call keeps one digit source: a phone sending each key both ways is heard once.
#include <catch2/catch.hpp>

#include <mutex>
#include <string>

#include "PipelineHarness.hpp"
#include "server/sip/media/CallAudioPipeline.hpp"
#include "server/sip/media/TelephoneEvent.hpp"

using namespace sb::sip::media;
using namespace sb::sip::media::test;

namespace {

struct Fixture {
    Loop loop;
    std::shared_ptr<PortAllocator> ports = std::make_shared<PortAllocator>(46500, 46599);
    asio::strand<asio::io_context::executor_type> phoneStrand = asio::make_strand(loop.io);
    Capture phone{phoneStrand, ports};
    std::shared_ptr<CallAudioPipeline> pipeline;
    std::mutex mutex;
    std::string digits;

    Fixture() {
        CallAudioPipeline::Config cfg;
        cfg.phoneAddress = kLoopback;
        cfg.roomAddress = kLoopback;
        cfg.phoneEventPayloadType = 101;
        cfg.phoneRemote = phone.endpoint();
        pipeline = CallAudioPipeline::create(loop.io.get_executor(), cfg, ports);
        pipeline->onDigit([this](char d) {
            std::lock_guard<std::mutex> lock(mutex);
            digits += d;
        });
        pipeline->start();
    }
    ~Fixture() {
        pipeline->stop();
        loop.stop();
    }
    // One RFC 4733 event from the phone: 3 packets with one timestamp, the last with E set.
    void rtpDigit(std::uint8_t event, std::uint32_t timestamp, std::uint16_t seq) {
        const RtpSocket::Endpoint to(kLoopback, pipeline->phonePort());
        for (int i = 0; i < 3; ++i) {
            std::vector<std::uint8_t> ev(4);
            TelephoneEvent{event, i == 2, 10, static_cast<std::uint16_t>(160 * (i + 1))}.encode(
                ev.data());
            auto bytes = plainPacket(
                {i == 0, 101, static_cast<std::uint16_t>(seq + i), timestamp, 0xCAFE}, ev);
            phone.socket->send(ByteView{bytes.data(), bytes.size()}, to);
        }
    }
    std::string got() {
        std::this_thread::sleep_for(150ms);
        std::lock_guard<std::mutex> lock(mutex);
        return digits;
    }
};

}  // namespace

TEST_CASE("INFO digits reach onDigit; RTP digits after them are dropped and counted",
          "[CallAudioPipeline][info]") {
    Fixture f;
    f.pipeline->digitFromSignaling('4');
    f.pipeline->digitFromSignaling('#');
    CHECK(f.got() == "4#");
    f.rtpDigit(5, 16000, 10);  // the same phone also sends RFC 4733: not a second key press
    CHECK(f.got() == "4#");
    auto st = f.pipeline->stats();
    CHECK(st.dtmfDigitsIn == 2);
    CHECK(st.dtmfDigitsInfo == 2);
    CHECK(st.dtmfDigitsOtherSource == 1);
}

TEST_CASE("RTP digits first: INFO digits of the same call are dropped",
          "[CallAudioPipeline][info]") {
    Fixture f;
    f.rtpDigit(7, 16000, 10);
    CHECK(f.got() == "7");
    f.pipeline->digitFromSignaling('7');
    f.rtpDigit(1, 17600, 20);
    CHECK(f.got() == "71");
    auto st = f.pipeline->stats();
    CHECK(st.dtmfDigitsIn == 2);
    CHECK(st.dtmfDigitsInfo == 0);
    CHECK(st.dtmfDigitsOtherSource == 1);
}
