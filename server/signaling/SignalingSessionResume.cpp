// SignalingSession: the end of a connection, and resuming a device (docs/protocol.md "Resuming a
// device"). The device's media stays attached while it is parked.
#include "protocol/Methods.hpp"
#include "server/auth/RandomId.hpp"
#include "server/auth/SecretCompare.hpp"
#include "server/base/Log.hpp"
#include "server/signaling/SignalingSession.hpp"
#include "server/state/KeptDevices.hpp"

namespace sb::signaling {

using nlohmann::json;

// A resumable device is parked when its WebSocket was lost (no closing handshake: RFC 6455
// §7.1.5), closed by the device with kCloseKeepForResume, or closed for its own resume; its media
// stays attached until it resumes or the grace period ends. Otherwise (any other close frame from
// the page, `leave`, a close by the server or by our limits) the device is released at once.
void SignalingSession::onClose() {
    auto registry = resumable_.lock();
    bool park = false;
    bool stillParked = false;
    ResumableDevices::Clock::time_point deadline;
    state::KeptDevice record;
    {
        std::lock_guard lock(mutex_);
        bool dropped = connection_ && (connection_->dropped() || connection_->peerCloseCode() ==
                                                                     protocol::kCloseKeepForResume);
        connection_.reset();
        // Claimed for a resume whose connection then failed before it opened: parked again as it
        // was, with the deadline it had and nothing told.
        stillParked = parked_;
        park = !stillParked && registry && registry->grace().count() > 0 &&
               !resumeDigest_.empty() && !left_ && !closedByServer_ &&
               (dropped || closingForResume_);
        closingForResume_ = false;
        if (park) {
            parked_ = true;
            parkDeadline_ = ResumableDevices::Clock::now() + registry->grace();
        }
        deadline = parkDeadline_;
        record = keptRecord(deviceId_, identity_, resumeDigest_, deadline);
    }
    if (stillParked) {
        if (registry) return registry->park(deviceId_, shared_from_this(), deadline, record);
        return release("the server is stopping");
    }
    if (!park) {
        if (registry) registry->remove(deviceId_);
        return finish();
    }
    base::log(base::LogLevel::Info, "device " + deviceId_ + " lost its connection: kept " +
                                        std::to_string(registry->grace().count()) +
                                        " s for a resume");
    reporter_.report(session::DeviceEvent::Disconnect);
    registry->park(deviceId_, shared_from_this(), deadline, record);
    // Closed by the server between the decision above and the park: released now.
    bool closed = false;
    {
        std::lock_guard lock(mutex_);
        closed = closedByServer_;
    }
    if (closed && registry->remove(deviceId_)) release("its participant or session was deleted");
}

void SignalingSession::finish(session::DeviceEvent event, const std::string& why) {
    base::log(base::LogLevel::Info, "device " + deviceId_ + " " + why);
    if (media_) media_->detachDevice(deviceId_);
    slot_.reset();
    reporter_.report(event);
    reporter_.gone();
}

// Another account's or participant's token learns nothing (Unknown, as for an id that does not
// exist); only the device's own participant is told that its secret is wrong.
ResumeCheck SignalingSession::resumeCheck(const DeviceIdentity& who,
                                          const std::string& secret) const {
    if (who.accountId != identity_.accountId || who.participantId != identity_.participantId)
        return ResumeCheck::Unknown;
    // Compared as digests: a restored device knows no more than that (state::KeptDevicesFile).
    auto digest = state::resumeSecretDigest(secret);
    std::lock_guard lock(mutex_);
    if (resumeDigest_.empty() || left_ || closedByServer_) return ResumeCheck::Unknown;
    if (!auth::sameSecret(digest, resumeDigest_)) return ResumeCheck::Mismatch;
    return parked_ ? ResumeCheck::Ok : ResumeCheck::Pending;
}

// setMediaPreferences' answer to `resumable` (docs/protocol.md "Resuming a device"): the device's
// id, its secret and the grace period; null when devices are never kept. Asking with false (or
// not asking) after true makes the device one that is released when its WebSocket is lost.
json SignalingSession::resumeOffer(bool wanted) {
    auto registry = resumable_.lock();
    if (!registry || registry->grace().count() <= 0) return nullptr;
    std::string secret;
    state::KeptDevice record;
    {
        std::lock_guard lock(mutex_);
        if (!wanted || resumeSecret_.empty()) resumeSecret_ = wanted ? auth::randomHex(16) : "";
        resumeDigest_ = resumeSecret_.empty() ? "" : state::resumeSecretDigest(resumeSecret_);
        secret = resumeSecret_;
        record = keptRecord(deviceId_, identity_, resumeDigest_, {});
    }
    if (!wanted) {
        registry->remove(deviceId_);
        return nullptr;
    }
    registry->add(deviceId_, weak_from_this(), record);
    return json{{"deviceId", deviceId_},
                {"resumeSecret", secret},
                {"graceSeconds", registry->grace().count()}};
}

void SignalingSession::closeForResume() {
    std::lock_guard lock(mutex_);
    closingForResume_ = true;
    if (connection_) connection_->close(4409, "resumed by a new connection");
}

// The device is back on a new WebSocket: a new secret (the old one travelled in the reconnect
// URL), then its ResumeFrames, all sent under the lock so that no newer offer from media can
// overtake them.
void SignalingSession::resumed() {
    auto registry = resumable_.lock();
    std::string secret = auth::randomHex(16);
    bool wasRestored = false;
    state::KeptDevice record;
    {
        std::lock_guard lock(mutex_);
        parked_ = false;
        wasRestored = std::exchange(restored_, false);
        // Closed by the server between this resume's check and now (its participant deleted):
        // the new connection gets the close the old one would have had.
        if (closedByServer_) {
            if (connection_) connection_->close(serverClose_.first, serverClose_.second);
            return;
        }
        resumeSecret_ = secret;
        resumeDigest_ = state::resumeSecretDigest(secret);
        record = keptRecord(deviceId_, identity_, resumeDigest_, {});
        if (connection_) {
            connection_->send(
                protocol::rpcNotification(protocol::method::kResumed,
                                          json{{"deviceId", deviceId_}, {"resumeSecret", secret}}));
            for (auto& frame : resumeFrames_.take()) connection_->send(std::move(frame));
        }
    }
    if (registry) registry->add(deviceId_, weak_from_this(), record);
    // Its legs went with the previous process: attached anew, and told `mediaReset` once Janus
    // is ready to take its re-offer (right after a restart it may not be yet).
    if (wasRestored && media_) {
        media_->attachDevice(deviceId_, identity_.accountId, identity_.participantId,
                             shared_from_this(), identity_.loopback);
        media_->mediaLost(deviceId_, "server-restarted");
    }
    base::log(base::LogLevel::Info,
              "device " + deviceId_ + " resumed: participant " + identity_.participantId);
    reporter_.report(session::DeviceEvent::Resume);
}

void SignalingSession::markRestored(const std::string& digest,
                                    std::chrono::steady_clock::time_point deadline) {
    std::lock_guard lock(mutex_);
    resumeDigest_ = digest;
    restored_ = opened_ = parked_ = true;  // its next connection is a resume
    parkDeadline_ = deadline;
}

void SignalingSession::release(const char* why) {
    {
        std::lock_guard lock(mutex_);
        if (!parked_) return;
        parked_ = false;
    }
    finish(session::DeviceEvent::Leave, std::string("released: ") + why);
}

}  // namespace sb::signaling
