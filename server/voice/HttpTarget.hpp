#pragma once
// The parts of a callback or audio URL the HTTP client connects with (HttpCallbackClient).

#include <optional>
#include <string>

namespace sb::voice {

struct HttpTarget {
    bool tls = false;  // https://
    std::string host;
    std::string port = "80";
    std::string hostHeader;
    std::string path = "/";
};

// http[s]://host[:port][/path][?query] (no credentials in the URL, fragment dropped); nullopt with
// `why` set otherwise.
std::optional<HttpTarget> parseHttpUrl(const std::string& url, std::string& why);

}  // namespace sb::voice
