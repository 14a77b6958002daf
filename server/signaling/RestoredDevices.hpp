#pragma once
// Resuming across a restart (docs/protocol.md "Resuming across a restart"): the resumable devices
// the previous process wrote to disk come back as parked devices with no media legs, and every
// change of the registry is written again for the next restart.

#include <functional>
#include <memory>
#include <string>

#include "server/signaling/SignalingSession.hpp"
#include "server/state/KeptDevices.hpp"

namespace sb::signaling {

struct RestoreParts {
    const DeviceGate& gate;
    std::shared_ptr<media::MediaOrchestrator> media;
    SessionLimits limits;
    std::shared_ptr<const auth::TurnCredentials> turn;
    std::shared_ptr<session::DeviceEventSink> events;
    std::shared_ptr<ResumableDevices> resumable;
    // Whether the participant still exists (a device of a deleted one is not restored).
    std::function<bool(const std::string& accountId, const std::string& participantId)> active;
};

// Loads `path`, parks each device still resumable for a full grace period from now, then makes
// the registry write to `path` from now on. Returns the number of devices restored.
std::size_t restoreKeptDevices(const std::string& path, const RestoreParts& parts);

// Releases the kept devices whose grace period is over (called every second).
void releaseExpiredDevices(ResumableDevices& resumable);

}  // namespace sb::signaling
