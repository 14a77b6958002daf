#include "server/signaling/ResumableDevices.hpp"

#include "server/signaling/DeviceGate.hpp"

namespace sb::signaling {

void ResumableDevices::park(const std::string& deviceId, std::shared_ptr<SignalingSession> session,
                            Clock::time_point now) {
    std::lock_guard lock(mutex_);
    parked_[deviceId] = Parked{std::move(session), now + grace_};
}

ResumeCheck ResumableDevices::check(const std::string& deviceId, const Accept& accept) const {
    std::lock_guard lock(mutex_);
    auto it = parked_.find(deviceId);
    if (it == parked_.end()) return ResumeCheck::Unknown;
    return accept(*it->second.session) ? ResumeCheck::Ok : ResumeCheck::Mismatch;
}

std::shared_ptr<SignalingSession> ResumableDevices::claim(const std::string& deviceId,
                                                          const Accept& accept,
                                                          ResumeCheck& outcome) {
    std::lock_guard lock(mutex_);
    auto it = parked_.find(deviceId);
    if (it == parked_.end()) {
        outcome = ResumeCheck::Unknown;
        return nullptr;
    }
    // A wrong secret leaves the device parked: guessing cannot take a device away from the one
    // that holds the secret.
    if (!accept(*it->second.session)) {
        outcome = ResumeCheck::Mismatch;
        return nullptr;
    }
    outcome = ResumeCheck::Ok;
    auto session = std::move(it->second.session);
    parked_.erase(it);
    return session;
}

std::shared_ptr<SignalingSession> ResumableDevices::remove(const std::string& deviceId) {
    std::lock_guard lock(mutex_);
    auto it = parked_.find(deviceId);
    if (it == parked_.end()) return nullptr;
    auto session = std::move(it->second.session);
    parked_.erase(it);
    return session;
}

std::vector<std::shared_ptr<SignalingSession>> ResumableDevices::expired(Clock::time_point now) {
    std::vector<std::shared_ptr<SignalingSession>> out;
    std::lock_guard lock(mutex_);
    for (auto it = parked_.begin(); it != parked_.end();) {
        if (it->second.deadline <= now) {
            out.push_back(std::move(it->second.session));
            it = parked_.erase(it);
        } else {
            ++it;
        }
    }
    return out;
}

std::size_t ResumableDevices::parked() const {
    std::lock_guard lock(mutex_);
    return parked_.size();
}

std::optional<ResumeRequest> resumeRequest(const net::HttpRequest& request) {
    auto deviceId = queryParam(request.query, "resumeDevice");
    if (!deviceId) return std::nullopt;
    // Both are ours (a UUID, 32 hex digits): anything longer cannot match and is not kept.
    auto secret = queryParam(request.query, "resumeSecret").value_or("");
    if (deviceId->size() > 64) deviceId->clear();
    if (secret.size() > 64) secret.clear();
    return ResumeRequest{std::move(*deviceId), std::move(secret)};
}

net::HttpResponse resumeRefusal(ResumeCheck check, const std::string& requestId) {
    if (check == ResumeCheck::Mismatch)
        return deviceRefusal(403, "resume_refused",
                             "The device cannot be resumed with this token and secret", requestId);
    return deviceRefusal(
        410, "resume_expired",
        "The device cannot be resumed: its grace period is over or it was released", requestId);
}

}  // namespace sb::signaling
