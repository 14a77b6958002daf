#pragma once
// Runs the BXML of one answered (or, inbound, about-to-be-answered) call: the driver that
// VoiceService and the REST API talk to. It owns the VerbLoop (the documents, verb after verb,
// and the call's state while they run; see VerbLoop.hpp for Bandwidth's rules it follows) and
// one family of verbs per concern, which the loop hands their verbs to: IvrVerbs,
// RecordingVerbs, TransferVerbs, BridgeVerbs, ConferenceVerbs.
//
// The public methods may be called from any thread; the work runs on the VoiceExecutor.
// Whoever runs the flow (VoiceService) owns it until it ends; media callbacks and timers hold it
// weakly (the flow owns its media: a strong reference would be a cycle).

#include <memory>
#include <optional>
#include <string>

#include "server/voice/BridgeVerbs.hpp"
#include "server/voice/CallFlowHooks.hpp"
#include "server/voice/ConferenceVerbs.hpp"
#include "server/voice/IvrVerbs.hpp"
#include "server/voice/RecordingVerbs.hpp"
#include "server/voice/TransferVerbs.hpp"
#include "server/voice/VerbLoop.hpp"

namespace sb::voice {

class CallFlow : public std::enable_shared_from_this<CallFlow> {
  public:
    CallFlow(Call call, std::shared_ptr<CallMedia> media, CallbackClient& callbacks,
             VoiceExecutor& executor, Clock clock, CallFlowHooks hooks, int maxRedirectHops = 10);
    CallFlow(const CallFlow&) = delete;
    CallFlow& operator=(const CallFlow&) = delete;

    // Sends the answer callback (outbound) or the initiate callback (inbound) to call.answerUrl
    // and runs the BXML it returns.
    void start();
    // REST state=completed: hang up now (cause hangup).
    void hangup();
    // REST redirectUrl: abandon the current verb (stopping media, dropping a transfer) and run the
    // document returned by `url` for a redirect event.
    void redirect(std::string url, std::string method);
    // The same with Bandwidth's redirectFallbackUrl and credentials (UpdateCall's
    // username/password/fallbackUsername/fallbackPassword).
    void redirect(CallbackTarget target);
    // REST tag change: later events carry `tag` (nullopt = none).
    void retag(std::optional<std::string> tag);
    // PUT …/calls/{id}/bxml: abandon the current verb (as redirect does) and run `document`,
    // which the caller has validated with bxml::parse. Relative URLs in it resolve against the
    // URL of the last document fetched.
    void replace(std::string document);
    // The call ended elsewhere (BYE, SIP failure): stop without touching the media or reporting.
    void stop();

    bool finished() const { return loop_.finished(); }

    // Where recordings go and the base of their mediaUrl (publicBaseUrl). Call before start();
    // without it the recording verbs fail (recordingAvailable/recordComplete say why).
    void setRecordings(std::shared_ptr<RecordingStore> store, std::string publicBaseUrl) {
        recording_.setStore(std::move(store), std::move(publicBaseUrl));
    }
    // REST PUT …/calls/{id}/recording: pause or resume the <StartRecording> in progress (any
    // thread). False when none is.
    bool setRecordingPaused(bool paused) { return recording_.setPaused(paused); }
    // Where <Conference> finds its conferences (set before start()); unset: the verb is refused.
    void setConferences(std::shared_ptr<ConferenceService> conferences) {
        conference_.setService(std::move(conferences));
    }

  private:
    template <typename Fn>
    void onExecutor(Fn fn);

    // The loop first: the families hold it, and are destroyed before it.
    VerbLoop loop_;
    IvrVerbs ivr_;
    RecordingVerbs recording_;
    TransferVerbs transfer_;
    BridgeVerbs bridge_;
    ConferenceVerbs conference_;
};

}  // namespace sb::voice
