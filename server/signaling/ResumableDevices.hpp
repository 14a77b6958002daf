#pragma once
// Devices whose WebSocket was lost but whose state is kept for a grace period so that they can
// resume (docs/protocol.md "Resuming a device"): their SignalingSession, still attached to media,
// parked here until the device reconnects with its resume secret or the grace period ends.
// A parked session keeps its place under the device caps, so the devices parked at once are
// bounded by maxDevicesPerParticipant/maxDevicesPerAccount. Thread-safe.

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "server/net/HttpTypes.hpp"

namespace sb::signaling {

class SignalingSession;

enum class ResumeCheck {
    Ok,
    Unknown,   // no device parked under that id: never resumable, released, or already resumed
    Mismatch,  // parked, but another participant's token or a wrong secret
};

class ResumableDevices {
  public:
    using Clock = std::chrono::steady_clock;
    // 0: no device is ever kept (a lost WebSocket releases its device at once, as before).
    explicit ResumableDevices(std::chrono::seconds grace) : grace_(grace) {}
    std::chrono::seconds grace() const { return grace_; }

    void park(const std::string& deviceId, std::shared_ptr<SignalingSession> session,
              Clock::time_point now);
    using Accept = std::function<bool(const SignalingSession&)>;
    // Whether the parked device `deviceId` would be resumed by a caller that `accept` accepts.
    ResumeCheck check(const std::string& deviceId, const Accept& accept) const;
    // The same check; on Ok the session is unparked and returned (null otherwise).
    std::shared_ptr<SignalingSession> claim(const std::string& deviceId, const Accept& accept,
                                            ResumeCheck& outcome);
    // Unparks `deviceId` (released for another reason: deleted participant). Null if absent.
    std::shared_ptr<SignalingSession> remove(const std::string& deviceId);
    // Unparks and returns the sessions whose grace period is over.
    std::vector<std::shared_ptr<SignalingSession>> expired(Clock::time_point now);
    std::size_t parked() const;

  private:
    struct Parked {
        std::shared_ptr<SignalingSession> session;
        Clock::time_point deadline;
    };
    std::chrono::seconds grace_;
    mutable std::mutex mutex_;
    std::unordered_map<std::string, Parked> parked_;
};

// What a reconnecting device asks for in its /v3/ query: resumeDevice (the deviceId it was given)
// and resumeSecret. Nullopt when it does not ask to resume.
struct ResumeRequest {
    std::string deviceId;
    std::string secret;
};
std::optional<ResumeRequest> resumeRequest(const net::HttpRequest& request);
// The refusal of a resume whose check is not Ok: 410 resume_expired (Unknown) or 403
// resume_refused (Mismatch), with the body of every device refusal (deviceRefusal).
net::HttpResponse resumeRefusal(ResumeCheck check, const std::string& requestId);

}  // namespace sb::signaling
