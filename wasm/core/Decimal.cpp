// decimal(), startsWith(), noError() and noStream() of Types.hpp.
#include "wasm/core/Types.hpp"

namespace sb::sdk {

// Digits from the right: no locale and no printf (libc++'s std::to_string would pull ~4 KB of
// vsnprintf into the wasm, and std::to_chars measured 0.4 KB gzip more than this loop).
std::string decimal(long value) {
    unsigned long rest = value < 0 ? 0UL - static_cast<unsigned long>(value) : value;
    char buf[24];  // a 64-bit long is at most 20 digits and a sign
    char* p = buf + sizeof buf;
    do {
        *--p = static_cast<char>('0' + rest % 10);
        rest /= 10;
    } while (rest != 0);
    if (value < 0) *--p = '-';
    // (pointer, length): libc++'s iterator-pair constructor is a loop of its own (size).
    return std::string(p, static_cast<std::size_t>(buf + sizeof buf - p));
}

namespace {
const Error kNone;
const StreamInfo kNoStream;
}  // namespace

const Error& noError() {
    return kNone;
}

const StreamInfo& noStream() {
    return kNoStream;
}

bool startsWith(std::string_view s, std::string_view prefix) {
    return s.size() >= prefix.size() && std::string_view(s.data(), prefix.size()) == prefix;
}

}  // namespace sb::sdk
