#include "server/ops/OpsApi.hpp"

#include "server/api/RequestContext.hpp"

namespace sb::ops {

void addOpsRoutes(api::Router& router, const Metrics& metrics) {
    router.add("GET", "/healthz", "health", [](api::RequestContext&) {
        return api::HttpResponse::json(200, R"({"status":"ok"})");
    });
    router.add("GET", "/metrics", "metrics", [&metrics](api::RequestContext&) {
        api::HttpResponse r;
        r.contentType = "text/plain; version=0.0.4; charset=utf-8";
        r.body = metrics.render();
        return r;
    });
    router.add("GET", "/openapi.json", "openapi", [](api::RequestContext&) {
        return api::HttpResponse::json(200, std::string(kOpenApiDocument));
    });
}

}  // namespace sb::ops
