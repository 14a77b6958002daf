#pragma once
// Comparing a secret a client sent with ours without telling, by the time taken, how much of a
// guess matched: every byte is looked at (no early exit).

#include <cstddef>
#include <string>

namespace sb::auth {

inline bool sameSecret(const std::string& given, const std::string& ours) {
    if (given.size() != ours.size()) return false;
    unsigned char diff = 0;
    for (std::size_t i = 0; i < ours.size(); ++i)
        diff |= static_cast<unsigned char>(static_cast<unsigned char>(given[i]) ^
                                           static_cast<unsigned char>(ours[i]));
    return diff == 0;
}

}  // namespace sb::auth
