#include <string>
#include <vector>

#include "server/app/Commands.hpp"

// switchboard --print-firewall: the inbound ports the configuration listens on, for whoever
// writes the firewall. The output is an nftables file as a whole (the table is in comments).

namespace sb::app {

namespace {

struct Opening {
    std::string proto, ports, what;
};

bool isLoopback(const std::string& host) {
    return host.rfind("127.", 0) == 0 || host == "::1" || host == "localhost";
}

std::string hostOf(const std::string& hostPort) {
    auto host = hostPort.substr(0, hostPort.rfind(':'));
    if (host.size() > 2 && host.front() == '[') host = host.substr(1, host.size() - 2);
    return host;
}

std::string range(unsigned lo, unsigned hi) {
    return std::to_string(lo) + "-" + std::to_string(hi);
}

std::vector<Opening> openings(const Config& c, std::vector<std::string>& closed) {
    std::vector<Opening> open;
    if (isLoopback(c.httpAddress))
        closed.push_back("http " + c.httpAddress + ":" + std::to_string(c.httpPort) +
                         ": listens on loopback only");
    else
        open.push_back({"tcp", std::to_string(c.httpPort), "HTTP(S) and WebSocket (http)"});
    if (c.tls && c.tls->redirectHttp) {
        const auto redirect = parseHostPort(*c.tls->redirectHttp, "tls.redirectHttp");
        if (isLoopback(redirect.host))
            closed.push_back("HTTP redirect " + *c.tls->redirectHttp +
                             ": listens on loopback only");
        else
            open.push_back({"tcp", std::to_string(redirect.port),
                            "HTTP redirect to HTTPS (tls.redirectHttp)"});
    }
    if (c.sipListen) {
        const auto port = c.sipListen->substr(c.sipListen->rfind(':') + 1);
        if (isLoopback(hostOf(*c.sipListen))) {
            closed.push_back("SIP " + *c.sipListen + ": listens on loopback only");
        } else {
            open.push_back({"udp", port, "SIP (sipListen)"});
            if (c.sipTcp) open.push_back({"tcp", port, "SIP over TCP (sipListen, sipTcp)"});
            open.push_back({"udp", range(c.rtpPortMin, c.rtpPortMax),
                            "RTP of phone calls (rtpPortMin-rtpPortMax)"});
        }
    }
    if (c.janusUrl)
        open.push_back({"udp", range(c.mediaPortMin, c.mediaPortMax),
                        "Janus ICE/RTP media of browsers (mediaPorts)"});
    if (c.turn && !isLoopback(c.turn->listenAddress)) {
        const auto port = std::to_string(c.turn->listenPort);
        open.push_back({"udp", port, "TURN (turn.listen)"});
        open.push_back({"tcp", port, "TURN over TCP, for networks that block UDP (turn.listen)"});
        open.push_back({"udp", range(c.turn->relayPortMin, c.turn->relayPortMax),
                        "TURN relayed media (turn.relayPorts)"});
    } else if (c.turn) {
        closed.push_back("TURN " + c.turn->listenAddress + ":" +
                         std::to_string(c.turn->listenPort) + ": listens on loopback only");
    }
    if (c.janusUrl)
        closed.push_back("Janus WebSocket API " + *c.janusUrl +
                         ": only switchboard talks to it (keep it on loopback)");
    if (c.adminHttp)
        closed.push_back("admin listener " + *c.adminHttp +
                         " (/metrics): for this machine or a monitoring network only");
    return open;
}

}  // namespace

int printFirewall(const Config& c, std::ostream& out) {
    std::vector<std::string> closed;
    const auto open = openings(c, closed);
    out << "# The inbound ports switchboard's configuration needs (switchboard --print-firewall).\n"
           "#\n#   proto  port(s)        what\n";
    for (const auto& o : open) {
        std::string proto = o.proto, ports = o.ports;
        proto.resize(7, ' ');
        ports.resize(15, ' ');
        out << "#   " << proto << ports << o.what << "\n";
    }
    out << "#\n# Not to open:\n";
    for (const auto& c2 : closed) out << "#   " << c2 << "\n";
    out << "#\n"
           "# As nftables (nft -f FILE): a complete input policy for a machine that runs only\n"
           "# Switchboard. It keeps SSH on port 22 open: change that line if yours differs. On a\n"
           "# machine with a ruleset of its own, copy the \"dport\" lines into its input chain\n"
           "# instead: an accept in one table does not override a drop in another.\n"
           "table inet switchboard {\n"
           "\tchain input {\n"
           "\t\ttype filter hook input priority filter; policy drop;\n"
           "\t\tct state established,related accept\n"
           "\t\tct state invalid drop\n"
           "\t\tiif \"lo\" accept\n"
           "\t\tmeta l4proto { icmp, ipv6-icmp } accept\n"
           "\t\ttcp dport 22 accept comment \"ssh\"\n";
    for (const auto& o : open)
        out << "\t\t" << o.proto << " dport " << o.ports << " accept comment \"" << o.what
            << "\"\n";
    out << "\t}\n}\n";
    return 0;
}

}  // namespace sb::app
