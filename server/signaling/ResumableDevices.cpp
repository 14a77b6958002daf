#include "server/signaling/ResumableDevices.hpp"

#include <algorithm>

#include "server/signaling/SignalingSession.hpp"

namespace sb::signaling {

void ResumableDevices::add(const std::string& deviceId,
                           const std::weak_ptr<SignalingSession>& session,
                           const state::KeptDevice& record) {
    std::lock_guard lock(mutex_);
    devices_[deviceId] = Entry{session, nullptr, {}};
    if (file_) file_->put(record);
}

void ResumableDevices::park(const std::string& deviceId, std::shared_ptr<SignalingSession> session,
                            Clock::time_point deadline, const state::KeptDevice& record) {
    std::lock_guard lock(mutex_);
    devices_[deviceId] = Entry{{}, std::move(session), deadline};
    if (file_) file_->put(record);
}

std::shared_ptr<SignalingSession> ResumableDevices::remove(const std::string& deviceId) {
    std::lock_guard lock(mutex_);
    auto it = devices_.find(deviceId);
    if (it == devices_.end()) return nullptr;
    auto kept = std::move(it->second.kept);
    devices_.erase(it);
    forget(deviceId);
    return kept;
}

ResumeCheck ResumableDevices::checkLocked(const Entry& entry, const DeviceIdentity& who,
                                          const std::string& secret) const {
    if (entry.kept) return entry.kept->resumeCheck(who, secret);
    auto live = entry.live.lock();
    return live ? live->resumeCheck(who, secret) : ResumeCheck::Unknown;
}

ResumeCheck ResumableDevices::check(const std::string& deviceId, const DeviceIdentity& who,
                                    const std::string& secret) const {
    std::lock_guard lock(mutex_);
    auto it = devices_.find(deviceId);
    return it == devices_.end() ? ResumeCheck::Unknown : checkLocked(it->second, who, secret);
}

std::shared_ptr<SignalingSession> ResumableDevices::claim(const std::string& deviceId,
                                                          const DeviceIdentity& who,
                                                          const std::string& secret,
                                                          ResumeCheck& outcome) {
    std::shared_ptr<SignalingSession> live;
    {
        std::lock_guard lock(mutex_);
        auto it = devices_.find(deviceId);
        outcome =
            it == devices_.end() ? ResumeCheck::Unknown : checkLocked(it->second, who, secret);
        // A wrong secret leaves the device as it is: guessing cannot take it from its holder.
        if (outcome == ResumeCheck::Ok) {
            auto kept = std::move(it->second.kept);
            // Still in the file: resumed() or the park of a failed resume writes it again.
            devices_.erase(it);
            return kept;
        }
        if (outcome == ResumeCheck::Pending) live = it->second.live.lock();
    }
    // The device came back before its old connection was noticed gone (half-open TCP): that
    // connection is closed now, which parks the device for the retry.
    if (live) live->closeForResume();
    return nullptr;
}

std::vector<std::shared_ptr<SignalingSession>> ResumableDevices::expired(Clock::time_point now) {
    std::vector<std::shared_ptr<SignalingSession>> out;
    std::lock_guard lock(mutex_);
    for (auto it = devices_.begin(); it != devices_.end();) {
        if (it->second.kept && it->second.deadline <= now) {
            out.push_back(std::move(it->second.kept));
            forget(it->first);
            it = devices_.erase(it);
        } else {
            ++it;
        }
    }
    return out;
}

std::size_t ResumableDevices::parked() const {
    std::lock_guard lock(mutex_);
    std::size_t n = 0;
    for (const auto& [id, entry] : devices_) n += entry.kept ? 1 : 0;
    return n;
}

state::KeptDevice keptRecord(const std::string& deviceId, const DeviceIdentity& identity,
                             const std::string& digest,
                             std::chrono::steady_clock::time_point deadline) {
    state::EpochSeconds wall = 0;
    if (deadline != std::chrono::steady_clock::time_point{}) {
        auto left = std::chrono::duration_cast<std::chrono::seconds>(
            deadline - std::chrono::steady_clock::now());
        wall = std::chrono::duration_cast<std::chrono::seconds>(
                   std::chrono::system_clock::now().time_since_epoch())
                   .count() +
               std::max<state::EpochSeconds>(left.count(), 0) + 1;
    }
    return state::KeptDevice{deviceId, identity.accountId, identity.participantId, digest,
                             wall,     identity.loopback};
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
        return deviceRefusal(403, "resume_refused", "The resume secret does not match", requestId);
    if (check == ResumeCheck::Pending) {
        auto r = deviceRefusal(409, "resume_pending",
                               "The device's previous connection is being closed: resume again",
                               requestId);
        r.headers.emplace_back("Retry-After", "1");
        return r;
    }
    return deviceRefusal(
        410, "resume_expired",
        "The device cannot be resumed: its grace period is over or it was released", requestId);
}

}  // namespace sb::signaling
