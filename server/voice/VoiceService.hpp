#pragma once
// The voice API's rules: placing and tracking calls (through CallRegistry's toll-fraud policy),
// timeouts, running a CallFlow once a call is answered, and the disconnect callback when a call
// ends for any reason. REST handlers (VoiceApi) and the SIP bridge change calls only here.
//
// The SIP bridge reports progress with callRinging / callAnswered / callFailed / callHungUp
// (outbound) and acceptInbound (inbound), from any thread.
//
// Lifetime: destroy after the executor has stopped running tasks.

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "server/voice/CallFlow.hpp"
#include "server/voice/CallMedia.hpp"
#include "server/voice/CallRegistry.hpp"
#include "server/voice/CallbackClient.hpp"
#include "server/voice/OutboundPolicy.hpp"
#include "server/voice/VoiceExecutor.hpp"

namespace sb::voice {

struct VoiceConfig {
    // Where applications reach this server's REST API: callUrl = base +
    // /api/v2/accounts/{a}/calls/{c}.
    std::string publicBaseUrl = "http://127.0.0.1:8080";
    // An outbound call that is neither ringing nor answered by then is cancelled (Bandwidth: 30 s).
    std::chrono::milliseconds ringStartTimeout{30000};
    // Which non-public addresses each account's callbacks may reach; null: none. Used here to
    // refuse IP-literal URLs at once (400); names are checked when HttpCallbackClient resolves
    // them.
    std::shared_ptr<const OutboundPolicy> outbound;
    // <Redirect>s a call may follow in a row without spending time on the call (CallFlow).
    int maxRedirectHops = 10;
    // record (issue 9): where the recording verbs store files; null: recordings refused.
    std::shared_ptr<RecordingStore> recordings;
    // conf (issue 9): the conferences <Conference> joins; null: conferences refused.
    std::shared_ptr<ConferenceService> conferences;
};

struct CreateCallRequest {
    std::string from;
    std::string to;
    std::string answerUrl;
    std::string answerMethod = "POST";
    std::optional<std::string> disconnectUrl;
    std::string disconnectMethod = "POST";
    double callTimeout = 30;
    std::optional<std::string> tag;
    std::optional<std::string> uui;
    std::string applicationId;
    std::optional<std::string> displayName;
    int priority = 5;
    CallbackSettings callbacks;  // kept on the Call as they are
};

struct UpdateCallRequest {
    std::optional<std::string> state;  // "active" | "completed"
    std::optional<std::string> redirectUrl;
    std::string redirectMethod = "POST";
    std::optional<std::string> tag;  // "" clears
    // Callback settings of this redirect (its CallbackTarget).
    std::optional<std::string> redirectFallbackUrl;
    std::string redirectFallbackMethod = "POST";
    std::optional<std::string> username;
    std::optional<std::string> password;
    std::optional<std::string> fallbackUsername;
    std::optional<std::string> fallbackPassword;
};

// An INVITE to a configured number, routed by the SIP bridge to an account's application.
struct InboundCall {
    std::string accountId;
    std::string applicationId;
    std::string from;
    std::string to;
    std::string initiateUrl;  // receives the initiate event and returns the first BXML
    std::string initiateMethod = "POST";
    std::optional<std::string> disconnectUrl;
    std::string disconnectMethod = "POST";
    std::optional<std::string> uui;  // the INVITE's User-To-User, passed on in the initiate event
};

class VoiceService {
  public:
    VoiceService(
        CallRegistry& registry, CallPlacer& placer, CallbackClient& callbacks,
        VoiceExecutor& executor, VoiceConfig config = {},
        Clock clock = [] { return std::chrono::system_clock::now(); });
    ~VoiceService();
    VoiceService(const VoiceService&) = delete;
    VoiceService& operator=(const VoiceService&) = delete;

    // Admits (403/429 per policy) and places an outbound call; returns it in state initiated.
    Call createCall(const std::string& accountId, const CreateCallRequest& request);
    // 404 unless the call exists and belongs to the account.
    Call call(const std::string& accountId, const std::string& callId) const;
    // state=completed hangs up (cancels before answer; no-op once ended); redirectUrl runs a new
    // document (answered calls only, else 409); tag changes later events' tag.
    void updateCall(const std::string& accountId, const std::string& callId,
                    const UpdateCallRequest& request);
    // PUT …/bxml: the answered call abandons its current verb and runs `document` (already
    // validated by bxml::parse); 409 unless answered.
    void replaceBxml(const std::string& accountId, const std::string& callId,
                     const std::string& document);
    // The account's calls, oldest first, filtered as Bandwidth's listCalls (empty filter: any).
    std::vector<Call> listCalls(const std::string& accountId, const CallFilter& filter) const;

    // SIP bridge reports for outbound calls.
    void callRinging(const std::string& callId);
    // Starts the BXML flow with `media`; if the call already ended (timeout, cancel) the media is
    // hung up instead.
    void callAnswered(const std::string& callId, std::shared_ptr<CallMedia> media);
    // The call failed before answer (busy, timeout, rejected, error, …) or ended on an error.
    void callFailed(const std::string& callId, const std::string& cause,
                    const std::string& errorMessage = {});
    // The far end hung up (BYE, or CANCEL of an inbound call).
    void callHungUp(const std::string& callId);
    // An inbound call: admits it (429 when the account is at its concurrent-call limit), sends the
    // initiate event and runs the returned BXML (answering before the first verb).
    Call acceptInbound(const InboundCall& inbound, std::shared_ptr<CallMedia> media);

    // Toll-fraud rules for a <Transfer> B-leg the bridge is about to dial (CallRegistry); throws
    // HttpError.
    void admitTransferLeg(const std::string& accountId, const std::string& to,
                          const std::string& from) {
        registry_.admitTransferLeg(accountId, to, from);
    }

    std::string callUrl(const std::string& accountId, const std::string& callId) const;

    // record (issue 9)
    const std::shared_ptr<RecordingStore>& recordings() const { return config_.recordings; }
    const std::string& publicBaseUrl() const { return config_.publicBaseUrl; }
    // PUT …/calls/{callId}/recording: 404 unless the account's call; 409 when the call has no
    // <StartRecording> in progress (or has ended).
    void setRecordingPaused(const std::string& accountId, const std::string& callId, bool paused);
    const std::shared_ptr<ConferenceService>& conferences() const { return config_.conferences; }
    std::size_t activeFlows() const;
    // Forgets calls that ended more than `retention` ago.
    std::size_t purgeEnded(std::chrono::seconds retention);

  private:
    void startFlow(const Call& call, std::shared_ptr<CallMedia> media);
    // Throws 400 when `url`'s host is an IP literal the account may not reach.
    void checkLiteral(const std::string& accountId, const std::string& field,
                      const std::string& url) const;
    std::shared_ptr<CallFlow> flowOf(const std::string& callId) const;
    // The one place a call ends: state, flow, disconnect callback.
    void finish(const std::string& callId, const std::string& cause,
                const std::string& errorMessage);
    // Runs `task` after `delay` unless this service is gone.
    void later(std::chrono::milliseconds delay, std::function<void(VoiceService&)> task);

    CallRegistry& registry_;
    CallPlacer& placer_;
    CallbackClient& callbacks_;
    VoiceExecutor& executor_;
    VoiceConfig config_;
    Clock clock_;
    std::shared_ptr<VoiceService*> alive_;
    mutable std::mutex mutex_;
    std::unordered_map<std::string, std::shared_ptr<CallFlow>> flows_;
};

}  // namespace sb::voice
