#pragma once
// What a handler sees: the request, its path parameters, and helpers that throw HttpError.

#include <string>
#include <utility>
#include <vector>

#include "server/net/HttpTypes.hpp"

namespace sb::net {

class RequestContext {
  public:
    RequestContext(const HttpRequest& request,
                   std::vector<std::pair<std::string, std::string>> params)
        : request_(request), params_(std::move(params)) {}

    const HttpRequest& request() const { return request_; }
    // The value of path parameter `name`; the router guarantees it exists for the matched route.
    const std::string& param(const std::string& name) const;

  private:
    const HttpRequest& request_;
    std::vector<std::pair<std::string, std::string>> params_;
};

}  // namespace sb::net
