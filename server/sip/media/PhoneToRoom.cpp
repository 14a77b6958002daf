#include "server/sip/media/PhoneToRoom.hpp"

#include <algorithm>

#include "server/sip/media/G711.hpp"

namespace sb::sip::media {

PhoneToRoom::PhoneToRoom(const PhoneRelay::Config& config,
                         const std::vector<std::shared_ptr<AudioTap>>& taps,
                         CallAudioCounters& counters)
    : relay_(config), taps_(taps), counters_(counters) {}

void PhoneToRoom::relay(const RtpPacket& packet, std::chrono::steady_clock::time_point arrival,
                        const std::function<void(ByteView)>& send) {
    auto r = relay_.relay(packet, arrival, out_.data(), out_.size());
    if (r.size == 0) CallAudioCounters::bump(counters_.phonePacketsDropped);
    if (r.size > 0) send(ByteView{out_.data(), r.size});
    if (!taps_.empty() && r.size > 0) tapAudio(packet);
    if (r.digit) deliverDigit(*r.digit, DigitSource::Rtp);
}

void PhoneToRoom::deliverDigit(char digit, DigitSource source) {
    if (digitSource_ == DigitSource::None) digitSource_ = source;
    if (source != digitSource_) {
        CallAudioCounters::bump(counters_.dtmfDigitsOtherSource);
        return;
    }
    CallAudioCounters::bump(counters_.dtmfDigitsIn);
    if (source == DigitSource::Signaling) CallAudioCounters::bump(counters_.dtmfDigitsInfo);
    for (const auto& tap : taps_) counters_.callback([&] { tap->digit(digit); });
    if (onDigit_) counters_.callback([&] { onDigit_(digit); });
}

void PhoneToRoom::tapAudio(const RtpPacket& packet) {
    // Only G.711 audio is decoded for taps; telephone-events and comfort noise are not audio.
    auto pt = packet.header.payloadType;
    if (pt != kPayloadTypePcmu && pt != kPayloadTypePcma) return;
    std::int16_t pcm[kMaxPacketSize];
    std::size_t n = std::min(packet.payload.size, kMaxPacketSize);
    G711::decode(pt == kPayloadTypePcmu ? G711Law::Mu : G711Law::A, packet.payload.data, pcm, n);
    for (const auto& tap : taps_) counters_.callback([&] { tap->phoneAudio(pcm, n); });
}

}  // namespace sb::sip::media
