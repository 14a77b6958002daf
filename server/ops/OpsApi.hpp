#pragma once
// Operational endpoints. The public listener: /healthz, /openapi.json (the REST API document).
// The admin listener (adminHttp, loopback by default): /healthz, /metrics (Prometheus), which
// say more about the server's load and callers than the public should see.

#include <string_view>

#include "server/base/Metrics.hpp"
#include "server/net/Router.hpp"

namespace sb::ops {

extern const std::string_view kOpenApiDocument;

void addOpsRoutes(net::Router& router);
void addAdminRoutes(net::Router& router, const base::Metrics& metrics);

}  // namespace sb::ops
