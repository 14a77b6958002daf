#pragma once
// Method + path-pattern routing ("/v1/accounts/{accountId}/sessions/{sessionId}") and the single
// place where thrown HttpErrors, the errors of lower layers (through the translator the REST layer
// gives) and anything unexpected become HTTP replies.

#include <exception>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "server/net/HttpError.hpp"
#include "server/net/HttpTypes.hpp"

namespace sb::net {

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

// The HttpError to answer for an exception a handler let through that is not an HttpError (the
// session rules' SessionError), or nullopt for "unexpected" (500). The transport does not know
// those types; the REST layer does (api/SessionErrorReply.hpp).
using ErrorTranslator = std::function<std::optional<HttpError>(const std::exception&)>;

class Router {
  public:
    explicit Router(ErrorTranslator translate = {}) : translate_(std::move(translate)) {}
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
    ErrorTranslator translate_;
};

}  // namespace sb::net
