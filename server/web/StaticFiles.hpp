#pragma once
// Serves files under a directory for GET/HEAD requests no route claimed: the demo page and the
// browser SDK (issue 3). Paths are confined to the directory; no listings, no dot-files.

#include <string>

#include "server/net/Router.hpp"

namespace sb::web {

// `root` is a directory; "/" serves `index`. Returns a handler for Router::setFallback.
net::Handler staticFiles(std::string root, std::string index = "index.html");

// The Content-Type for a file name, by extension.
std::string contentTypeFor(const std::string& path);

}  // namespace sb::web
