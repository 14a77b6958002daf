// switchboard: the call-control, signaling and SIP server. See README.md and docs/operations.md.

#include <cstdio>
#include <exception>

#include "server/app/Config.hpp"
#include "server/app/Server.hpp"

int main(int argc, char** argv) {
    try {
        bool help = false;
        auto config = sb::app::parseCommandLine(argc, argv, help);
        if (help) {
            std::fputs(sb::app::usage(), stdout);
            return 0;
        }
        sb::app::Server server(std::move(config));
        return server.run();
    } catch (const std::exception& e) {
        std::fprintf(stderr, "switchboard: %s\n", e.what());
        return 2;
    }
}
