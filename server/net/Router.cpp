#include "server/net/Router.hpp"

#include <exception>
#include <iostream>

#include "server/base/Log.hpp"
#include "server/net/HttpError.hpp"
#include "server/net/RequestContext.hpp"

namespace sb::net {

namespace {
std::vector<std::string_view> splitPath(std::string_view path) {
    std::vector<std::string_view> parts;
    std::size_t i = 0;
    while (i < path.size()) {
        if (path[i] == '/') {
            ++i;
            continue;
        }
        auto j = path.find('/', i);
        if (j == std::string_view::npos) j = path.size();
        parts.push_back(path.substr(i, j - i));
        i = j;
    }
    return parts;
}

bool isParam(const std::string& seg) {
    return seg.size() > 2 && seg.front() == '{' && seg.back() == '}';
}
}  // namespace

void Router::add(std::string method, std::string pattern, std::string operationId,
                 Handler handler) {
    Route r;
    for (auto part : splitPath(pattern)) r.segments.emplace_back(part);
    r.info = RouteInfo{std::move(method), std::move(pattern), std::move(operationId)};
    r.handler = std::move(handler);
    routes_.push_back(std::move(r));
}

bool Router::match(const Route& route, const std::vector<std::string_view>& parts,
                   std::vector<std::pair<std::string, std::string>>& params) {
    if (route.segments.size() != parts.size()) return false;
    params.clear();
    for (std::size_t i = 0; i < parts.size(); ++i) {
        const auto& seg = route.segments[i];
        if (isParam(seg)) {
            if (parts[i].empty()) return false;
            params.emplace_back(seg.substr(1, seg.size() - 2), std::string(parts[i]));
        } else if (seg != parts[i]) {
            return false;
        }
    }
    return true;
}

RoutedResponse Router::handle(const HttpRequest& request) const {
    RoutedResponse out{{}, "unmatched"};
    try {
        auto parts = splitPath(request.path);
        std::vector<std::pair<std::string, std::string>> params;
        std::string allow;
        for (const auto& route : routes_) {
            if (!match(route, parts, params)) continue;
            out.route = route.info.pattern;
            bool sameMethod = route.info.method == request.method ||
                              (request.method == "HEAD" && route.info.method == "GET");
            if (!sameMethod) {
                allow += (allow.empty() ? "" : ", ") + route.info.method;
                continue;
            }
            RequestContext ctx(request, std::move(params));
            out.response = route.handler(ctx);
            return out;
        }
        if (!allow.empty()) throw errors::methodNotAllowed(request.method, allow);
        if (fallback_) {
            out.route = "static";
            RequestContext ctx(request, {});
            out.response = fallback_(ctx);
            return out;
        }
        throw errors::routeNotFound(request.path);
    } catch (const HttpError& e) {
        out.response = errorResponse(e, request.requestId);
    } catch (const std::exception& e) {
        if (auto known = translate_ ? translate_(e) : std::nullopt) {
            out.response = errorResponse(*known, request.requestId);
            return out;
        }
        base::log(base::LogLevel::Error, "req=" + request.requestId + " unhandled: " + e.what());
        out.response = errorResponse(errors::internal(), request.requestId);
    } catch (...) {
        base::log(base::LogLevel::Error,
                  "req=" + request.requestId + " unhandled non-standard exception");
        out.response = errorResponse(errors::internal(), request.requestId);
    }
    return out;
}

std::vector<RouteInfo> Router::routes() const {
    std::vector<RouteInfo> out;
    for (const auto& r : routes_) out.push_back(r.info);
    return out;
}

}  // namespace sb::net
