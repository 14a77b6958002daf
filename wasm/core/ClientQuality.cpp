// The Client's call-quality sampling (Client.hpp, CallQuality.hpp).
#include "wasm/core/Client.hpp"

namespace sb::sdk {

// The publishing connection's report, then the subscribing one's, then one sample. A sample still
// waiting when the next one starts is dropped: a connection closed meanwhile never answers.
void Client::sampleQuality() {
    ++qualitySample_;
    publisher_->getStats(qualityReportDone(false));
}

// One callback type for both reports (size, bench/size/); `subscribing` tells which. A report
// that cannot be read (empty on an error) counts as empty (CallQuality::sample).
Fn<void(const Error&, const std::string&)> Client::qualityReportDone(bool subscribing) {
    return [this, alive = token(), sample = qualitySample_, subscribing](const Error&,
                                                                         const std::string& json) {
        if (alive.expired() || sample != qualitySample_) return;
        EventQueue::Scope scope(events_);
        onQualityReport(json, subscribing);
    };
}

void Client::onQualityReport(const std::string& json, bool subscribing) {
    if (!subscribing) {
        qualityReport_ = json;
        return subscriber_->getStats(qualityReportDone(true));
    }
    QualityInput input;
    publisher_->tracks(input.tracks);
    input.expectedInboundAudio = registry_.tracks(input.tracks);
    input.micEnabled = micEnabled_;
    events_.postText(&listener_.onCallStats, quality_.sample(qualityReport_, json, input).dump());
    for (int i = 0; i < kQualityWarnings; ++i) {
        auto warning = static_cast<QualityWarning>(i);
        if (int change = quality_.change(warning))
            events_.postText(
                change > 0 ? &listener_.onQualityWarning : &listener_.onQualityWarningCleared,
                change > 0 ? quality_.details(warning) : toString(warning));
    }
}

}  // namespace sb::sdk
