#pragma once
// The body of a SIP INFO request that carries a DTMF digit (the legacy, pre-RFC 6086 usage that
// phones and SBCs still send instead of RFC 4733 telephone-events). Two formats are read:
//
// - application/dtmf-relay (Cisco's de-facto format, no RFC): lines of `Key=Value` separated by
//   CRLF (or LF), e.g. "Signal=5\r\nDuration=160\r\n". `Signal` is the digit: 0-9 * # A-D (any
//   case), or the RFC 4733 §3.2 event code 10-15 ("10" = '*', "11" = '#', 12-15 = A-D) as some
//   phones send; "16" (flash) and "!" (Cisco's hook flash) are well-formed but not digits.
//   `Duration` (ms), when present, is a whole number. Other keys are ignored.
// - application/dtmf: the body is just the digit or event code ("5", "#", "11").
//
// A pure function of outside input: no allocation beyond the result, no exception.

#include <cstddef>
#include <optional>
#include <string_view>

namespace sb::sip {

struct DtmfInfo {
    enum class Kind {
        Digit,        // a digit: `digit` is one of "0123456789*#ABCD"
        NotADigit,    // well-formed, but an event that is no digit (flash): acknowledged, ignored
        Empty,        // no body and no Content-Type: an INFO used as a keepalive
        Unsupported,  // a Content-Type other than the two above (reply 415 with Accept)
        Malformed,    // one of the two types, but the body does not say a digit (reply 400)
    };
    Kind kind = Kind::Malformed;
    char digit = '\0';
};

// The media types accepted, as an Accept header value (RFC 3261 §20.1) for the 415 reply.
inline constexpr const char* kDtmfInfoAccept = "application/dtmf-relay, application/dtmf";
// Longest body read; anything longer is Malformed (the SIP layer refuses big bodies before this).
inline constexpr std::size_t kDtmfInfoMaxBody = 1024;

// `contentType` is the Content-Type header value, parameters allowed ("" when absent);
// `body` the message body.
DtmfInfo parseDtmfInfo(std::string_view contentType, std::string_view body);

}  // namespace sb::sip
