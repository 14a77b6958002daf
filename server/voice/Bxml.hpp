#pragma once
// BXML (Bandwidth XML) documents: the verbs an application returns from its answer, initiate,
// redirect and transferComplete callbacks. Names, attributes and limits follow Bandwidth's BXML
// reference (dev.bandwidth.com/docs/voice/bxml). A document that is not valid is refused whole,
// with a BxmlError whose message becomes the disconnect callback's errorMessage.

#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

#include "server/voice/BxmlConference.hpp"  // conf
#include "server/voice/BxmlRecording.hpp"
#include "server/voice/BxmlRooms.hpp"
#include "server/voice/CallbackTarget.hpp"

namespace sb::voice::bxml {

class BxmlError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

constexpr std::size_t kMaxDocumentBytes = std::size_t{64} * 1024;
constexpr std::size_t kMaxVerbs = 256;
constexpr std::size_t kMaxTransferTargets = 8;  // <Transfer>: 1 to 8 PhoneNumber/SipUri
constexpr std::size_t kMaxDtmfDigits = 50;      // <SendDtmf>
constexpr std::size_t kMaxTagLength = 256;      // tag attribute and <Tag>
constexpr std::size_t kMaxUrlLength = 2048;
constexpr std::size_t kMaxDepth = 8;  // <Response> > verb > nested verb > …

// Every callback of a verb is a CallbackTarget (CallbackTarget.hpp): its URL (possibly relative
// to the document's URL until CallFlow resolves it), method, Basic credentials (the verb's
// username/password), fallback URL and method with fallbackUsername/fallbackPassword. Parsed by
// one helper (detail::Element::callback, BxmlElement.hpp) for every verb.

// Callback settings shared by <PhoneNumber> and <SipUri>: transferAnswer (with Bandwidth's
// transferAnswerFallbackUrl) and transferDisconnect (Bandwidth documents no fallback for it).
struct TargetCallbacks {
    std::optional<CallbackTarget> transferAnswer;
    std::optional<CallbackTarget> transferDisconnect;
    std::optional<std::string> tag;  // "" clears the call's tag
};

struct PhoneNumberTarget {
    std::string number;  // E.164
    TargetCallbacks callbacks;
};

struct SipUriTarget {
    std::string uri;                 // sip: or sips:
    std::optional<std::string> uui;  // User-To-User for the INVITE (base64/jwt, ≤ 256 characters)
    TargetCallbacks callbacks;
};

using TransferTarget = std::variant<PhoneNumberTarget, SipUriTarget>;

// Where a target rings: its number or SIP URI (the B-leg's `to`, the events' transferTo).
inline const std::string& destinationOf(const TransferTarget& target) {
    return std::visit(
        [](const auto& t) -> const std::string& {
            if constexpr (std::is_same_v<std::decay_t<decltype(t)>, SipUriTarget>)
                return t.uri;
            else
                return t.number;
        },
        target);
}
inline const TargetCallbacks& callbacksOf(const TransferTarget& target) {
    return std::visit([](const auto& t) -> const TargetCallbacks& { return t.callbacks; }, target);
}

struct Transfer {
    std::optional<std::string>
        transferCallerId;               // E.164 or Restricted/Anonymous/Private/Unavailable
    std::optional<double> callTimeout;  // seconds, 1..300 (default 30)
    std::optional<std::string> tag;
    std::optional<CallbackTarget>
        transferComplete;                 // transferCompleteUrl, …FallbackUrl, credentials
    std::vector<TransferTarget> targets;  // rung simultaneously; the first to answer is bridged
};

struct Hangup {};

struct Pause {
    double duration = 1;  // seconds, 0.1..86400
};

struct PlayAudio {
    std::string url;  // the text content; may be relative to the document's URL
    std::optional<BasicCredentials> credentials;  // username/password for fetching it
};

struct Redirect {
    CallbackTarget
        redirect;  // redirectUrl (required; may be relative), redirectFallbackUrl, credentials
    std::optional<std::string> tag;
};

struct SendDtmf {
    std::string digits;         // 0-9 * # A-D a-d, and w , (0.5 s) W (1 s) pauses
    double toneDuration = 200;  // ms, 50..5000
    double toneInterval = 400;  // ms, 50..5000
};

struct Ring {
    double duration = 5;  // seconds, 0.1..86400
};

struct Tag {
    std::string value;  // empty clears the tag
};

// A Bandwidth verb this server parses but does not execute (SpeakSentence, Gather, Bridge, …):
// reaching it ends the call with cause application-error.
struct Unsupported {
    std::string verb;
};

}  // namespace sb::voice::bxml

#include "server/voice/BxmlIvr.hpp"  // ivr: SpeakSentence, Gather, StartGather, StopGather

namespace sb::voice::bxml {

using Verb = std::variant<Transfer, Hangup, Pause, PlayAudio, Redirect, SendDtmf, Ring, Tag,
                          Unsupported, SpeakSentence, Gather, StartGather, StopGather, Bridge,
                          Forward,  // rooms (BxmlRooms.hpp)
                          Record, StartRecording, StopRecording, PauseRecording, ResumeRecording,
                          Conference>;  // conf (BxmlConference.hpp)

// Parses a document whose root is <Response> (or <Bxml>). A blank document is an empty list
// (nothing to execute: the call is hung up, as at the end of any document).
std::vector<Verb> parse(std::string_view document);

// The element name of a verb ("Transfer", …; the verb's own name for Unsupported).
std::string verbName(const Verb& verb);

// A BxmlError's text without what the document said: quoted values become "…", element names
// that are not BXML's become <…>, a User-To-User diagnosis becomes a fixed text. For messages
// shown to whoever can read the call (GET /calls, disconnect callback) and for logs.
std::string withoutContent(const std::string& message);

}  // namespace sb::voice::bxml
