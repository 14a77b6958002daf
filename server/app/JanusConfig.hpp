#pragma once
// The Janus configuration generated from switchboard's (switchboard --write-configs DIR): the
// templates of config/janus/, compiled in, filled by the same rule as scripts/janus.mjs.

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "server/app/Config.hpp"

namespace sb::app {

using TemplateValues = std::map<std::string, std::string, std::less<>>;

// The templates compiled into the binary, by file name (janus.jcfg, ...), in writing order.
struct JanusTemplate {
    std::string_view name, text;
};
const std::vector<JanusTemplate>& janusTemplates();

// Replaces every @NAME@ of `text` by values[NAME] (an unknown NAME throws, naming `file`). A line
// that is not a comment and whose placeholders all render empty is commented out: Janus treats
// `interface = ""` differently from an absent option. Values holding '"', '\' or a line break
// are refused: they would end the quoted string they are written into.
std::string fillTemplate(std::string_view file, std::string_view text,
                         const TemplateValues& values);

// Where Janus listens for switchboard: janusUrl's host (an IP literal; "localhost" is
// 127.0.0.1) and port (8188 when absent). Throws naming janusUrl.
struct JanusListen {
    std::string ip;
    std::uint16_t port = 8188;
};
JanusListen janusListen(const std::string& janusUrl);

// How Janus advertises itself for `publicAddress` (a DNS name is resolved now, to IPv4): an
// address of this machine goes to `interface` (the SDP address: the host candidates carry it
// already); any other address is a 1:1 NAT mapping (nat_1_1_mapping, private host hidden).
struct JanusAddressing {
    std::string localIp, natMapping;
};
JanusAddressing janusAddressing(const Config& c);
// An IPv4 literal as it is, a DNS name resolved to its first IPv4 address; throws naming
// publicAddress when it cannot be resolved.
std::string publicIpv4(const std::string& publicAddress);

// The admin key Janus and switchboard share: janusAdminKey, else the janusAdminKeyFile's
// content; empty when neither is set. Throws when the file cannot be read.
std::string configuredAdminKey(const Config& c);

}  // namespace sb::app
