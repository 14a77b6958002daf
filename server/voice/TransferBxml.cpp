#include "server/voice/TransferBxml.hpp"

namespace sb::voice {

std::string xmlEscape(const std::string& s) {
    std::string out;
    out.reserve(s.size());
    for (char c : s) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&apos;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

std::string generateTransferBxmlVerb(const std::string& deviceToken, const std::string& callId,
                                     const std::string& sipUri) {
    std::string uui;
    if (!callId.empty()) {
        // The SDK: voiceCallId.substring(1).replace(/-/g, '').
        for (char c : callId.substr(1))
            if (c != '-') uui += c;
        uui += ";encoding=base64,";
    }
    uui += deviceToken + ";encoding=jwt";
    return "<Transfer>\n\t<SipUri uui=\"" + xmlEscape(uui) + "\">" + xmlEscape(sipUri) +
           "</SipUri>\n</Transfer>";
}

std::string generateTransferBxml(const std::string& deviceToken, const std::string& callId,
                                 const std::string& sipUri) {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n<Response>" +
           generateTransferBxmlVerb(deviceToken, callId, sipUri) + "</Response>";
}

}  // namespace sb::voice
