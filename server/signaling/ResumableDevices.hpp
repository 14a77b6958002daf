#pragma once
// The devices that may resume (docs/protocol.md "Resuming a device"): those that asked, while
// connected (held weakly), and those whose WebSocket was lost, parked here (held) until the device
// reconnects with its resume secret or the grace period ends. A parked session keeps its place
// under the device caps, so the devices parked at once are bounded by
// maxDevicesPerParticipant/maxDevicesPerAccount. Thread-safe; it calls into a session under its
// own lock (lock order: this, then the session), and a session never calls it under the session's.

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "server/net/HttpTypes.hpp"
#include "server/signaling/DeviceGate.hpp"
#include "server/state/KeptDevices.hpp"

namespace sb::signaling {

class SignalingSession;

enum class ResumeCheck {
    Ok,        // parked, and the token and secret are the device's: it resumes
    Pending,   // still connected (the server has not seen the loss yet): that connection is being
               // closed and the device parked; try again shortly
    Unknown,   // no such device may resume (never asked, released, another participant's)
    Mismatch,  // the device's participant, but a wrong secret
};

class ResumableDevices {
  public:
    using Clock = std::chrono::steady_clock;
    // 0: no device is ever kept (a lost WebSocket releases its device at once, as before).
    explicit ResumableDevices(std::chrono::seconds grace) : grace_(grace) {}
    std::chrono::seconds grace() const { return grace_; }
    // From now on every change is written to `file` too (docs/protocol.md "Resuming across a
    // restart"); `record` below is what is written. Set once, before devices connect.
    void persistTo(std::shared_ptr<state::KeptDevicesFile> file) { file_ = std::move(file); }

    // A connected device that may resume (it asked, or it just resumed).
    void add(const std::string& deviceId, const std::weak_ptr<SignalingSession>& session,
             const state::KeptDevice& record);
    // Its WebSocket is lost (or the previous process lost it): kept until `deadline`.
    void park(const std::string& deviceId, std::shared_ptr<SignalingSession> session,
              Clock::time_point deadline, const state::KeptDevice& record);
    // No longer resumable. Returns the session if it was parked (the caller releases it).
    std::shared_ptr<SignalingSession> remove(const std::string& deviceId);

    // What a resume by `who` with `secret` would get, changing nothing.
    ResumeCheck check(const std::string& deviceId, const DeviceIdentity& who,
                      const std::string& secret) const;
    // The same, acted on: Ok unparks and returns the session (the new connection's handler);
    // Pending closes the device's current connection so that it is parked. Null unless Ok.
    std::shared_ptr<SignalingSession> claim(const std::string& deviceId, const DeviceIdentity& who,
                                            const std::string& secret, ResumeCheck& outcome);
    // Unparks and returns the sessions whose grace period is over.
    std::vector<std::shared_ptr<SignalingSession>> expired(Clock::time_point now);
    std::size_t parked() const;

  private:
    struct Entry {
        std::weak_ptr<SignalingSession> live;    // connected
        std::shared_ptr<SignalingSession> kept;  // parked
        Clock::time_point deadline{};
    };
    ResumeCheck checkLocked(const Entry& entry, const DeviceIdentity& who,
                            const std::string& secret) const;

    void forget(const std::string& deviceId) {
        if (file_) file_->erase(deviceId);
    }

    std::chrono::seconds grace_;
    std::shared_ptr<state::KeptDevicesFile> file_;  // null: nothing survives a restart
    mutable std::mutex mutex_;
    std::unordered_map<std::string, Entry> devices_;
};

// What the registry writes to disk for a device whose resume secret has `digest`, parked until
// `deadline` (a steady time, turned into the wall-clock time it stands for; {}: connected).
state::KeptDevice keptRecord(const std::string& deviceId, const DeviceIdentity& identity,
                             const std::string& digest,
                             std::chrono::steady_clock::time_point deadline);

// What a reconnecting device asks for in its /v3/ query: resumeDevice (the deviceId it was given)
// and resumeSecret. Nullopt when it does not ask to resume.
struct ResumeRequest {
    std::string deviceId;
    std::string secret;
};
std::optional<ResumeRequest> resumeRequest(const net::HttpRequest& request);
// The refusal of a resume whose check is not Ok, with the body of every device refusal
// (deviceRefusal): 409 resume_pending (with Retry-After), 410 resume_expired, 403 resume_refused.
net::HttpResponse resumeRefusal(ResumeCheck check, const std::string& requestId);

}  // namespace sb::signaling
