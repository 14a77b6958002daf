#pragma once
// Text as it arrives from the network: UTF-8 checks (RFC 3629 §4: no overlong forms, no
// surrogates, nothing above U+10FFFF), so invalid bytes are refused at input with a 400, and the
// decoding of percent-encoded URL components and query strings (RFC 3986 §2.1; encoding is
// protocol/PercentEncoding.hpp, shared with the SDK).

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sb::base {

bool isValidUtf8(std::string_view text);

// Number of Unicode code points in valid UTF-8, or nullopt if `text` is not valid UTF-8.
std::optional<std::size_t> utf8Length(std::string_view text);

// The longest prefix of `text` that is at most `maxBytes` long and does not split a code point
// (`text` must be valid UTF-8).
std::string truncateUtf8(std::string_view text, std::size_t maxBytes);

// Decodes %XX escapes (RFC 3986 §2.1); other bytes, and malformed escapes, are kept as they are.
std::string decodePercent(std::string_view in);
// A query string's name or value (application/x-www-form-urlencoded): '+' is a space, then %XX.
std::string decodeQueryComponent(std::string_view in);

// How a query string's '+' reads: as itself (then %2B and '+' are the same), or as a space
// (application/x-www-form-urlencoded).
enum class PlusInQuery { Plus, Space };
// The name=value pairs of a raw query string in order, names and values decoded; empty items
// ("a=1&&b=2") are skipped, a name without '=' has an empty value.
std::vector<std::pair<std::string, std::string>> queryPairs(std::string_view query,
                                                            PlusInQuery plus);

}  // namespace sb::base
