#include "server/net/RequestContext.hpp"

#include <stdexcept>

namespace sb::net {

const std::string& RequestContext::param(const std::string& name) const {
    for (const auto& [k, v] : params_)
        if (k == name) return v;
    throw std::logic_error("route has no parameter " + name);
}

}  // namespace sb::net
