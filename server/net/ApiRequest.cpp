#include "server/net/ApiRequest.hpp"

#include "server/base/Utf8.hpp"

namespace sb::net {

namespace http = boost::beast::http;

namespace {
std::string_view view(boost::beast::string_view s) {
    return {s.data(), s.size()};
}
}  // namespace

std::optional<net::HttpError> toApiRequest(const http::request<http::string_body>& req,
                                           net::HttpRequest& out) {
    out.method = std::string(req.method_string());
    std::string_view target = view(req.target());
    auto q = target.find('?');
    out.path = base::decodePercent(target.substr(0, q));
    if (q != std::string_view::npos) out.query = std::string(target.substr(q + 1));
    if (auto it = req.find(http::field::authorization); it != req.end())
        out.authorization = std::string(it->value());
    if (auto it = req.find(http::field::content_type); it != req.end())
        out.contentType = std::string(it->value());
    if (auto it = req.find(http::field::range); it != req.end())
        out.range = std::string(it->value());
    out.body = req.body();

    // Everything handlers read as text must be UTF-8, or JSON cannot carry it: refused here, once,
    // instead of in every handler. The offending bytes are not quoted back.
    if (!base::isValidUtf8(out.path)) return net::errors::invalidUtf8("path");
    if (!base::isValidUtf8(base::decodePercent(out.query)))
        return net::errors::invalidUtf8("query string");
    for (const auto& field : req) {
        // Header names are RFC 9110 tokens (ASCII), checked by the parser: safe to name.
        if (!base::isValidUtf8(view(field.value())))
            return net::errors::invalidUtf8("header " + std::string(field.name_string()));
    }
    if (!base::isValidUtf8(out.body)) return net::errors::invalidUtf8("body");
    return std::nullopt;
}

}  // namespace sb::net
