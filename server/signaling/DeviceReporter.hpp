#pragma once
// One device's events to the application (participant webhooks, reference §4.5): Leave at most
// once, whoever asks first (the device leaving, a server action, the end of its grace period).
// Thread-safe: the signaling connection and the media strand both report.

#include <memory>
#include <mutex>
#include <utility>

#include "server/session/DeviceEvents.hpp"

namespace sb::signaling {

class DeviceReporter {
  public:
    // `events` null: nobody is told.
    DeviceReporter(session::DeviceRef device, std::shared_ptr<session::DeviceEventSink> events)
        : device_(std::move(device)), events_(std::move(events)) {}

    void report(session::DeviceEvent event);
    // No more events will come for this device.
    void gone();

  private:
    session::DeviceRef device_;
    std::shared_ptr<session::DeviceEventSink> events_;
    std::mutex mutex_;
    bool leaveReported_ = false;  // guarded by mutex_
};

}  // namespace sb::signaling
