#include "server/sip/media/RtpSender.hpp"

#include "server/sip/media/SecureRandom.hpp"

namespace sb::sip::media {

namespace {

std::uint32_t randomWord() {
    return secureRandom32();  // RFC 3550 §5.1: unpredictable initial values
}

}  // namespace

RtpSender::RtpSender(const Config& config)
    : config_(config),
      sequence_(config.initialSequence ? *config.initialSequence
                                       : static_cast<std::uint16_t>(randomWord())),
      timestamp_(config.initialTimestamp ? *config.initialTimestamp : randomWord()) {}

std::size_t RtpSender::sendFrame(ByteView payload, std::uint8_t* out, std::size_t capacity) {
    RtpHeader h{talkspurtStart_, config_.payloadType, sequence_, timestamp_, config_.ssrc};
    std::size_t n = RtpPacket::build(h, payload, out, capacity);
    if (n == 0) return 0;
    ++sequence_;  // wraps modulo 2^16
    timestamp_ += config_.samplesPerFrame;
    talkspurtStart_ = false;
    ++packets_;
    return n;
}

void RtpSender::skipFrames(std::uint32_t count) {
    if (count == 0) return;
    timestamp_ += count * config_.samplesPerFrame;
    talkspurtStart_ = true;
}

std::size_t RtpSender::sendOther(std::uint8_t payloadType, bool marker, std::uint32_t timestamp,
                                 ByteView payload, std::uint8_t* out, std::size_t capacity) {
    RtpHeader h{marker, payloadType, sequence_, timestamp, config_.ssrc};
    std::size_t n = RtpPacket::build(h, payload, out, capacity);
    if (n == 0) return 0;
    ++sequence_;
    ++packets_;
    return n;
}

}  // namespace sb::sip::media
