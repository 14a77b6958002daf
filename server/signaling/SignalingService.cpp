#include "server/signaling/SignalingService.hpp"

#include "server/auth/RandomId.hpp"
#include "server/net/HttpError.hpp"
#include "server/signaling/SignalingSession.hpp"

namespace sb::signaling {

namespace {
bool isDevicePath(const std::string& path) {
    return path == "/v3" || path == "/v3/";
}
}  // namespace

net::UpgradeHandler makeUpgradeHandler(const DeviceGate& gate,
                                       const std::shared_ptr<media::MediaOrchestrator>& media,
                                       SessionLimits limits,
                                       const std::shared_ptr<const auth::TurnCredentials>& turn,
                                       const std::shared_ptr<session::DeviceEventSink>& events,
                                       const std::shared_ptr<ResumableDevices>& resumable) {
    return [&gate, media, limits, turn, events, resumable](const net::HttpRequest& request) {
        net::UpgradeDecision decision;
        if (!isDevicePath(request.path)) {
            decision.refusal =
                net::errorResponse(net::errors::routeNotFound(request.path), request.requestId);
            return decision;
        }
        // A resume (docs/protocol.md "Resuming a device") needs a valid token but no new place
        // under the caps: the device it resumes kept its own.
        auto resume = resumeRequest(request);
        auto admission = gate.admit(request, !resume);
        if (!admission.device) {
            decision.refusal = std::move(admission.refusal);
            return decision;
        }
        if (resume) {
            ResumeCheck outcome = ResumeCheck::Unknown;
            auto parked = resumable ? resumable->claim(resume->deviceId, *admission.device,
                                                       resume->secret, outcome)
                                    : nullptr;
            if (parked)
                decision.handler = std::move(parked);  // the parked session takes this connection
            else
                decision.refusal = resumeRefusal(outcome, request.requestId);
            return decision;
        }
        decision.handler = std::make_shared<SignalingSession>(
            auth::randomUuid(), std::move(*admission.device), media, std::move(admission.slot),
            limits, turn, events, resumable);
        return decision;
    };
}

}  // namespace sb::signaling
