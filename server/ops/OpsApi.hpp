#pragma once
// Operational endpoints: /healthz, /metrics (Prometheus), /openapi.json (the REST API document).

#include <string_view>

#include "server/base/Metrics.hpp"
#include "server/net/Router.hpp"

namespace sb::ops {

extern const std::string_view kOpenApiDocument;

void addOpsRoutes(net::Router& router, const base::Metrics& metrics);

}  // namespace sb::ops
