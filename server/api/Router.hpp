#pragma once
// Method + path-pattern routing ("/v1/accounts/{accountId}/sessions/{sessionId}") and the single
// place where thrown ApiErrors (and anything unexpected) become HTTP replies.

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "server/api/HttpTypes.hpp"

namespace sb::api {

class RequestContext;

using Handler = std::function<HttpResponse(RequestContext&)>;

struct RouteInfo {
    std::string method;
    std::string pattern;
    std::string operationId;
};

struct RoutedResponse {
    HttpResponse response;
    std::string route;  // the matched pattern, or "unmatched": a bounded label for metrics
};

class Router {
  public:
    void add(std::string method, std::string pattern, std::string operationId, Handler handler);
    RoutedResponse handle(const HttpRequest& request) const;
    std::vector<RouteInfo> routes() const;
    // Handles requests that match no route (static files); without one they get 404.
    void setFallback(Handler handler) { fallback_ = std::move(handler); }

  private:
    struct Route {
        RouteInfo info;
        std::vector<std::string> segments;  // "{name}" marks a parameter
        Handler handler;
    };
    static bool match(const Route& route, const std::vector<std::string_view>& parts,
                      std::vector<std::pair<std::string, std::string>>& params);
    std::vector<Route> routes_;
    Handler fallback_;
};

}  // namespace sb::api
