#pragma once
// Random ids and secrets, from the kernel's CSPRNG: participant and session ids (UUIDs), the
// token secret, the voice API's call and error ids.

#include <cstddef>
#include <string>

namespace sb::auth {

// 16 random bytes formatted as an RFC 4122 version-4 UUID (lower-case hex, 8-4-4-4-12).
std::string randomUuid();

// `bytes` random bytes as 2 × `bytes` lower-case hex digits.
std::string randomHex(std::size_t bytes);

}  // namespace sb::auth
