#include "server/sip/media/RoomStream.hpp"

#include <algorithm>
#include <cstring>

namespace sb::sip::media {

RoomStream::RoomStream(Codec codec, std::uint8_t payloadType, std::size_t minJitterDepth,
                       std::size_t maxJitterDepth)
    : payloadType_(payloadType),
      decoder_(Decoder::create(codec)),
      jitter_(minJitterDepth, maxJitterDepth) {}

void RoomStream::push(const RtpPacket& packet) {
    if (packet.header.payloadType != payloadType_) {
        ++stats_.ignored;
        return;
    }
    auto r = jitter_.push(packet.header.sequence, packet.header.timestamp, packet.payload);
    if (r == JitterBuffer::PushResult::Accepted || r == JitterBuffer::PushResult::Resynced)
        ++stats_.packets;
    else
        ++stats_.ignored;
}

bool RoomStream::pull(PcmFrame& out) {
    while (pcmSize_ < kFrameSamples) {
        JitterBuffer::Frame f = jitter_.pop();
        std::int16_t* dst = pcm_.data() + pcmSize_;
        if (f.status == JitterBuffer::Status::Idle) {
            if (pcmSize_ == 0) return false;
            std::fill(dst, pcm_.data() + kFrameSamples,
                      std::int16_t{0});  // the tail of a last packet
            pcmSize_ = kFrameSamples;
            break;
        }
        std::size_t n = 0;
        if (f.status == JitterBuffer::Status::Ready) n = decoder_->decode(f.payload, dst);
        if (n == 0) {  // lost, or undecodable: rebuild it from the next packet's FEC, else conceal
            if (f.status == JitterBuffer::Status::Missing &&
                decoder_->recover(jitter_.peekNext(), dst))
                ++stats_.recovered;
            else
                decoder_->conceal(dst);
            ++stats_.concealed;
            n = kFrameSamples;
        }
        pcmSize_ += n;
    }
    std::memcpy(out.data(), pcm_.data(), sizeof(PcmFrame));
    pcmSize_ -= kFrameSamples;
    if (pcmSize_ > 0)
        std::memmove(pcm_.data(), pcm_.data() + kFrameSamples, pcmSize_ * sizeof(std::int16_t));
    ++stats_.frames;
    return true;
}

}  // namespace sb::sip::media
