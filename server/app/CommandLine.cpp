// The command line: flags over the config file, and the commands besides running the server.

#include <stdexcept>
#include <string>
#include <vector>

#include "server/app/Config.hpp"
#include "server/app/ConfigJson.hpp"

namespace sb::app {

const char* usage() {
    return "usage: switchboard [--config FILE] [--http ADDR:PORT] [--data-dir DIR]\n"
           "                   [--store sqlite|memory] [--threads N] [--log-level LEVEL]\n"
           "  --config FILE     JSON configuration (see config/switchboard.example.json)\n"
           "  --http ADDR:PORT  HTTP/WebSocket listen address (port 0 picks a free port)\n"
           "  --data-dir DIR    where the SQLite database and generated token secret live\n"
           "  --janus URL       Janus WebSocket API, e.g. ws://127.0.0.1:8188\n"
           "  --sip ADDR:PORT   SIP interconnect (UDP and TCP); port 0 picks a free port\n"
           "  --janus-admin-key KEY  the VideoRoom admin_key Janus was started with\n"
           "  --check-config FILE    list every problem of FILE; exit 0 if there is none\n"
           "  --write-configs DIR    write the Janus configs generated from the configuration\n"
           "  --print-firewall       print the ports to open (nftables ruleset and a table)\n";
}

Config parseCommandLine(int argc, char** argv, Command& command) {
    command = Command{};
    Config c;
    std::vector<std::string> args(argv + 1, argv + argc);
    // --check-config reports every problem of FILE itself: nothing else is loaded.
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (args[i] != "--check-config") continue;
        if (args.size() != 2 || i != 0)
            throw std::runtime_error("--check-config takes one FILE and nothing else\n" +
                                     std::string(usage()));
        command = {Command::Kind::CheckConfig, args[1]};
        return c;
    }
    for (std::size_t i = 0; i < args.size(); ++i)
        if (args[i] == "--config" && i + 1 < args.size()) c = loadConfigFile(args[i + 1], c);
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        auto value = [&]() -> const std::string& {
            if (i + 1 >= args.size()) throw std::runtime_error(a + " needs a value\n" + usage());
            return args[++i];
        };
        if (a == "-h" || a == "--help")
            command.kind = Command::Kind::Help;
        else if (a == "--write-configs")
            command = {Command::Kind::WriteConfigs, value()};
        else if (a == "--print-turnserver-conf")  // not in usage(): for tests/support/coturn.mjs
            command = {Command::Kind::PrintTurnserverConf, ""};
        else if (a == "--print-firewall")
            command = {Command::Kind::PrintFirewall, ""};
        else if (a == "--config")
            value();
        else if (a == "--http")
            config_json::setHttp(value(), c, "--http");
        else if (a == "--data-dir")
            c.dataDir = value();
        else if (a == "--store")
            c.store = value();
        else if (a == "--log-level")
            c.logLevel = value();
        else if (a == "--janus")
            c.janusUrl = value();
        else if (a == "--sip")
            c.sipListen = value();
        else if (a == "--janus-admin-key")
            c.janusAdminKey = value();
        else if (a == "--threads")
            c.threads = static_cast<unsigned>(std::stoul(value()));
        else
            throw std::runtime_error("unknown argument " + a + "\n" + usage());
    }
    std::vector<std::string> problems;
    completeConfig(c, problems);  // again: a flag may have changed what the defaults come from
    validateConfig(c, problems);
    if (!problems.empty()) config_json::refuse(problems, "");
    return c;
}

}  // namespace sb::app
