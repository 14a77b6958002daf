#pragma once
// coturn's turnserver.conf generated from switchboard's config, so that the secret, realm, ports
// and addresses have one source of truth (`switchboard --write-configs DIR`, the tests through
// tests/support/coturn.mjs, `make demo`).

#include <string>
#include <vector>

#include "server/app/Config.hpp"

namespace sb::app {

// What coturn needs to know about the host beyond the `turn` object.
struct TurnServerHost {
    std::string externalIp;  // the public IP of a server behind 1:1 NAT; empty: none
    // This server's own media addresses (Janus, SIP RTP): relayed to even when they are private or
    // loopback, while every other private, loopback and reserved address is refused.
    std::vector<std::string> mediaAddresses;
    std::string certFile, keyFile;  // TLS and DTLS for turns: URIs; empty: both off
    // Allocations at once under one username: a credential is minted per device connection, so
    // this bounds what one leaked credential can hold.
    std::size_t userQuota = 16;
};

std::string renderTurnserverConf(const TurnConfig& turn, const TurnServerHost& host);
// From the whole config: requires c.turn (throws std::runtime_error without it).
std::string renderTurnserverConf(const Config& c);

}  // namespace sb::app
