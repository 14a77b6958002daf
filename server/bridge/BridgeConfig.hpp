#pragma once
// The SIP bridge's settings and counters (SipBridge and its parts read them; Server fills them
// from the configuration and reports the counters as metrics).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "server/sip/endpoint/SipEndpoint.hpp"
#include "server/sip/media/PhoneSourceGuard.hpp"
#include "server/sip/media/SpeechService.hpp"

namespace sb::bridge {

// A number that calls from the trunk may reach, and the application that handles them.
struct InboundNumber {
    std::string number;  // E.164, matched against the INVITE's Request-URI user part
    std::string accountId, applicationId;
    std::string initiateUrl;
    std::optional<std::string> disconnectUrl;
};

struct BridgeConfig {
    sip::SipConfig sip;
    // Outbound calls of the voice API leave only through this trunk, e.g. "sip:127.0.0.1:5070";
    // empty: the voice API cannot place calls.
    std::string trunk;
    std::vector<InboundNumber> numbers;
    // Who may call `numbers` (IPs / CIDR networks): an INVITE for them from any other address
    // gets 403. Empty: the host of `trunk` when it is an IP literal, else nobody. INVITEs that
    // carry a participant token are accepted from anywhere (the token is the credential).
    std::vector<std::string> trunkAddresses;
    // RTP source check, reflection limit and inactivity timeout of every call's phone side.
    sip::media::PhoneSourceGuard::Config rtpGuard;
    std::string rtpAddress = "127.0.0.1";  // our RTP address towards phones (and Janus)
    // Behind 1:1 NAT: the IPv4 address phones send RTP to, written in our SDP's c= and o=
    // lines (RFC 4566 §5.2, §5.7) while the sockets stay bound to rtpAddress; "" = rtpAddress.
    std::string publicRtpAddress;
    const std::string& sdpAddress() const {
        return publicRtpAddress.empty() ? rtpAddress : publicRtpAddress;
    }
    std::uint16_t rtpPortMin = 30000;
    std::uint16_t rtpPortMax = 31999;
    // ivr
    sip::media::SpeechService::Config speech;  // SpeakSentence: synthesis workers and clip cache
    double playAudioMaxSeconds = 3600;         // PlayAudio: longer files are refused
    // Where confirmed dialogs are kept for a BYE after a restart (LeftDialogs); "" = nowhere.
    std::string dialogsFile;
};

struct BridgeStats {
    std::size_t activeCalls = 0;
    std::uint64_t callsAnswered = 0, callsRefused = 0, callsEnded = 0;
    std::uint64_t callsRtpTimedOut = 0;       // ended because the phone's RTP stopped
    std::uint64_t rtpForeignPackets = 0;      // of ended calls: RTP from a source not the phone's
    std::uint64_t untrustedTrunkInvites = 0;  // INVITEs for voice numbers from a non-trunk address
};

}  // namespace sb::bridge
