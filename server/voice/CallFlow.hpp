#pragma once
// Executes BXML for one answered (or, inbound, about-to-be-answered) call, as Bandwidth's Voice
// platform does: POST the answer/initiate callback, run the verbs of the returned document in
// order, follow <Redirect>s and transferCompleteUrl documents, and hang up at the end of the
// document. A callback that fails or returns invalid BXML ends the call, and the disconnect
// callback says why (cause callback-error / invalid-bxml + errorMessage). errorMessage never
// quotes what the application's server sent (only fixed texts, verb names and the URL), since
// the call's owner reads it back through GET /calls.
//
// <Redirect> chains are bounded: more than `maxRedirectHops` <Redirect>s in a row without the
// call spending time (PlayAudio, SendDtmf, Transfer, or a Pause/Ring of at least a second) end
// the call with cause application-error — a document redirecting to itself would otherwise
// fetch callbacks as fast as the network allows, forever.
//
// Media callbacks and timers hold the flow weakly (the flow owns its media: a strong reference
// would be a cycle); whoever runs the flow (VoiceService) owns it until it ends.
//
// All work runs on the VoiceExecutor; the public methods may be called from any thread. Each
// asynchronous step carries the flow's step number: a completion that arrives after the flow
// moved on (REST redirect or hangup, remote hangup) is ignored.

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "server/voice/Bxml.hpp"
#include "server/voice/Call.hpp"
#include "server/voice/CallMedia.hpp"
#include "server/voice/CallbackClient.hpp"
#include "server/voice/CallbackTarget.hpp"
#include "server/voice/RecordingStore.hpp"
#include "server/voice/VoiceExecutor.hpp"

namespace sb::voice {

class CallFlow;
class ConferenceService;  // conf (Conferences.hpp)

struct CallFlowHooks {
    // Inbound calls: the flow answered the call (before its first verb).
    std::function<void()> answered;
    // A verb set or cleared the tag (nullopt = cleared).
    std::function<void(const std::optional<std::string>& tag)> tagChanged;
    // The flow ended the call (it has already hung up the media). Called at most once, never
    // after stop().
    std::function<void(const std::string& cause, const std::string& errorMessage)> ended;
    // rooms: the running flow of another call of the same account (nullptr if none): <Bridge>'s
    // target.
    std::function<std::shared_ptr<CallFlow>(const std::string& callId)> flowOf;
};

class CallFlow : public std::enable_shared_from_this<CallFlow> {
  public:
    CallFlow(Call call, std::shared_ptr<CallMedia> media, CallbackClient& callbacks,
             VoiceExecutor& executor, Clock clock, CallFlowHooks hooks, int maxRedirectHops = 10);

    // Sends the answer callback (outbound) or the initiate callback (inbound) to call.answerUrl
    // and runs the BXML it returns.
    void start();
    // REST state=completed: hang up now (cause hangup).
    void hangup();
    // REST redirectUrl: abandon the current verb (stopping media, dropping a transfer) and run the
    // document returned by `url` for a redirect event.
    void redirect(std::string url, std::string method);
    // --- callbacks (issue 9): the same with Bandwidth's redirectFallbackUrl and credentials
    // (UpdateCall's username/password/fallbackUsername/fallbackPassword).
    void redirect(CallbackTarget target);
    // --- end callbacks
    // REST tag change: later events carry `tag` (nullopt = none).
    void retag(std::optional<std::string> tag);
    // The call ended elsewhere (BYE, SIP failure): stop without touching the media or reporting.
    void stop();

    bool finished() const { return finished_.load(); }

    // api (CallFlowApi.cpp)
    // PUT …/calls/{id}/bxml: abandon the current verb (as redirect does) and run `document`,
    // which the caller has validated with bxml::parse. Relative URLs in it resolve against the
    // URL of the last document fetched.
    void replace(std::string document);

    // record (issue 9): CallFlowRecording.cpp
    // Where recordings go and the base of their mediaUrl (publicBaseUrl). Call before start();
    // without it the recording verbs fail (recordingAvailable/recordComplete say why).
    void setRecordings(std::shared_ptr<RecordingStore> store, std::string publicBaseUrl);
    // REST PUT …/calls/{id}/recording: pause or resume the <StartRecording> in progress (any
    // thread). False when none is.
    bool setRecordingPaused(bool paused);

  private:
    struct RecordingContext;
    bool executeRecording(const bxml::Verb& verb);  // false: not a recording verb
    void record(const bxml::Record& verb);
    void startRecording(const bxml::StartRecording& verb);
    // Reserves storage and persists the new recording; nullptr (and ctx->meta says why) when
    // refused.
    std::shared_ptr<RecordingContext> newRecording(const bxml::RecordingCallbacks& callbacks,
                                                   int channels, double maxSeconds,
                                                   RecordingSpec& spec);
    std::shared_ptr<RecordingStore> recordings_;
    std::string recordingsBaseUrl_;
    std::atomic<std::uint64_t> callRecording_{0};  // the <StartRecording> in progress; 0: none

    // conf (issue 9): CallFlowConference.cpp
  public:
    // Where <Conference> finds its conferences (set before start()); unset: the verb is refused.
    void setConferences(std::shared_ptr<ConferenceService> conferences) {
        conferences_ = std::move(conferences);
    }
    // REST updateConferenceMember: what the member's call sends to and hears from the room (any
    // thread).
    void conferenceAudio(bool mute, bool hold);
    // REST updateConference status=completed: leave the conference and go on after <Conference>
    // (any thread).
    void leaveConference(const std::string& conferenceId);

  private:
    void conference(const bxml::Conference& verb);
    std::shared_ptr<ConferenceService> conferences_;
    std::string conferenceId_;  // the conference this call is in (or joining); empty: none

  private:
    struct TransferContext;

    template <typename Fn>
    void onExecutor(Fn fn);
    // What a reply without verbs (blank, or an empty <Response/>) does: end the call, as at the
    // end of any document (answer, redirect, transferComplete, bridgeComplete), or continue with
    // the verb after the one that sent the event (Bandwidth's gather and recordComplete).
    enum class Reply { Document, MayContinue };
    // Every callback whose reply is BXML goes out here (through sendCallback: credentials,
    // fallback URL, callbackTimeout), whatever sent it: the call, a REST redirect, or a verb.
    // `target`'s URLs are absolute (resolveTarget).
    void fetch(const CallbackTarget& target, nlohmann::json event, Reply reply = Reply::Document);
    void onDocument(const std::string& url, const CallbackResult& result, Reply reply);
    void next();
    void execute(const bxml::Verb& verb);
    void wait(double seconds);
    CallMedia::Done resumeAfter(std::string verb);
    void transfer(const bxml::Transfer& verb);
    void transferAnswered(const std::shared_ptr<TransferContext>& ctx, std::size_t index);
    void transferDone(const std::shared_ptr<TransferContext>& ctx, std::uint64_t step,
                      const TransferOutcome& outcome);
    void setTag(const std::optional<std::string>& tag);
    void finish(const std::string& cause, const std::string& errorMessage, bool hangupMedia);
    bool stale(std::uint64_t step) const { return step != step_ || finished_; }

    // --- rooms (CallFlowRooms.cpp) ---
    struct BridgeContext;
    void bridge(const bxml::Bridge& verb);
    void bridgeFailed(const bxml::Bridge& verb, const std::string& why);
    static void bridgeEnded(const std::shared_ptr<BridgeContext>& ctx, bool targetLeft);
    void forward(const bxml::Forward& verb);
    std::shared_ptr<BridgeContext> bridge_;  // the <Bridge> this call is in, either side

    Call call_;
    std::shared_ptr<CallMedia> media_;
    CallbackClient& callbacks_;
    VoiceExecutor& executor_;
    Clock clock_;
    CallFlowHooks hooks_;
    int maxRedirectHops_;
    int redirectHops_ = 0;  // <Redirect>s followed since the call last spent time

    std::vector<bxml::Verb> verbs_;
    std::size_t next_ = 0;
    std::string baseUrl_;     // the URL that returned the current document (relative URLs)
    std::uint64_t step_ = 0;  // bumped whenever the current activity is superseded
    bool mediaBusy_ = false;  // a media operation is in flight (stop() it before moving on)
    std::atomic<bool> finished_{false};

    // ivr (CallFlowIvr.cpp): SpeakSentence, Gather, StartGather, StopGather
    struct GatherRun;
    bool executeIvr(const bxml::Verb& verb);  // false: not one of these verbs
    void gather(const bxml::Gather& verb);
    void playPrompt(const std::shared_ptr<GatherRun>& run);
    void armGatherTimer(const std::shared_ptr<GatherRun>& run, double seconds);
    void gatherTimeout(const std::shared_ptr<GatherRun>& run);
    void callerDigit(char digit);
    void gatherDone(const std::shared_ptr<GatherRun>& run, const std::string& terminatingDigit);
    void hookDigits();
    std::shared_ptr<GatherRun> gather_;             // the <Gather> collecting digits, if any
    std::optional<bxml::StartGather> startGather_;  // <StartGather> in force (dtmfUrl resolved)
    bool digitsHooked_ = false;                     // media_->onDigit() points at callerDigit
};

// Resolves a BXML URL that may be relative ("/next", "next.xml", "//host/x") against the URL
// of the document that contained it.
std::string resolveUrl(const std::string& base, const std::string& ref);
// A verb's callback with its URL and fallback URL resolved against `base`.
CallbackTarget resolveTarget(const std::string& base, CallbackTarget target);
std::optional<CallbackTarget> resolveTarget(const std::string& base,
                                            std::optional<CallbackTarget> target);

}  // namespace sb::voice
