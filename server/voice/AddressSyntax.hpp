#pragma once
// The two kinds of address the voice API dials and accepts as a caller: E.164 numbers and SIP
// URIs, as createCall, <Transfer> and <Forward> check them.

#include <string_view>

namespace sb::voice {

// "+" and 2 to 15 digits, the first not 0 (ITU-T E.164).
bool isE164(std::string_view s);

// A sip: or sips: URI of at most 256 characters: printable ASCII without spaces, '<', '>' or '"'
// (it goes into a SIP header as it is), something after the scheme, and no '@' at either end of it.
bool isSipUri(std::string_view s);

}  // namespace sb::voice
