#include "server/sip/media/PhoneRelay.hpp"

#include <algorithm>

namespace sb::sip::media {

PhoneRelay::PhoneRelay(const Config& config) : config_(config) {
    if (!config_.janusEventPayloadType)
        config_.janusEventPayloadType = config_.phoneEventPayloadType;
}

void PhoneRelay::rebase(const RtpHeader& in, Clock::time_point arrival) {
    if (!started_) {
        // The first source passes its numbering through: RFC 3550 §5.1 wants random initial
        // values, and the phone already chose them.
        seqOffset_ = 0;
        tsOffset_ = 0;
        lastSeq_ = static_cast<std::uint16_t>(in.sequence - 1);
        lastTs_ = anchorTs_ = in.timestamp;
        anchorArrival_ = arrival;
        started_ = true;
    } else {
        // A new source continues where the old one stopped: next sequence number, and the
        // timestamp of the last audio packet advanced by the wall-clock time since it arrived
        // (at least one frame). Audio is the clock: an event's timestamp is its start, not now.
        auto gap =
            std::chrono::duration_cast<std::chrono::microseconds>(arrival - anchorArrival_).count();
        gap = std::clamp<decltype(gap)>(gap, 0, 600'000'000);  // 10 minutes at most
        auto samples = std::max<std::uint64_t>(
            kFrameSamples, static_cast<std::uint64_t>(gap) * kClockRate / 1'000'000);
        auto ts = static_cast<std::uint32_t>(anchorTs_ + samples);
        if (!timestampNewer(ts, lastTs_)) ts = lastTs_ + kFrameSamples;
        seqOffset_ = static_cast<std::uint16_t>(lastSeq_ + 1 - in.sequence);
        tsOffset_ = ts - in.timestamp;
        markNext_ = true;
        dtmf_.reset();
        ++stats_.sourceChanges;
    }
    inSsrc_ = in.ssrc;
}

PhoneRelay::Result PhoneRelay::relay(const RtpPacket& in, Clock::time_point arrival,
                                     std::uint8_t* out, std::size_t capacity) {
    Result result;
    const std::uint8_t pt = in.header.payloadType;
    const bool isEvent = config_.phoneEventPayloadType && pt == *config_.phoneEventPayloadType;
    const bool isAudio = pt == payloadTypeOf(config_.phoneLaw);
    if (!isEvent && !isAudio) {  // comfort noise (PT 13), codecs we did not negotiate
        ++stats_.dropped;
        return result;
    }
    if (!started_ || in.header.ssrc != inSsrc_) rebase(in.header, arrival);

    RtpHeader h;
    h.ssrc = config_.ssrc;
    h.sequence = static_cast<std::uint16_t>(in.header.sequence + seqOffset_);
    h.timestamp = in.header.timestamp + tsOffset_;
    h.marker = in.header.marker;
    if (seqNewer(h.sequence, lastSeq_)) lastSeq_ = h.sequence;
    if (timestampNewer(h.timestamp, lastTs_)) lastTs_ = h.timestamp;

    ByteView payload = in.payload;
    if (isEvent) {
        h.payloadType = *config_.janusEventPayloadType;
        result.digit = dtmf_.onPacket(in.header.ssrc, in.header.timestamp, in.payload);
        ++stats_.events;
    } else {
        h.payloadType = kPayloadTypePcmu;
        if (!timestampNewer(anchorTs_, h.timestamp)) {
            anchorTs_ = h.timestamp;
            anchorArrival_ = arrival;
        }
        h.marker = h.marker || markNext_;
        markNext_ = false;
        if (config_.phoneLaw == G711Law::A) {
            std::size_t n = std::min(payload.size, scratch_.size());
            for (std::size_t i = 0; i < n; ++i) scratch_[i] = G711::alawToMulaw(payload[i]);
            payload = ByteView{scratch_.data(), n};
            ++stats_.transcoded;
        }
    }
    result.size = RtpPacket::build(h, payload, out, capacity);
    if (result.size > 0)
        ++stats_.relayed;
    else
        ++stats_.dropped;
    return result;
}

}  // namespace sb::sip::media
