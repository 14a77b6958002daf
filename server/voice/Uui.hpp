#pragma once
// The voice API's limits on the User-To-User values it sends (createCall's `uui`, <SipUri uui>).
// The values are read and checked by the SIP endpoint's parser, server/sip/endpoint/UserToUser.hpp.

#include <cstddef>

#include "server/sip/endpoint/UserToUser.hpp"

namespace sb::voice {

// Bandwidth's limits, encoding parameters and separators included.
constexpr std::size_t kMaxCreateCallUuiLength = 350;
// Bandwidth documents 256 for <SipUri uui>, but generateTransferBxml's own output for one of our
// device tokens ({callIdHex};encoding=base64,{jwt};encoding=jwt) is about 310 characters: a limit
// that refused the reference helper's BXML would break every transfer, so ours is 512.
constexpr std::size_t kMaxSipUriUuiLength = 512;
// Bandwidth's <Forward uui>: base64 or jwt, at most 256 characters.
constexpr std::size_t kMaxForwardUuiLength = 256;

}  // namespace sb::voice
