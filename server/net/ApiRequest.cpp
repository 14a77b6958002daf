#include "server/net/ApiRequest.hpp"

#include "server/api/Utf8.hpp"

namespace sb::net {

namespace http = boost::beast::http;

namespace {
std::string_view view(boost::beast::string_view s) {
    return {s.data(), s.size()};
}
}  // namespace

std::optional<api::ApiError> toApiRequest(const http::request<http::string_body>& req,
                                          api::HttpRequest& out) {
    out.method = std::string(req.method_string());
    std::string_view target = view(req.target());
    auto q = target.find('?');
    out.path = api::decodePercent(target.substr(0, q));
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
    if (!api::isValidUtf8(out.path)) return api::errors::invalidUtf8("path");
    if (!api::isValidUtf8(api::decodePercent(out.query)))
        return api::errors::invalidUtf8("query string");
    for (const auto& field : req) {
        // Header names are RFC 9110 tokens (ASCII), checked by the parser: safe to name.
        if (!api::isValidUtf8(view(field.value())))
            return api::errors::invalidUtf8("header " + std::string(field.name_string()));
    }
    if (!api::isValidUtf8(out.body)) return api::errors::invalidUtf8("body");
    return std::nullopt;
}

}  // namespace sb::net
