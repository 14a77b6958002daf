#pragma once
// Where the voice API's outbound HTTP requests (answer/initiate/redirect/transfer/disconnect
// callbacks and PlayAudio files) may connect: any public address, and the non-public ranges
// (loopback, RFC 1918 / RFC 4193 private, link-local, CGNAT, multicast, cloud metadata, …) only
// where the account's `allowedCallbackNetworks` names them. Without this an application could
// make the server reach its own admin ports or the cloud metadata service (SSRF).
//
// The check is made on the address actually connected to, after resolution (HttpCallbackClient
// resolves once, checks every result and connects only to those that passed: no DNS-rebinding
// window between the check and the connection).
//
// Configured once at startup; read-only (and so thread-safe) afterwards.

#include <boost/asio/ip/address.hpp>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace sb::voice {

// One CIDR block ("10.0.0.0/8", "::1/128"; a bare address is a /32 or /128).
struct Network {
    boost::asio::ip::address base;
    unsigned prefix = 0;
    bool contains(const boost::asio::ip::address& a) const;
};

// Throws std::invalid_argument naming the entry that is not an address or CIDR block.
Network parseNetwork(const std::string& text);

// Why `a` is not a public unicast address ("loopback", "private", "link-local", "cloud metadata",
// …), or nullopt when it is. IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible and NAT64
// (64:ff9b::/96) IPv6 addresses are judged by the IPv4 address they carry.
std::optional<std::string> nonPublicRange(const boost::asio::ip::address& a);

// The host of an http(s):// URL, brackets removed ("[::1]" → "::1"); empty if it has none.
std::string urlHost(const std::string& url);

class OutboundPolicy {
  public:
    // Non-public networks this account's callbacks may reach (e.g. 127.0.0.1 for an application
    // on the same machine). Throws std::invalid_argument for an entry that is not a network.
    void allow(const std::string& accountId, const std::vector<std::string>& networks);

    // nullopt when the account may connect to `a`; else a fixed description of why not
    // (the address's range, never the address).
    std::optional<std::string> refusal(const std::string& accountId,
                                       const boost::asio::ip::address& a) const;

    // For URLs whose host is an IP literal: the refusal, decided without any lookup (so the REST
    // API can answer 400 at once). nullopt for names (they are checked when resolved) and allowed
    // literals.
    std::optional<std::string> literalRefusal(const std::string& accountId,
                                              const std::string& url) const;

  private:
    std::map<std::string, std::vector<Network>> allowed_;
};

}  // namespace sb::voice
