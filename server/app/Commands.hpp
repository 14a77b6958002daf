#pragma once
// The command-line tools of the switchboard binary besides running the server (main.cpp):
// --check-config FILE, --write-configs DIR, --print-firewall. Each prints its result on `out`,
// its problems on `err`, and returns the process's exit code.

#include <ostream>
#include <string>

#include "server/app/Config.hpp"

namespace sb::app {

// Every problem of the config FILE (JSON, keys, values, files it names); "FILE: ok" when none.
int checkConfig(const std::string& file, std::ostream& out, std::ostream& err);

// Writes janus.jcfg, janus.transport.websockets.jcfg and janus.plugin.videoroom.jcfg generated
// from `c` into `dir` (created if missing), with DIR/modules holding only the modules Janus may
// load, and the admin key file when the key is generated here.
int writeConfigs(const Config& c, const std::string& dir, std::ostream& out, std::ostream& err);

// The ports a firewall must let in for `c`: a plain table (as comments) and an nftables ruleset.
int printFirewall(const Config& c, std::ostream& out);

}  // namespace sb::app
