#pragma once
// What the endpoint reads out of a sofia-sip message (sip_t / msg_t), with sofia's own parsers:
// header and URI text, the SDP body, the URI user parts, the packet's source address, and the
// standard reason phrase of a status. Internal to server/sip/endpoint (SofiaInvites,
// SofiaEvents, SofiaCommands).

#include <sofia-sip/msg.h>
#include <sofia-sip/sip.h>
#include <sofia-sip/url.h>

#include <string>
#include <string_view>
#include <vector>

#include "server/sip/endpoint/AudioSdp.hpp"
#include "server/sip/endpoint/SipEndpoint.hpp"

namespace sb::sip {

inline constexpr char kSdpType[] = "application/sdp";

std::string headerText(const void* header);  // a sip_header_t as sofia prints it
std::string urlText(const url_t* url);
bool hasSdp(const sip_t* sip);            // an application/sdp body
std::string_view body(const sip_t* sip);  // only when hasSdp()
bool hasLineBreak(const std::string& s);
// The standard reason phrase of a status (RFC 3261 §21), "" for codes it has none for: what we
// send and report is never text a peer chose.
const char* standardPhrase(int status);
std::string userOf(const url_t* url);  // the user part as sofia parsed it, "" if none
// The address the request's packet (or TCP connection) came from, "" if unknown. Not Via or
// Contact: those are the sender's claim.
std::string sourceOf(msg_t* msg);
RemoteMedia remoteFrom(const AudioDescription& description);
// info: the values of every header field named `name` that sofia does not know (kept in
// sip_unknown), at most `maxCount` of them; a value longer than `maxLength` is skipped.
std::vector<std::string> unknownHeaderValues(const sip_t* sip, const char* name,
                                             std::size_t maxCount, std::size_t maxLength);

}  // namespace sb::sip
