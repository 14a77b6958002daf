#pragma once
// Receives the media orchestration's decisions for one bridge call (media::PhoneSink): which
// room streams arrive on its port, digits to send to the phone, the end of its session's media.
// Called on the media strand; every step hops onto the bridge's strand and finds the call there.
// Private to server/bridge.

#include <memory>
#include <string>
#include <vector>

#include "server/media/MediaEvents.hpp"

namespace sb::bridge {

class BridgeCalls;

class BridgeCallSink : public media::PhoneSink {
  public:
    BridgeCallSink(std::weak_ptr<BridgeCalls> calls, std::string callId)
        : calls_(std::move(calls)), callId_(std::move(callId)) {}

    void forwardsChanged(const std::vector<media::ForwardedStream>& streams) override;
    void sendDtmf(const std::string& tones) override;
    void endPhone(const std::string& reason) override;

  private:
    std::weak_ptr<BridgeCalls> calls_;
    std::string callId_;
};

}  // namespace sb::bridge
