#pragma once
#include <string>

namespace sb::auth {

// Returns the token secret kept in `path`, creating it (32 random bytes, hex, mode 0600) on first
// start so tokens stay valid across restarts. Created atomically and durably (temp file in the
// same directory, fsync, link, fsync of the directory): never half-written, even after power loss.
std::string loadOrCreateSecret(const std::string& path);

}  // namespace sb::auth
