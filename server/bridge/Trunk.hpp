#pragma once
// The SIP trunk (DESIGN "Voice API"): calls leave this server only through it, and only its
// addresses may call the voice API's numbers. Toll fraud is the first attack on any SIP platform.
// Also tells this server's own SIP URIs from others. Runs on the bridge's strand.

#include <memory>
#include <string>
#include <vector>

#include "server/bridge/AddressList.hpp"
#include "server/bridge/BridgeCalls.hpp"

namespace sb::bridge {

// What an outbound INVITE carries besides its offer.
struct Dial {
    std::string toUri;  // trunkUriFor's
    std::string from;   // a number or a sip: URI
    std::string userToUser;
    double timeoutSeconds = 30;
    std::string displayName;             // From display name ("" = none)
    std::vector<std::string> diversion;  // Diversion header values (RFC 5806)
};

class Trunk {
  public:
    // Throws std::invalid_argument for a bad sipTrunkAddresses entry.
    explicit Trunk(std::shared_ptr<BridgeCalls> calls);

    // The Request-URI that reaches `to` (a number, or a sip: URI on the trunk) through the trunk.
    // Throws net::HttpError when there is no trunk, or `to` is a sip: URI elsewhere.
    std::string uriFor(const std::string& to) const;
    // A URI of this server (its SIP address, or the name Bandwidth's sessions used).
    bool isOwnUri(const std::string& uri) const;
    bool isTrunkAddress(const std::string& address) const { return addresses_.contains(address); }
    // INVITE through the trunk with a new pipeline's ports in the offer; the call is in the table
    // under the endpoint's id. nullptr (and `error`) when no RTP port is free.
    std::shared_ptr<BridgeCall> dial(const std::string& pendingId, Dial dial, std::string& error);

  private:
    std::shared_ptr<BridgeCalls> calls_;
    AddressList addresses_;
};

}  // namespace sb::bridge
