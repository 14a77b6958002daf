// decimal() of Types.hpp.
#include "wasm/core/Types.hpp"

#include <charconv>

namespace sb::sdk {

// std::to_chars: no locale and no printf (libc++'s std::to_string would pull ~4 KB of vsnprintf
// into the wasm).
std::string decimal(long value) {
    char buf[24];  // a 64-bit long is at most 20 digits and a sign
    auto* end = std::to_chars(buf, buf + sizeof buf, value).ptr;
    return {buf, end};
}

}  // namespace sb::sdk
