#pragma once
// A list of IP addresses and networks ("192.0.2.10", "198.51.100.0/24", "2001:db8::/32"): who
// may deliver calls to the inbound voice numbers (config sipTrunkAddresses). Matching compares
// bytes under the prefix mask; no name resolution, no regexes.

#include <boost/asio/ip/address.hpp>

#include <string>
#include <vector>

namespace sb::bridge {

class AddressList {
  public:
    AddressList() = default;
    // Throws std::invalid_argument naming the entry that is not an address or network.
    explicit AddressList(const std::vector<std::string>& entries);

    // False for text that is not an IP address (e.g. "" when the source is unknown).
    bool contains(const std::string& address) const;
    bool contains(const boost::asio::ip::address& address) const;
    bool empty() const { return networks_.empty(); }

  private:
    struct Network {
        boost::asio::ip::address base;
        unsigned prefix = 0;
    };
    std::vector<Network> networks_;
};

}  // namespace sb::bridge
