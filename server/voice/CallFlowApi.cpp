// CallFlow members for the REST API's updateCallBxml (PUT /api/v2/accounts/{a}/calls/{c}/bxml).
#include "server/base/Log.hpp"
#include "server/voice/CallFlow.hpp"

namespace sb::voice {

void CallFlow::replace(std::string document) {
    executor_.post([self = shared_from_this(), document = std::move(document)] {
        CallFlow& f = *self;
        if (f.finished_) return;
        std::vector<bxml::Verb> verbs;
        try {
            verbs = bxml::parse(document);
        } catch (const bxml::BxmlError& e) {
            // VoiceApi validated it already; kept so that this member is safe on its own.
            return f.finish(cause::kInvalidBxml,
                            bxml::withoutContent(e.what()) + " (from updateCallBxml)", true);
        }
        // Bandwidth: "Interrupts and replaces an active call's BXML document" — whatever runs now
        // (playback, a transfer's B-legs, a pending callback) is superseded.
        if (f.mediaBusy_) f.media_->stop();
        f.mediaBusy_ = false;
        ++f.step_;
        f.redirectHops_ = 0;  // the application asked for it: a new chain
        f.verbs_ = std::move(verbs);
        f.next_ = 0;
        base::log(base::LogLevel::Debug,
                  "voice: call " + f.call_.callId + " runs a document from updateCallBxml");
        f.next();
    });
}

}  // namespace sb::voice
