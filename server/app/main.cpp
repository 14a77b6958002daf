// switchboard: the call-control, signaling and SIP server. See README.md and docs/operations.md.

#include <cstdio>
#include <exception>
#include <iostream>

#include "server/app/Commands.hpp"
#include "server/app/Config.hpp"
#include "server/app/Server.hpp"
#include "server/app/TurnServerConf.hpp"

int main(int argc, char** argv) {
    try {
        sb::app::Command command;
        auto config = sb::app::parseCommandLine(argc, argv, command);
        using Kind = sb::app::Command::Kind;
        switch (command.kind) {
            case Kind::Help:
                std::fputs(sb::app::usage(), stdout);
                return 0;
            case Kind::CheckConfig:
                return sb::app::checkConfig(command.argument, std::cout, std::cerr);
            case Kind::WriteConfigs:
                return sb::app::writeConfigs(config, command.argument, std::cout, std::cerr);
            case Kind::PrintFirewall:
                return sb::app::printFirewall(config, std::cout);
            case Kind::PrintTurnserverConf:  // not in usage(): for tests/support/coturn.mjs
                std::fputs(sb::app::renderTurnserverConf(config).c_str(), stdout);
                return 0;
            case Kind::Run:
                break;
        }
        sb::app::Server server(std::move(config));
        return server.run();
    } catch (const std::exception& e) {
        std::fprintf(stderr, "switchboard: %s\n", e.what());
        return 2;
    }
}
