#include "server/ops/OpsApi.hpp"

#include "server/net/RequestContext.hpp"

namespace sb::ops {

void addOpsRoutes(net::Router& router, const base::Metrics& metrics) {
    router.add("GET", "/healthz", "health", [](net::RequestContext&) {
        return net::HttpResponse::json(200, R"({"status":"ok"})");
    });
    router.add("GET", "/metrics", "metrics", [&metrics](net::RequestContext&) {
        net::HttpResponse r;
        r.contentType = "text/plain; version=0.0.4; charset=utf-8";
        r.body = metrics.render();
        return r;
    });
    router.add("GET", "/openapi.json", "openapi", [](net::RequestContext&) {
        return net::HttpResponse::json(200, std::string(kOpenApiDocument));
    });
}

}  // namespace sb::ops
