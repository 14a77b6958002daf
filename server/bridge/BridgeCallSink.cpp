#include "server/bridge/BridgeCallSink.hpp"

#include <boost/asio/post.hpp>

#include "server/base/Log.hpp"
#include "server/bridge/BridgeCalls.hpp"
#include "server/bridge/VoiceConference.hpp"

namespace sb::bridge {

void BridgeCallSink::forwardsChanged(const std::vector<media::ForwardedStream>& streams) {
    auto calls = calls_.lock();
    if (!calls) return;
    std::vector<CallAudioPipeline::RoomStreamSpec> specs;
    for (const auto& s : streams) {
        auto codec = sip::media::codecFromName(s.codec);
        if (!codec) continue;  // not audio we can decode (never happens for audio tracks)
        specs.push_back({s.ssrc, *codec, static_cast<std::uint8_t>(s.payloadType)});
    }
    asio::post(calls->strand(), [calls, id = callId_, specs = std::move(specs)]() mutable {
        auto call = calls->find(id);
        if (!call) return;
        if (auto& conf = call->conference) {  // conf: a member on hold hears nothing
            conf->streams = specs;
            if (conf->hold) return;
        }
        call->pipeline->setRoomStreams(std::move(specs));
    });
}

void BridgeCallSink::sendDtmf(const std::string& tones) {
    auto calls = calls_.lock();
    if (!calls) return;
    asio::post(calls->strand(), [calls, id = callId_, tones] {
        auto call = calls->find(id);
        if (!call) return;
        try {
            call->pipeline->sendDtmf(tones);
        } catch (const std::exception& e) {
            base::log(base::LogLevel::Warn, "sip: call " + id + ": cannot send DTMF: " + e.what());
        }
    });
}

void BridgeCallSink::endPhone(const std::string& reason) {
    auto calls = calls_.lock();
    if (!calls) return;
    asio::post(calls->strand(),
               [calls, id = callId_, reason] { calls->roomMediaEnded(id, reason); });
}

}  // namespace sb::bridge
