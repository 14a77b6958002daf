#include "server/voice/OutboundPolicy.hpp"

#include <array>
#include <cstdint>
#include <stdexcept>

namespace sb::voice {

namespace ip = boost::asio::ip;

namespace {

// The first `prefix` bits of two equally long byte arrays are equal.
template <std::size_t N>
bool samePrefix(const std::array<unsigned char, N>& a, const std::array<unsigned char, N>& b,
                unsigned prefix) {
    for (std::size_t i = 0; i < N && prefix > 0; ++i) {
        unsigned bits = prefix >= 8 ? 8 : prefix;
        auto mask = static_cast<unsigned char>(0xFFu << (8 - bits));
        if ((a[i] & mask) != (b[i] & mask)) return false;
        prefix -= bits;
    }
    return true;
}

struct Range {
    const char* cidr;
    const char* why;
};

// Checked in order: the first match names the reason. RFC 6890 (special-purpose registries).
const Range kV4Ranges[] = {
    {"169.254.169.254/32", "cloud metadata"},  // AWS, GCP, Azure, OpenStack…
    {"100.100.100.200/32", "cloud metadata"},  // Alibaba Cloud
    {"0.0.0.0/8", "unspecified"},              // RFC 1122 §3.2.1.3 "this network"
    {"127.0.0.0/8", "loopback"},               // RFC 1122
    {"10.0.0.0/8", "private"},                 // RFC 1918
    {"172.16.0.0/12", "private"},              // RFC 1918
    {"192.168.0.0/16", "private"},             // RFC 1918
    {"100.64.0.0/10", "shared (CGNAT)"},       // RFC 6598
    {"169.254.0.0/16", "link-local"},          // RFC 3927
    {"192.0.0.0/24", "reserved"},              // RFC 6890 IETF protocol assignments
    {"198.18.0.0/15", "reserved"},             // RFC 2544 benchmarking
    {"224.0.0.0/4", "multicast"},              // RFC 5771
    {"240.0.0.0/4", "reserved"},               // RFC 1112 (and 255.255.255.255 broadcast)
};

const Range kV6Ranges[] = {
    {"fd00:ec2::254/128", "cloud metadata"},  // AWS IMDS over IPv6
    {"::/128", "unspecified"},                // RFC 4291 §2.5.2
    {"::1/128", "loopback"},                  // RFC 4291 §2.5.3
    {"fc00::/7", "private"},                  // RFC 4193 unique local
    {"fe80::/10", "link-local"},              // RFC 4291 §2.5.6
    {"fec0::/10", "private"},                 // RFC 3879 deprecated site-local
    {"ff00::/8", "multicast"},                // RFC 4291 §2.7
    {"100::/64", "reserved"},                 // RFC 6666 discard-only
};

const std::vector<std::pair<Network, const char*>>& table() {
    static const auto t = [] {
        std::vector<std::pair<Network, const char*>> out;
        for (const auto& r : kV4Ranges) out.emplace_back(parseNetwork(r.cidr), r.why);
        for (const auto& r : kV6Ranges) out.emplace_back(parseNetwork(r.cidr), r.why);
        return out;
    }();
    return t;
}

// The IPv4 address an IPv6 address carries, for the forms that reach it: IPv4-mapped
// (RFC 4291 §2.5.5.2), IPv4-compatible (§2.5.5.1, deprecated but still routed by some stacks)
// and the NAT64 well-known prefix 64:ff9b::/96 (RFC 6052).
std::optional<ip::address_v4> embeddedV4(const ip::address_v6& a) {
    if (a.is_v4_mapped()) return ip::make_address_v4(ip::v4_mapped, a);
    auto b = a.to_bytes();
    static const ip::address_v6 nat64 = ip::make_address_v6("64:ff9b::");
    bool compat = true;
    for (int i = 0; i < 12; ++i) compat = compat && b[static_cast<std::size_t>(i)] == 0;
    bool isNat64 = samePrefix(b, nat64.to_bytes(), 96);
    // ::/96 also holds :: and ::1 themselves, which the IPv6 table names.
    bool tiny = compat && b[12] == 0 && b[13] == 0 && b[14] == 0;
    if ((compat && !tiny) || isNat64) return ip::address_v4({b[12], b[13], b[14], b[15]});
    return std::nullopt;
}

}  // namespace

bool Network::contains(const ip::address& a) const {
    if (a.is_v4() != base.is_v4()) return false;
    if (a.is_v4()) return samePrefix(a.to_v4().to_bytes(), base.to_v4().to_bytes(), prefix);
    return samePrefix(a.to_v6().to_bytes(), base.to_v6().to_bytes(), prefix);
}

Network parseNetwork(const std::string& text) {
    auto slash = text.find('/');
    std::string addr = text.substr(0, slash);
    if (addr.size() > 2 && addr.front() == '[' && addr.back() == ']')
        addr = addr.substr(1, addr.size() - 2);
    boost::system::error_code ec;
    Network n;
    n.base = ip::make_address(addr, ec);
    if (ec) throw std::invalid_argument("\"" + text + "\" is not an IP address or CIDR block");
    unsigned max = n.base.is_v4() ? 32 : 128;
    n.prefix = max;
    if (slash != std::string::npos) {
        auto bits = text.substr(slash + 1);
        if (bits.empty() || bits.size() > 3 ||
            bits.find_first_not_of("0123456789") != std::string::npos || std::stoul(bits) > max)
            throw std::invalid_argument("\"" + text + "\" has a bad prefix length (0.." +
                                        std::to_string(max) + ")");
        n.prefix = static_cast<unsigned>(std::stoul(bits));
    }
    return n;
}

std::optional<std::string> nonPublicRange(const ip::address& a) {
    if (a.is_v6()) {
        if (auto v4 = embeddedV4(a.to_v6())) return nonPublicRange(ip::address(*v4));
    }
    for (const auto& [net, why] : table())
        if (net.contains(a)) return std::string(why);
    return std::nullopt;
}

std::string urlHost(const std::string& url) {
    auto scheme = url.find("://");
    if (scheme == std::string::npos) return {};
    auto rest = url.substr(scheme + 3);
    auto authority = rest.substr(0, rest.find_first_of("/?#"));
    auto at = authority.rfind('@');
    if (at != std::string::npos) authority = authority.substr(at + 1);
    if (!authority.empty() && authority.front() == '[') {
        auto close = authority.find(']');
        return close == std::string::npos ? std::string{} : authority.substr(1, close - 1);
    }
    return authority.substr(0, authority.rfind(':'));
}

void OutboundPolicy::allow(const std::string& accountId, const std::vector<std::string>& networks) {
    std::vector<Network> parsed;
    parsed.reserve(networks.size());
    for (const auto& n : networks) parsed.push_back(parseNetwork(n));
    allowed_[accountId] = std::move(parsed);
}

std::optional<std::string> OutboundPolicy::refusal(const std::string& accountId,
                                                   const ip::address& a) const {
    auto range = nonPublicRange(a);
    if (!range) return std::nullopt;
    auto it = allowed_.find(accountId);
    if (it != allowed_.end()) {
        // An IPv4-mapped address matches an allowed IPv4 network too: it is the same host.
        auto v4 = a.is_v6() && a.to_v6().is_v4_mapped()
                      ? std::optional<ip::address>(ip::make_address_v4(ip::v4_mapped, a.to_v6()))
                      : std::nullopt;
        for (const auto& net : it->second)
            if (net.contains(a) || (v4 && net.contains(*v4))) return std::nullopt;
    }
    return "a " + *range +
           " address, which this account may not reach (accounts[].allowedCallbackNetworks)";
}

std::optional<std::string> OutboundPolicy::literalRefusal(const std::string& accountId,
                                                          const std::string& url) const {
    boost::system::error_code ec;
    auto a = ip::make_address(urlHost(url), ec);
    if (ec) return std::nullopt;
    return refusal(accountId, a);
}

}  // namespace sb::voice
