#include "server/signaling/RestoredDevices.hpp"

#include <chrono>

#include "server/base/Log.hpp"

namespace sb::signaling {

// The grace period counts from the restart, for a device that was connected when the process
// died as for one already parked: neither could resume while no server listened, and either is
// then kept at most one grace period after the server is back. A device whose persisted deadline
// had passed before the restart was due to be released already and is not restored.
std::size_t restoreKeptDevices(const std::string& path, const RestoreParts& parts) {
    auto kept = state::KeptDevicesFile::load(path);
    auto& registry = *parts.resumable;
    auto file = std::make_shared<state::KeptDevicesFile>(path);
    registry.persistTo(file);
    if (registry.grace().count() <= 0) {
        file->rewrite();  // without them
        return 0;
    }
    auto nowWall = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
    auto deadline = ResumableDevices::Clock::now() + registry.grace();
    std::size_t restored = 0;
    for (auto d : kept) {
        if (d.deadline != 0 && d.deadline < nowWall) continue;
        if (parts.active && !parts.active(d.accountId, d.participantId)) continue;
        auto slot = parts.gate.reserve(d.accountId, d.participantId);
        if (!slot) continue;  // the caps are full (they were lowered): it cannot come back
        bool wasConnected = d.deadline == 0;  // not parked when the process died
        DeviceIdentity identity;
        identity.accountId = d.accountId;
        identity.participantId = d.participantId;
        identity.loopback = d.loopback;
        auto session = std::make_shared<SignalingSession>(
            d.deviceId, std::move(identity), parts.media, std::move(slot), parts.limits, parts.turn,
            parts.events, parts.resumable);
        session->markRestored(d.secretDigest, deadline);
        d.deadline = nowWall + registry.grace().count();
        registry.park(d.deviceId, std::move(session), deadline, d);
        if (parts.events)
            parts.events->deviceRestored({d.accountId, d.participantId, d.deviceId}, wasConnected);
        ++restored;
    }
    // What was not restored must not come back at the restart after this one.
    if (restored != kept.size()) file->rewrite();
    base::log(base::LogLevel::Info, "kept devices: " + std::to_string(restored) + " of " +
                                        std::to_string(kept.size()) +
                                        " restored from the previous process");
    return restored;
}

void releaseExpiredDevices(ResumableDevices& resumable) {
    for (auto& device : resumable.expired(ResumableDevices::Clock::now())) {
        try {
            device->release();
        } catch (const std::exception& e) {  // one failure must not keep the others
            base::log(base::LogLevel::Error, std::string("releasing a device: ") + e.what());
        }
    }
}

}  // namespace sb::signaling
