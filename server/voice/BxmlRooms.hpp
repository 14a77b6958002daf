#pragma once
// BXML verbs that join calls together (the "rooms" part of issue 9): <Bridge>, which connects the
// running call with another active call of the same account
// (dev.bandwidth.com/docs/voice/bxml/bridge). Parsed by BxmlRooms.cpp, executed by
// BridgeVerbs.cpp.

#include <optional>
#include <string>

#include "server/voice/CallbackTarget.hpp"

namespace pugi {
class xml_node;
}

namespace sb::voice::bxml {

struct Bridge {
    std::string targetCall;  // the text content: the callId of the call to bridge with
    // bridgeComplete goes here when the target leaves the bridge (or it cannot be bridged); the
    // returned BXML replaces the verbs after <Bridge>. Absent: the verbs after <Bridge> continue.
    // (bridgeCompleteUrl, bridgeCompleteFallbackUrl and the verb's credentials.)
    std::optional<CallbackTarget> bridgeComplete;
    // bridgeTargetComplete goes here when this call leaves first; the returned BXML runs on the
    // target. Absent: the target is hung up.
    std::optional<CallbackTarget>
        bridgeTargetComplete;  // bridgeTargetCompleteUrl, …FallbackUrl, credentials
    std::optional<std::string> tag;
};

// <Forward> (dev.bandwidth.com/docs/voice/bxml/forward): hands an inbound call to another number
// through the trunk; the application has no control of the call afterwards.
struct Forward {
    std::string to;  // E.164, or a sip: URI of the trunk
    std::optional<std::string>
        from;  // E.164 caller id for the forwarded leg (default: the call's `to`)
    std::optional<double> callTimeout;  // seconds, 1..300 (default 30)
    std::optional<std::string>
        diversionTreatment;  // none | propagate | stack (validated, see docs/voice.md)
    std::optional<std::string> diversionReason;  // RFC 5806 reasons (validated, see docs/voice.md)
    // info: sent on the forwarded leg's INVITE (docs/voice.md "<Forward>")
    std::optional<std::string> uui;  // User-To-User (RFC 7433, base64 or jwt encoding)
    std::optional<std::string> callerDisplayName;  // From display name
};

Forward parseForward(const pugi::xml_node& node, const std::string& where);

// Parses a <Bridge> element; `where` names it in error messages. Throws BxmlError.
Bridge parseBridge(const pugi::xml_node& node, const std::string& where);

}  // namespace sb::voice::bxml
