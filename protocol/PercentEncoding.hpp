#pragma once
// Percent-encoding of a URL's query names and values (RFC 3986 §2.1), shared by the server (the
// form bodies of its callbacks) and the wasm SDK (the signaling URL's query). Header-only and
// dependency-free, as the rest of protocol/. Decoding is the server's alone (server/base/Utf8.hpp).

#include <string>
#include <string_view>

namespace sb::protocol {

// Appends `in` to `out` with every byte but RFC 3986's unreserved characters (ALPHA DIGIT - . _ ~)
// as %XX, upper-case hex.
inline void appendPercent(std::string& out, std::string_view in) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    for (unsigned char c : in) {
        bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                          (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
        // append(), not push_back: the wasm SDK has no push_back(char) of its own (size).
        const char escaped[] = {'%', kHex[c >> 4], kHex[c & 15], static_cast<char>(c)};
        if (unreserved)
            out.append(escaped + 3, 1);
        else
            out.append(escaped, 3);
    }
}

inline std::string encodePercent(std::string_view in) {
    std::string out;
    out.reserve(in.size());
    appendPercent(out, in);
    return out;
}

}  // namespace sb::protocol
