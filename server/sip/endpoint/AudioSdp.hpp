#pragma once
// The little SDP the SIP side needs (RFC 4566 / RFC 3264, one audio stream, G.711 and RFC 4733
// telephone-event). Offers and answers from the far end are read with sofia-sip's SDP parser;
// ours are written here because they are a dozen fixed lines.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/sip/endpoint/SipEndpoint.hpp"

namespace sb::sip {

// The first active RTP/AVP audio m-line of a session description.
struct AudioDescription {
    bool ok = false;            // parsed, and an audio m-line with port != 0 was found
    std::string error;          // why not, when !ok
    std::string address;        // the m-line's c= address, else the session-level one
    std::uint16_t port = 0;     // RTP port
    std::vector<G711> g711;     // PCMU (PT 0) / PCMA (PT 8) in the m-line's order
    int telephoneEventPt = -1;  // telephone-event/8000 PT, -1 if absent
    // The direction attribute (RFC 3264 §5.1/§8.4), from the describer's point of view: a phone
    // on hold says a=sendonly (music on hold) or a=inactive; c=0.0.0.0 is the old way to say
    // "send me nothing" (RFC 3264 §8.4).
    bool sends = true;
    bool receives = true;
};

AudioDescription parseAudioSdp(std::string_view sdp);

// For an offer we prefer PCMU (no transcoding towards the room), else PCMA.
std::optional<G711> preferredFromOffer(const AudioDescription& offer);
// For an answer the answerer's first listed G.711 codec is the one it will send.
std::optional<G711> chosenInAnswer(const AudioDescription& answer);

struct AudioSdpParams {
    std::string address;          // c= and o= address (IPv4)
    std::uint16_t port = 0;       // m=audio port
    std::vector<G711> codecs;     // in preference order
    int telephoneEventPt = -1;    // <0: no telephone-event
    std::uint64_t sessionId = 0;  // o= sess-id
    std::uint64_t version = 0;    // o= sess-version
    // a=sendrecv, or the answer to a hold (RFC 3264 §6.1: sendonly ↔ recvonly, inactive).
    bool sends = true;
    bool receives = true;
};

// v=, o=, s=, c=, t=, one m=audio with rtpmap lines, fmtp 0-16 for telephone-event, ptime 20,
// a=sendrecv (or the direction of `params`). CRLF line ends.
std::string buildAudioSdp(const AudioSdpParams& params);

int payloadType(G711 codec);
const char* encodingName(G711 codec);

}  // namespace sb::sip
