// switchboard: the call-control, signaling and SIP server. See README.md and docs/operations.md.

#include <algorithm>
#include <cstdio>
#include <exception>
#include <string_view>
#include <vector>

#include "server/app/Config.hpp"
#include "server/app/Server.hpp"
#include "server/app/TurnServerConf.hpp"

int main(int argc, char** argv) {
    try {
        // Not in usage(): prints the turnserver.conf of this config for tests/support/coturn.mjs.
        std::vector<char*> args(argv, argv + argc);
        auto printTurn = std::find_if(args.begin(), args.end(), [](const char* a) {
            return std::string_view(a) == "--print-turnserver-conf";
        });
        bool printTurnConf = printTurn != args.end();
        if (printTurnConf) args.erase(printTurn);
        bool help = false;
        auto config = sb::app::parseCommandLine(static_cast<int>(args.size()), args.data(), help);
        if (help) {
            std::fputs(sb::app::usage(), stdout);
            return 0;
        }
        if (printTurnConf) {
            std::fputs(sb::app::renderTurnserverConf(config).c_str(), stdout);
            return 0;
        }
        sb::app::Server server(std::move(config));
        return server.run();
    } catch (const std::exception& e) {
        std::fprintf(stderr, "switchboard: %s\n", e.what());
        return 2;
    }
}
