#pragma once
// The User-To-User header (RFC 7433): one or more comma-separated values, each
// `data;encoding=…` with optional further parameters. Bandwidth's transfer sends
// `{callIdHex};encoding=base64,{jwt};encoding=jwt` or `{jwt};encoding=jwt`.

#include <string>
#include <string_view>
#include <vector>

namespace sb::sip {

// Splits a header value into its values, each trimmed of surrounding whitespace and keeping its
// parameters. Commas inside quoted strings do not split; empty values are dropped.
std::vector<std::string> splitUserToUser(std::string_view header);

// Joins values into one header value (the inverse of splitUserToUser).
std::string joinUserToUser(const std::vector<std::string>& values);

struct UserToUserValue {
    std::string data;      // before the first ';', trimmed
    std::string encoding;  // the encoding parameter, lower-cased ("" if absent: RFC 7433 says hex)
};

// Splits one value into its data and encoding parameter.
UserToUserValue parseUserToUserValue(std::string_view value);

}  // namespace sb::sip
