#include "server/signaling/SignalingRoutes.hpp"
#include "server/net/RequestContext.hpp"

namespace sb::signaling {

void addSignalingRoutes(net::Router& router, const DeviceGate& gate) {
    router.add("GET", "/v3", "checkDeviceToken", [&gate](net::RequestContext& ctx) {
        auto admission = gate.admit(ctx.request());
        if (!admission.device) return admission.refusal;
        auto r = net::HttpResponse::json(200, R"({"ok":true})");
        r.headers.emplace_back("Access-Control-Allow-Origin", "*");
        return r;
    });
}

}  // namespace sb::signaling
