#include "server/signaling/SignalingRoutes.hpp"
#include "server/api/RequestContext.hpp"

namespace sb::signaling {

void addSignalingRoutes(api::Router& router, const DeviceGate& gate) {
    router.add("GET", "/v3", "checkDeviceToken", [&gate](api::RequestContext& ctx) {
        auto admission = gate.admit(ctx.request());
        if (!admission.device) return admission.refusal;
        auto r = api::HttpResponse::json(200, R"({"ok":true})");
        r.headers.emplace_back("Access-Control-Allow-Origin", "*");
        return r;
    });
}

}  // namespace sb::signaling
