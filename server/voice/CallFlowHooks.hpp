#pragma once
// What a CallFlow tells whoever runs it (VoiceService), and the one thing it asks of it: the
// running flows of other calls, for <Bridge>. Set once when the flow is made; the flow calls them
// on the VoiceExecutor.

#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace sb::voice {

class CallFlow;

struct CallFlowHooks {
    // Inbound calls: the flow answered the call (before its first verb).
    std::function<void()> answered;
    // A verb set or cleared the tag (nullopt = cleared).
    std::function<void(const std::optional<std::string>& tag)> tagChanged;
    // The flow ended the call (it has already hung up the media). Called at most once, never
    // after stop().
    std::function<void(const std::string& cause, const std::string& errorMessage)> ended;
    // rooms: the running flow of another call of the same account (nullptr if none): <Bridge>'s
    // target.
    std::function<std::shared_ptr<CallFlow>(const std::string& callId)> flowOf;
};

}  // namespace sb::voice
