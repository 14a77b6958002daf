#include "server/ops/OpsApi.hpp"

#include "server/net/RequestContext.hpp"

namespace sb::ops {

namespace {
void addHealth(net::Router& router) {
    router.add("GET", "/healthz", "health", [](net::RequestContext&) {
        return net::HttpResponse::json(200, R"({"status":"ok"})");
    });
}
}  // namespace

void addOpsRoutes(net::Router& router) {
    addHealth(router);
    router.add("GET", "/openapi.json", "openapi", [](net::RequestContext&) {
        return net::HttpResponse::json(200, std::string(kOpenApiDocument));
    });
}

void addAdminRoutes(net::Router& router, const base::Metrics& metrics) {
    addHealth(router);
    router.add("GET", "/metrics", "metrics", [&metrics](net::RequestContext&) {
        net::HttpResponse r;
        r.contentType = "text/plain; version=0.0.4; charset=utf-8";
        r.body = metrics.render();
        return r;
    });
}

}  // namespace sb::ops
