#pragma once
// <Bridge> (dev.bandwidth.com/docs/voice/bxml/bridge): the call running the verb (the origin)
// and another answered call of the same account (the target) hear each other. The target's BXML
// is cancelled. The bridge ends when one of them leaves (hangs up or is redirected); the one that
// stays gets an event and new BXML: bridgeComplete (to the origin's bridgeCompleteUrl) when the
// target left, bridgeTargetComplete (to bridgeTargetCompleteUrl, run on the target) when the
// origin left — never both. A target that cannot be bridged (not found, not answered, not of the
// account, already bridged, ended) gets the origin a bridgeComplete with cause "error" and an
// errorMessage saying why. Without bridgeCompleteUrl the origin continues after <Bridge>; without
// bridgeTargetCompleteUrl a target left alone is hung up (Bandwidth's documented behaviour).
//
// All flows run on the one VoiceExecutor, so the origin may act on the target's flow directly.

#include <functional>
#include <memory>
#include <string>

#include "server/voice/VerbLoop.hpp"

namespace sb::voice {

class BridgeVerbs : public VerbLoop::Family {
  public:
    // The BridgeVerbs of another running call of the same account (nullptr if none).
    using Lookup = std::function<std::shared_ptr<BridgeVerbs>(const std::string& callId)>;

    BridgeVerbs(VerbLoop& loop, Lookup lookup) : loop_(loop), lookup_(std::move(lookup)) {}
    bool execute(const bxml::Verb& verb) override;

  private:
    struct Context;
    void bridge(const bxml::Bridge& verb);
    void failed(const bxml::Bridge& verb, const std::string& why);
    static void ended(const std::shared_ptr<Context>& ctx, bool targetLeft);

    VerbLoop& loop_;
    Lookup lookup_;
    std::shared_ptr<Context> bridge_;  // the <Bridge> this call is in, either side
};

}  // namespace sb::voice
