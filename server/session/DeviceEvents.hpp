#pragma once
// What happens to a device's signaling connection, told to whoever reports it to the application
// (participant webhooks, reference §4.5). Signaling tells it from its network threads, so an
// implementation is thread-safe and never blocks.

#include <string>

namespace sb::session {

enum class DeviceEvent {
    Connect,     // the signaling connection is established
    Leave,       // it is being removed by the client (`leave`) or the server (participant or
                 // session deleted); a Disconnect follows
    Disconnect,  // it is gone, for whatever reason (a resumable device is then kept for its
                 // grace period: Resume or, once that is over, Leave follows)
    Resume,      // a kept device reconnected within its grace period and carries on
};

struct DeviceRef {
    std::string accountId;
    std::string participantId;
    std::string deviceId;
};

class DeviceEventSink {
  public:
    virtual ~DeviceEventSink() = default;
    virtual void deviceEvent(const DeviceRef& device, DeviceEvent event) = 0;
    // No more events will come for this device (released: after its last Disconnect, or the Leave
    // that ends its grace period).
    virtual void deviceGone(const DeviceRef& device) = 0;
    // A device kept by the previous process, restored at start (docs/protocol.md "Resuming across
    // a restart"): its events come again from here (Resume, or Leave when its grace period ends).
    // `wasConnected`: its connection was lost with the process (not yet told as Disconnect).
    virtual void deviceRestored(const DeviceRef& device, bool wasConnected) {
        (void)device;
        (void)wasConnected;
    }
};

}  // namespace sb::session
