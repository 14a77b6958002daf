#pragma once
#include <string>

// randomUuid moved to RandomId.hpp; included here for the files that still reach it through this
// header (server/app/Server.cpp, server/signaling/SignalingService.cpp).
#include "server/auth/RandomId.hpp"

namespace sb::auth {

// Returns the token secret kept in `path`, creating it (32 random bytes, hex, mode 0600) on first
// start so tokens stay valid across restarts. Created atomically and durably (temp file in the
// same directory, fsync, link, fsync of the directory): never half-written, even after power loss.
std::string loadOrCreateSecret(const std::string& path);

}  // namespace sb::auth
