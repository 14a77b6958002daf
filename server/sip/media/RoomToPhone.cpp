#include "server/sip/media/RoomToPhone.hpp"

#include <algorithm>

#include "server/sip/media/G711.hpp"
#include "server/sip/media/TelephoneEvent.hpp"

namespace sb::sip::media {

RoomToPhone::RoomToPhone(const Config& config, CallAudioCounters& counters)
    : config_(config), counters_(counters), sender_(config.sender) {}

void RoomToPhone::addStream(const StreamSpec& spec) {
    auto it = std::find_if(streams_.begin(), streams_.end(),
                           [&](const auto& s) { return s.first == spec.ssrc; });
    if (it != streams_.end()) {
        if (it->second->codec() == spec.codec && it->second->payloadType() == spec.payloadType)
            return;
        it->second = std::make_unique<RoomStream>(spec.codec, spec.payloadType,
                                                  config_.jitterMinDepth, config_.jitterMaxDepth);
        return;
    }
    streams_.emplace_back(
        spec.ssrc, std::make_unique<RoomStream>(spec.codec, spec.payloadType,
                                                config_.jitterMinDepth, config_.jitterMaxDepth));
    mixer_.addInput(spec.ssrc);
}

void RoomToPhone::removeStream(std::uint32_t ssrc) {
    streams_.erase(std::remove_if(streams_.begin(), streams_.end(),
                                  [&](const auto& s) { return s.first == ssrc; }),
                   streams_.end());
    mixer_.removeInput(ssrc);
}

void RoomToPhone::setStreams(const std::vector<StreamSpec>& streams) {
    std::vector<std::uint32_t> gone;
    for (const auto& entry : streams_) {
        // Not a structured binding: C++17 lambdas cannot capture those (clang refuses).
        std::uint32_t ssrc = entry.first;
        bool wanted = std::any_of(streams.begin(), streams.end(),
                                  [&](const auto& s) { return s.ssrc == ssrc; });
        if (!wanted) gone.push_back(ssrc);
    }
    for (auto ssrc : gone) removeStream(ssrc);
    for (const auto& spec : streams) addStream(spec);
}

bool RoomToPhone::push(const RtpPacket& packet) {
    auto it = std::find_if(streams_.begin(), streams_.end(),
                           [&](const auto& s) { return s.first == packet.header.ssrc; });
    if (it == streams_.end()) return false;
    it->second->push(packet);
    return true;
}

void RoomToPhone::mix(PcmFrame& mixed) {
    PcmFrame frame;
    for (auto& [ssrc, stream] : streams_) {
        std::uint64_t concealedBefore = stream->stats().concealed;
        if (stream->pull(frame)) mixer_.push(ssrc, frame);
        CallAudioCounters::bump(counters_.concealedFrames,
                                stream->stats().concealed - concealedBefore);
    }
    if (mixer_.mix(mixed) > 0) CallAudioCounters::bump(counters_.framesMixed);
    bool played = false;
    counters_.callback([&] { played = playback_.apply(mixed); });
    if (played) CallAudioCounters::bump(counters_.playbackFrames);
}

void RoomToPhone::sendFrame(const PcmFrame& mixed, const std::function<void(ByteView)>& send) {
    if (dtmf_.active()) {
        // RFC 4733 §2.1: events share the stream's SSRC and sequence numbers, timestamped at
        // the tone's start; the audio of these slots is not sent.
        auto event = dtmf_.next(sender_.frameTimestamp());
        if (event && config_.phoneEventPayloadType) {
            std::uint8_t payload[TelephoneEvent::kSize];
            event->event.encode(payload);
            std::size_t n =
                sender_.sendOther(*config_.phoneEventPayloadType, event->marker, event->timestamp,
                                  ByteView{payload, sizeof(payload)}, out_.data(), out_.size());
            sender_.skipFrames(1);
            if (n > 0) send(ByteView{out_.data(), n});
            CallAudioCounters::bump(counters_.dtmfPacketsOut);
            if (!dtmf_.active()) finishDtmf(true);
            return;
        }
        if (!dtmf_.active()) finishDtmf(true);
    }

    std::uint8_t encoded[kFrameSamples];
    G711::encode(config_.phoneLaw, mixed.data(), encoded, kFrameSamples);
    std::size_t n = sender_.sendFrame(ByteView{encoded, kFrameSamples}, out_.data(), out_.size());
    if (n > 0) send(ByteView{out_.data(), n});
}

void RoomToPhone::play(std::vector<std::int16_t> samples, PlayMode mode, PlaybackQueue::Done done) {
    playback_.enqueue(std::move(samples), mode, std::move(done));
}

void RoomToPhone::play(std::shared_ptr<SpeechStream::Reader> stream, PlayMode mode,
                       PlaybackQueue::Done done) {
    playback_.enqueueStream(std::move(stream), mode, std::move(done));
}

void RoomToPhone::stopPlayback() {
    counters_.callback([&] { playback_.stop(); });
}

void RoomToPhone::sendDtmf(const std::string& digits, std::chrono::milliseconds tone,
                           std::chrono::milliseconds gap, std::function<void(bool)> done) {
    try {
        dtmf_.enqueue(digits, tone, gap);
    } catch (const std::length_error&) {
        // The send queue is full (DtmfSender::Config::maxQueued): these digits are dropped.
        CallAudioCounters::bump(counters_.dtmfDigitsRefused, digits.size());
        if (done) CallAudioCounters::guarded([&] { done(false); });
        return;
    }
    if (done) dtmfDone_.push_back(std::move(done));
}

void RoomToPhone::stop() {
    dtmf_.clear();
    finishDtmf(false);
    CallAudioCounters::guarded([&] { playback_.stop(); });
}

void RoomToPhone::finishDtmf(bool completed) {
    auto callbacks = std::move(dtmfDone_);
    dtmfDone_.clear();
    for (auto& cb : callbacks) counters_.callback([&] { cb(completed); });
}

}  // namespace sb::sip::media
