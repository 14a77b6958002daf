#pragma once
// Wires the server together from a Config: store, tokens, call control, routes, HTTP listener.

#include <memory>

#include "server/app/Config.hpp"

namespace sb::app {

class Server {
  public:
    explicit Server(Config config);
    ~Server();
    // Serves until SIGTERM/SIGINT; returns the process exit code.
    int run();

  private:
    struct Parts;
    Config config_;
    std::unique_ptr<Parts> parts_;
};

}  // namespace sb::app
