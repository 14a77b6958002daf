// CallAudioPipeline's control surface (any thread → the call's strand): where the room streams
// and the two remote endpoints are, PlayAudio clips, DTMF to the phone, digits from it. Same class
// as CallAudioPipeline.cpp, split by concern.

#include <algorithm>

#include "server/sip/media/CallAudioPipeline.hpp"

namespace sb::sip::media {

void CallAudioPipeline::setPhoneRemote(const Endpoint& remote) {
    run([remote](CallAudioPipeline& self) { self.guard_.setRemote(remote, Clock::now()); });
}

void CallAudioPipeline::setPhoneDirection(bool phoneSends, bool phoneReceives) {
    run([phoneSends, phoneReceives](CallAudioPipeline& self) {
        self.guard_.setDirection(phoneSends, phoneReceives, Clock::now());
    });
}

void CallAudioPipeline::onPhoneInactive(std::function<void()> handler) {
    run([handler = std::move(handler)](CallAudioPipeline& self) mutable {
        self.onInactive_ = std::move(handler);
    });
}

void CallAudioPipeline::setJanusRemote(const std::optional<Endpoint>& remote) {
    run([remote](CallAudioPipeline& self) { self.janusRemote_ = remote; });
}

void CallAudioPipeline::addRoomStream(const RoomStreamSpec& stream) {
    run([stream](CallAudioPipeline& self) { self.toPhone_.addStream(stream); });
}

void CallAudioPipeline::removeRoomStream(std::uint32_t ssrc) {
    run([ssrc](CallAudioPipeline& self) { self.toPhone_.removeStream(ssrc); });
}

void CallAudioPipeline::setRoomStreams(std::vector<RoomStreamSpec> streams) {
    run([streams = std::move(streams)](CallAudioPipeline& self) {
        self.toPhone_.setStreams(streams);
    });
}

void CallAudioPipeline::play(std::vector<std::int16_t> samples, PlayMode mode,
                             PlaybackQueue::Done done) {
    run([samples = std::move(samples), mode,
         done = std::move(done)](CallAudioPipeline& self) mutable {
        if (self.stopped_) {
            if (done) guarded([&] { done(false); });
            return;
        }
        self.toPhone_.play(std::move(samples), mode, std::move(done));
    });
}

void CallAudioPipeline::play(std::unique_ptr<SpeechStream::Reader> stream, PlayMode mode,
                             PlaybackQueue::Done done) {
    // shared_ptr: the posted handler must be copyable.
    std::shared_ptr<SpeechStream::Reader> held = std::move(stream);
    run([held, mode, done = std::move(done)](CallAudioPipeline& self) mutable {
        if (self.stopped_) {
            if (done) guarded([&] { done(false); });
            return;
        }
        self.toPhone_.play(std::move(held), mode, std::move(done));
    });
}

void CallAudioPipeline::stopPlayback() {
    run([](CallAudioPipeline& self) { self.toPhone_.stopPlayback(); });
}

void CallAudioPipeline::sendDtmf(const std::string& digits, std::function<void(bool)> done) {
    const DtmfSender::Config defaults;
    sendDtmf(digits, defaults.tone, defaults.gap, std::move(done));
}

void CallAudioPipeline::sendDtmf(const std::string& digits, std::chrono::milliseconds tone,
                                 std::chrono::milliseconds gap, std::function<void(bool)> done) {
    if (!DtmfSender::valid(digits))
        throw std::invalid_argument("DTMF: \"" + digits +
                                    "\" has characters other than 0-9 * # A-D and pauses , w W");
    if (!config_.phoneEventPayloadType)
        throw std::logic_error("DTMF: the phone did not negotiate telephone-event (RFC 4733)");
    run([digits, tone, gap, done = std::move(done)](CallAudioPipeline& self) mutable {
        if (self.stopped_) {
            if (done) guarded([&] { done(false); });
            return;
        }
        self.toPhone_.sendDtmf(digits, tone, gap, std::move(done));
    });
}

void CallAudioPipeline::onDigit(std::function<void(char)> handler) {
    run([handler = std::move(handler)](CallAudioPipeline& self) mutable {
        self.toRoom_.onDigit(std::move(handler));
    });
}

void CallAudioPipeline::digitFromSignaling(char digit) {
    run([digit](CallAudioPipeline& self) {
        if (!self.stopped_) self.toRoom_.digitFromSignaling(digit);
    });
}

void CallAudioPipeline::addTap(std::shared_ptr<AudioTap> tap) {
    run([tap = std::move(tap)](CallAudioPipeline& self) mutable {
        if (self.stopped_) {
            guarded([&] { tap->closed(); });
            return;
        }
        self.taps_.push_back(std::move(tap));
    });
}

void CallAudioPipeline::removeTap(std::shared_ptr<AudioTap> tap) {
    run([tap = std::move(tap)](CallAudioPipeline& self) {
        self.taps_.erase(std::remove(self.taps_.begin(), self.taps_.end(), tap), self.taps_.end());
    });
}

}  // namespace sb::sip::media
