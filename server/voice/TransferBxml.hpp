#pragma once
// The server-side equivalent of the Node SDK's ApiController.generateTransferBxml (reference
// §5.1, @bandwidth/webrtc 1.3.1): BXML that transfers a Voice call into a WebRTC session by
// sending the participant's device token in the INVITE's User-To-User header.

#include <string>

namespace sb::voice {

constexpr const char* kDefaultTransferSipUri = "sip:sipx.webrtc.bandwidth.com:5060";

// `<Transfer>\n\t<SipUri uui="…">{sipUri}</SipUri>\n</Transfer>`. With a call id the uui is
// `{callIdHex};encoding=base64,{deviceToken};encoding=jwt`, callIdHex being the call id without
// its first character and without dashes; without one it is `{deviceToken};encoding=jwt`.
// Byte for byte the SDK's output, except that XML special characters are escaped (they never
// occur in a JWT, a call id or a SIP URI the SDK would be given, so real output is identical).
std::string generateTransferBxmlVerb(const std::string& deviceToken, const std::string& callId = "",
                                     const std::string& sipUri = kDefaultTransferSipUri);

// `<?xml version="1.0" encoding="UTF-8" ?>\n<Response>` + the verb + `</Response>`.
std::string generateTransferBxml(const std::string& deviceToken, const std::string& callId = "",
                                 const std::string& sipUri = kDefaultTransferSipUri);

// Escapes & < > " ' for use in XML attribute values and text.
std::string xmlEscape(const std::string& s);

}  // namespace sb::voice
