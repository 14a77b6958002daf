// The Client's call-quality sampling (Client.hpp, CallQuality.hpp).
#include "wasm/core/Client.hpp"

namespace sb::sdk {

// The publishing connection's report, then the subscribing one's, then one sample. A sample still
// waiting when the next one starts is dropped: a connection closed meanwhile never answers.
void Client::sampleQuality() {
    int sample = ++qualitySample_;
    publisher_->getStats(
        [this, alive = token(), sample](const Error&, const std::string& publishing) {
            if (alive.expired() || sample != qualitySample_) return;
            subscriber_->getStats(
                [this, alive, sample, publishing](const Error&, const std::string& subscribing) {
                    if (alive.expired() || sample != qualitySample_) return;
                    EventQueue::Scope scope(events_);
                    QualityInput input;
                    // A report that cannot be read counts as empty.
                    input.publishing = Json::parse(publishing).value_or(Json());
                    input.subscribing = Json::parse(subscribing).value_or(Json());
                    publisher_->tracks(input.tracks);
                    input.expectedInboundAudio = registry_.tracks(input.tracks);
                    input.micEnabled = micEnabled_;
                    std::vector<CallQuality::Change> changes;
                    postQuality(QualityEvent::Stats, quality_.sample(input, changes).dump(), {});
                    for (const auto& c : changes)
                        postQuality(c.raised ? QualityEvent::Warning : QualityEvent::Cleared,
                                    toString(c.warning), c.raised ? c.details.dump() : "");
                });
        });
}

void Client::postQuality(QualityEvent event, std::string a, std::string b) {
    events_.post([this, event, a = std::move(a), b = std::move(b)]() {
        if (listener_.onQuality) listener_.onQuality(event, a, b);
    });
}

}  // namespace sb::sdk
