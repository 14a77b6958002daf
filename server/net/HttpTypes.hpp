#pragma once
// Transport-neutral HTTP request and response, so handlers never include Beast.

#include <unistd.h>

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace sb::net {

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
    std::string range;  // the Range header (RFC 9110 §14.2), for downloads
};

// A response body read from an open file as the client takes it, in bounded chunks (recording
// downloads): `length` bytes from `offset`. The descriptor closes with the last owner, so a
// client that goes away mid-download leaves nothing open.
struct FileBody {
    FileBody(int descriptor, std::uint64_t from, std::uint64_t bytes)
        : fd(descriptor), offset(from), length(bytes) {}
    ~FileBody() {
        if (fd >= 0) ::close(fd);
    }
    FileBody(const FileBody&) = delete;
    FileBody& operator=(const FileBody&) = delete;
    int fd;
    std::uint64_t offset, length;
};

struct HttpResponse {
    int status = 200;
    std::string body;
    std::string contentType = "application/json";
    std::vector<std::pair<std::string, std::string>> headers;
    std::shared_ptr<FileBody>
        file;  // when set, the body (Content-Length: file->length); `body` is unused

    static HttpResponse json(int status, std::string body) {
        HttpResponse r;
        r.status = status;
        r.body = std::move(body);
        return r;
    }
    // A reply without a body (and without Content-Type), e.g. Bandwidth's 200 to updateCall.
    static HttpResponse empty(int status) {
        HttpResponse r;
        r.status = status;
        r.contentType.clear();
        return r;
    }
    static HttpResponse noContent() { return empty(204); }
};

}  // namespace sb::net
