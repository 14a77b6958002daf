// The Client's call-quality sampling (Client.hpp, CallQuality.hpp).
#include "wasm/core/Client.hpp"

namespace sb::sdk {

// The publishing connection's report, then the subscribing one's, then one sample. A sample still
// waiting when the next one starts is dropped: a connection closed meanwhile never answers.
void Client::sampleQuality() {
    ++qualitySample_;
    qualityReport_.clear();
    publisher_->getStats(qualityReportDone());
}

// One callback type for both reports (size, bench/size/); an empty report is "[]".
Fn<void(const Error&, const std::string&)> Client::qualityReportDone() {
    return [this, alive = token(), sample = qualitySample_](const Error&, const std::string& json) {
        if (alive.expired() || sample != qualitySample_) return;
        EventQueue::Scope scope(events_);
        onQualityReport(json.empty() ? "[]" : json);
    };
}

void Client::onQualityReport(const std::string& json) {
    if (qualityReport_.empty()) {
        qualityReport_ = json;
        return subscriber_->getStats(qualityReportDone());
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
