#include "server/signaling/DeviceReporter.hpp"

namespace sb::signaling {

void DeviceReporter::report(session::DeviceEvent event) {
    if (!events_) return;
    if (event == session::DeviceEvent::Leave) {
        std::lock_guard lock(mutex_);
        if (std::exchange(leaveReported_, true)) return;
    }
    events_->deviceEvent(device_, event);
}

void DeviceReporter::gone() {
    if (events_) events_->deviceGone(device_);
}

}  // namespace sb::signaling
