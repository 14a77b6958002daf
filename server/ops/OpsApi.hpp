#pragma once
// Operational endpoints: /healthz, /metrics (Prometheus), /openapi.json (the REST API document).

#include <string_view>

#include "server/api/Router.hpp"
#include "server/ops/Metrics.hpp"

namespace sb::ops {

extern const std::string_view kOpenApiDocument;

void addOpsRoutes(api::Router& router, const Metrics& metrics);

}  // namespace sb::ops
