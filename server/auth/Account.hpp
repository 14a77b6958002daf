#pragma once
// An account of the server: the credentials REST callers give and its limits (the config file
// lists them, app/Config.hpp).

#include <cstddef>
#include <string>
#include <vector>

namespace sb::auth {

struct Account {
    std::string id;
    std::string username;
    std::string password;
    // Voice API toll-fraud policy (DESIGN): destinations are ECMAScript regexes matched against
    // the whole `to`; none = this account may not place outbound calls.
    std::vector<std::string> allowedDestinations = {};
    std::size_t maxConcurrentCalls = 5;
    std::size_t maxCallsPerMinute = 10;
    // Stored state per account (issue 8): creating more is refused with 409 until some expire or
    // are deleted.
    std::size_t maxSessions = 1000;
    std::size_t maxParticipants = 10000;
    // Non-public networks (CIDR or address: "127.0.0.1", "10.0.0.0/8", "::1") this account's
    // callbacks and PlayAudio URLs may reach; none by default (docs/security.md).
    std::vector<std::string> allowedCallbackNetworks = {};
};

}  // namespace sb::auth
