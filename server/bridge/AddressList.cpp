#include "server/bridge/AddressList.hpp"

#include <stdexcept>

namespace sb::bridge {

namespace {

namespace ip = boost::asio::ip;

template <typename Bytes>
bool samePrefix(const Bytes& a, const Bytes& b, unsigned prefix) {
    for (std::size_t i = 0; i < a.size() && prefix > 0; ++i) {
        const unsigned bits = prefix >= 8 ? 8 : prefix;
        const auto mask = static_cast<unsigned char>(0xff << (8 - bits));
        if ((a[i] & mask) != (b[i] & mask)) return false;
        prefix -= bits;
    }
    return true;
}

}  // namespace

AddressList::AddressList(const std::vector<std::string>& entries) {
    for (const auto& entry : entries) {
        auto bad = [&entry] {
            return std::invalid_argument("\"" + entry +
                                         "\" is not an IP address or ADDRESS/PREFIX network");
        };
        const auto slash = entry.find('/');
        boost::system::error_code ec;
        Network n;
        n.base = ip::make_address(entry.substr(0, slash), ec);
        if (ec) throw bad();
        const unsigned width = n.base.is_v4() ? 32 : 128;
        n.prefix = width;
        if (slash != std::string::npos) {
            const std::string digits = entry.substr(slash + 1);
            if (digits.empty() || digits.size() > 3 ||
                digits.find_first_not_of("0123456789") != std::string::npos)
                throw bad();
            n.prefix = static_cast<unsigned>(std::stoul(digits));
            if (n.prefix > width) throw bad();
        }
        // An IPv4-mapped entry (::ffff:a.b.c.d) is its IPv4 address: contains() compares mapped
        // peers as IPv4, so kept as IPv6 the entry would never match anyone.
        if (n.base.is_v6() && n.base.to_v6().is_v4_mapped() && n.prefix >= 96) {
            n.base = ip::make_address_v4(ip::v4_mapped, n.base.to_v6());
            n.prefix -= 96;
        }
        networks_.push_back(n);
    }
}

bool AddressList::contains(const std::string& address) const {
    boost::system::error_code ec;
    auto a = ip::make_address(address, ec);
    return !ec && contains(a);
}

bool AddressList::contains(const ip::address& address) const {
    // An IPv4 peer seen on an IPv6 socket arrives as ::ffff:a.b.c.d.
    ip::address a = address;
    if (a.is_v6() && a.to_v6().is_v4_mapped()) a = ip::make_address_v4(ip::v4_mapped, a.to_v6());
    for (const auto& n : networks_) {
        if (n.base.is_v4() != a.is_v4()) continue;
        const bool match =
            a.is_v4() ? samePrefix(a.to_v4().to_bytes(), n.base.to_v4().to_bytes(), n.prefix)
                      : samePrefix(a.to_v6().to_bytes(), n.base.to_v6().to_bytes(), n.prefix);
        if (match) return true;
    }
    return false;
}

}  // namespace sb::bridge
