#pragma once
// Turns a request Beast parsed into the transport-neutral net::HttpRequest, refusing text that is
// not UTF-8 (docs/security.md). One function, so the server and the HTTP fuzz target
// (tests/fuzz) run the same conversion and checks.

#include <boost/beast/http.hpp>
#include <optional>

#include "server/net/HttpError.hpp"
#include "server/net/HttpTypes.hpp"

namespace sb::net {

// Fills method, path (percent-decoded), query (raw), authorization, contentType and body of `out`
// (requestId and the peer are the caller's). Returns the 400 to answer when the decoded path, the
// decoded query, a header value or the body is not valid UTF-8.
std::optional<net::HttpError> toApiRequest(
    const boost::beast::http::request<boost::beast::http::string_body>& req, net::HttpRequest& out);

}  // namespace sb::net
