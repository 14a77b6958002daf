#pragma once
// The Range header of a GET (RFC 9110 §14.1.2, §14.2) for one representation of `size` bytes:
// "bytes=first-last", "bytes=first-", "bytes=-suffixLength". Only single ranges are served: a
// header this does not understand (another unit, several ranges, bad syntax) is ignored and the
// whole representation is sent, as §14.2 allows. A range that starts at or past the end is
// unsatisfiable (416, §15.5.17).

#include <cstdint>
#include <string_view>

namespace sb::net {

struct ByteRange {
    enum class Kind { Whole, Partial, Unsatisfiable } kind = Kind::Whole;
    std::uint64_t first = 0, last = 0;  // inclusive, when Partial
    std::uint64_t length() const { return last - first + 1; }
};

ByteRange parseByteRange(std::string_view header, std::uint64_t size);

}  // namespace sb::net
