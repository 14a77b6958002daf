#pragma once
// UTF-8 checks for text that arrives from the network (RFC 3629 §4: no overlong forms, no
// surrogates, nothing above U+10FFFF), so invalid bytes are refused at input with a 400.

#include <cstddef>
#include <string>
#include <string_view>

namespace sb::api {

bool isValidUtf8(std::string_view text);

// The longest prefix of `text` that is at most `maxBytes` long and does not split a code point
// (`text` must be valid UTF-8).
std::string truncateUtf8(std::string_view text, std::size_t maxBytes);

// Decodes %XX escapes (RFC 3986 §2.1); other bytes, and malformed escapes, are kept as they are.
std::string decodePercent(std::string_view in);
// A query string's name or value (application/x-www-form-urlencoded): '+' is a space, then %XX.
std::string decodeQueryComponent(std::string_view in);

}  // namespace sb::api
