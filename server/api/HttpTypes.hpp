#pragma once
// Transport-neutral HTTP request and response, so handlers never include Beast.

#include <string>
#include <utility>
#include <vector>

namespace sb::api {

struct HttpRequest {
    std::string method;  // "GET", "POST", …
    std::string path;    // decoded path without the query
    std::string query;   // raw query string without '?'
    std::string authorization;
    std::string contentType;
    std::string body;
    std::string requestId;
    // The peer's IP address ("127.0.0.1", "::1"), for per-address limits and throttling.
    std::string remoteAddress;
    // The peer is this machine: a loopback address, or the address the connection arrived on.
    bool fromThisHost = false;
};

struct HttpResponse {
    int status = 200;
    std::string body;
    std::string contentType = "application/json";
    std::vector<std::pair<std::string, std::string>> headers;

    static HttpResponse json(int status, std::string body) {
        HttpResponse r;
        r.status = status;
        r.body = std::move(body);
        return r;
    }
    static HttpResponse noContent() {
        HttpResponse r;
        r.status = 204;
        r.contentType.clear();
        return r;
    }
};

}  // namespace sb::api
