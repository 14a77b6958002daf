#pragma once
// The final response to one request, read from bytes a peer sent: a datagram holds one message
// (RFC 3261 §18.3), a stream holds several back to back, each ending after its header block and
// Content-Length bytes of body (§18.3, §20.14: mandatory on a stream transport). Used by the
// BYEs of a killed predecessor's dialogs (LeftoverByes), which need only the status code.

#include <cstddef>
#include <string>
#include <string_view>

namespace sb::sip {

// Bytes one response may take: far above any response to a BYE, and a bound on what a hostile
// peer can make us buffer.
inline constexpr std::size_t kMaxResponseBytes = std::size_t{16} * 1024;

// "SIP/2.0 200 OK…" → 200. -1 when the message does not start with a status line whose code has
// three digits (§7.2, §25.1 Status-Line).
int statusOf(std::string_view message);

// Consumes the complete provisional responses (1xx) at the front of `stream` and returns the code
// of the first final one (200–699; it and what follows stay), 0 while the stream holds no final
// response yet, -1 when it holds what is not a response or a message over kMaxResponseBytes.
int takeFinalStatus(std::string& stream);

}  // namespace sb::sip
