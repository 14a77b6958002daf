#pragma once
// Unpredictable numbers for RTP: SSRCs, initial sequence numbers and timestamps (RFC 3550 §5.1
// and §8: "random" there means an off-path attacker cannot guess them and inject packets that a
// receiver would accept). They come from the kernel's CSPRNG (getrandom(2)), never from a seeded
// PRNG whose state its outputs reveal (std::mt19937 after 624 words).

#include <cstdint>

namespace sb::sip::media {

// Throws std::runtime_error when the kernel cannot supply randomness (never on Linux ≥ 3.17
// after boot-time seeding).
std::uint32_t secureRandom32();

}  // namespace sb::sip::media
