#include "server/signaling/SignalingRoutes.hpp"
#include "server/net/RequestContext.hpp"

namespace sb::signaling {

void addSignalingRoutes(net::Router& router, const DeviceGate& gate,
                        const std::shared_ptr<const ResumableDevices>& resumable) {
    router.add("GET", "/v3", "checkDeviceToken", [&gate, resumable](net::RequestContext& ctx) {
        auto resume = resumeRequest(ctx.request());
        auto admission = gate.admit(ctx.request(), !resume);
        if (!admission.device) return admission.refusal;
        if (resume) {
            auto check = resumable
                             ? resumable->check(resume->deviceId, *admission.device, resume->secret)
                             : ResumeCheck::Unknown;
            if (check != ResumeCheck::Ok) return resumeRefusal(check, ctx.request().requestId);
        }
        auto r = net::HttpResponse::json(200, R"({"ok":true})");
        r.headers.emplace_back("Access-Control-Allow-Origin", "*");
        return r;
    });
}

}  // namespace sb::signaling
