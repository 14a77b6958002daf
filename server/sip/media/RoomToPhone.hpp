#pragma once
// One call's audio from the room to the phone, a frame per tick: Janus rtp_forward streams (told
// apart by SSRC; RoomStream = jitter buffer + decoder) → Mixer → PlaybackQueue (PlayAudio clips,
// mixed in or replacing the room) → G.711 (PCMU or PCMA as negotiated) → RtpSender; while DTMF
// is being sent, the DtmfSender's telephone-events take the place of audio frames (RFC 4733
// §2.1). Part of a CallAudioPipeline, which owns the sockets and the clock and calls this on the
// call's strand only; it does no I/O itself.

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "server/sip/media/CallAudioCounters.hpp"
#include "server/sip/media/DtmfSender.hpp"
#include "server/sip/media/G711.hpp"
#include "server/sip/media/Mixer.hpp"
#include "server/sip/media/PlaybackQueue.hpp"
#include "server/sip/media/RoomStream.hpp"
#include "server/sip/media/RtpSender.hpp"

namespace sb::sip::media {

class RoomToPhone {
  public:
    struct Config {
        G711Law phoneLaw = G711Law::Mu;
        std::optional<std::uint8_t> phoneEventPayloadType;   // DTMF is sent only with one
        std::size_t jitterMinDepth = 1, jitterMaxDepth = 6;  // of each room stream (JitterBuffer)
        RtpSender::Config sender;
    };
    // A forwarded room stream (what PhoneSink::forwardsChanged reports for each).
    struct StreamSpec {
        std::uint32_t ssrc = 0;
        Codec codec = Codec::Opus;
        std::uint8_t payloadType = 111;
    };

    RoomToPhone(const Config& config, CallAudioCounters& counters);

    // Makes the mixed streams exactly `streams` (new SSRCs added, missing ones removed).
    void setStreams(const std::vector<StreamSpec>& streams);
    void addStream(const StreamSpec& spec);
    void removeStream(std::uint32_t ssrc);
    // A packet of a forwarded stream; false (and nothing done) when its SSRC is not one of them.
    bool push(const RtpPacket& packet);

    // This tick's sound: the streams mixed, with the playback applied.
    void mix(PcmFrame& mixed);
    // This tick's packet to the phone, handed to `send`: a telephone-event while DTMF is being
    // sent, else `mixed` encoded. DTMF done callbacks run after the last event is handed over.
    void sendFrame(const PcmFrame& mixed, const std::function<void(ByteView)>& send);
    // After a stall: the timestamp advances over `frames` missed ticks instead of a burst.
    void skipFrames(std::uint32_t frames) { sender_.skipFrames(frames); }
    std::uint32_t ssrc() const { return sender_.ssrc(); }

    void play(std::vector<std::int16_t> samples, PlayMode mode, PlaybackQueue::Done done);
    void play(std::shared_ptr<SpeechStream::Reader> stream, PlayMode mode,
              PlaybackQueue::Done done);
    void stopPlayback();
    // Queues digits (checked by the caller); when the send queue is full they are refused and
    // counted, and `done` gets false.
    void sendDtmf(const std::string& digits, std::chrono::milliseconds tone,
                  std::chrono::milliseconds gap, std::function<void(bool)> done);
    // The call ended: queued DTMF is dropped and playback stopped; their callbacks get false.
    void stop();

  private:
    void finishDtmf(bool completed);

    Config config_;
    CallAudioCounters& counters_;
    std::vector<std::pair<std::uint32_t, std::unique_ptr<RoomStream>>> streams_;
    Mixer mixer_;
    PlaybackQueue playback_;
    DtmfSender dtmf_;
    std::vector<std::function<void(bool)>> dtmfDone_;
    RtpSender sender_;
    std::array<std::uint8_t, kMaxPacketSize> out_;
};

}  // namespace sb::sip::media
