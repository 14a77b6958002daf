#pragma once
// The User-To-User header (RFC 7433), the one parser of it: an INVITE's header as the endpoint
// hands it over (InboundInvite::userToUserValues), and the values the voice API sends (createCall's
// `uui`, <SipUri uui>). Bandwidth's generateTransferBxml writes them as
// `{callIdHex};encoding=base64,{jwt};encoding=jwt` or `{jwt};encoding=jwt` (reference §5.1).

#include <cstddef>
#include <initializer_list>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sb::sip {

class UuiError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// Longest header value we parse at all (an INVITE's User-To-User comes from the network).
constexpr std::size_t kMaxUuiHeaderLength = 4096;
constexpr std::size_t kMaxUuiValues = 8;

struct UuiValue {
    std::string data;      // unquoted
    std::string encoding;  // lower case; empty if the value has no encoding parameter
    std::vector<std::pair<std::string, std::string>> params;  // names lower case, in order
};

// RFC 7433 §4: `uui-value *(COMMA uui-value)`, `uui-value = uui-data *(SEMI uui-param)`,
// uui-data a token or quoted-string. Whitespace around separators is allowed. Throws UuiError.
std::vector<UuiValue> parseUui(std::string_view header);

// Checks a value that we will send: at most `maxLength` characters, every value carries an
// `encoding` from `allowed`, and its data fits that encoding's alphabet. Throws UuiError.
void validateUui(std::string_view uui, std::size_t maxLength,
                 std::initializer_list<std::string_view> allowed);

struct UuiToken {
    std::string token;                     // the participant JWT
    std::optional<std::string> callIdHex;  // the Voice call id in hex, when the sender added it
};

// The participant token of a transferred call: exactly one `;encoding=jwt` value holding a
// three-part JWT, optionally with one `;encoding=base64` value (the call id hex). Other
// encodings, several tokens or malformed data are refused with a UuiError saying why.
UuiToken extractUuiToken(const std::vector<UuiValue>& values);
// The same from a header value: parseUui, then the above.
UuiToken extractUuiToken(std::string_view header);

// Whether a <SipUri uui> means "this call goes into a session": any value with
// `encoding=jwt` (case-insensitive), also in a value too malformed to parse, so that a token is
// never sent out through the trunk by mistake.
bool carriesUuiToken(std::string_view uui);

}  // namespace sb::sip
