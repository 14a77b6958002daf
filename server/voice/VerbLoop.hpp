#pragma once
// Runs the BXML of one call as Bandwidth's Voice platform does: POST the answer/initiate
// callback, run the verbs of the returned document in order, follow <Redirect>s and the
// documents verbs' callbacks return, and hang up at the end of the document. A callback that
// fails or returns invalid BXML ends the call, and the disconnect callback says why (cause
// callback-error / invalid-bxml + errorMessage). errorMessage never quotes what the
// application's server sent (only fixed texts, verb names and the URL), since the call's owner
// reads it back through GET /calls.
//
// <Redirect> chains are bounded: more than `maxRedirectHops` <Redirect>s in a row without the
// call spending time (PlayAudio, SendDtmf, Transfer, SpeakSentence, Gather, Record, or a
// Pause/Ring of at least a second) end the call with cause application-error — a document
// redirecting to itself would otherwise fetch callbacks as fast as the network allows, forever.
//
// The loop runs the verbs that only play, wait or move along (PlayAudio, SendDtmf, Pause, Ring,
// Redirect, Tag, Hangup); each family of verbs with rules of its own (IVR, recording, transfer,
// bridge, conference) is a Family the loop hands its verbs to. A family reads the call's state
// here and ends its verb with next(), fetch() or finish().
//
// Everything runs on the VoiceExecutor. Each asynchronous step carries the loop's step number:
// a completion that arrives after the flow moved on (REST redirect or hangup, remote hangup) is
// stale() and ignored. Completions hold the flow weakly (weakRef): the flow owns its media, so a
// strong reference would be a cycle.

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "server/voice/Bxml.hpp"
#include "server/voice/Call.hpp"
#include "server/voice/CallFlowHooks.hpp"
#include "server/voice/CallMedia.hpp"
#include "server/voice/CallbackClient.hpp"
#include "server/voice/CallbackTarget.hpp"
#include "server/voice/VoiceExecutor.hpp"

namespace sb::voice {

class VerbLoop {
  public:
    // One family of verbs: execute() starts a verb of the family and returns true, or returns
    // false for any other verb.
    class Family {
      public:
        virtual ~Family() = default;
        virtual bool execute(const bxml::Verb& verb) = 0;
    };

    // What a reply without verbs (blank, or an empty <Response/>) does: end the call, as at the
    // end of any document (answer, redirect, transferComplete, bridgeComplete), or continue with
    // the verb after the one that sent the event (Bandwidth's gather and recordComplete).
    enum class Reply { Document, MayContinue };

    // `owner` returns the shared pointer that owns this loop and its families (the CallFlow),
    // from which weakRef and strongRef derive theirs. Only the hooks answered, tagChanged and
    // ended are used here.
    VerbLoop(Call call, std::shared_ptr<CallMedia> media, CallbackClient& callbacks,
             VoiceExecutor& executor, Clock clock, CallFlowHooks hooks, int maxRedirectHops,
             std::function<std::shared_ptr<void>()> owner);
    VerbLoop(const VerbLoop&) = delete;
    VerbLoop& operator=(const VerbLoop&) = delete;

    // Families are asked in the order they were added; they outlive the loop's use of them.
    void add(Family& family) { families_.push_back(&family); }

    // --- what the flow's owner asks for (CallFlow posts these onto the executor) ---
    // Sends the answer (outbound) or initiate (inbound) callback and runs what it returns.
    void start();
    // REST redirectUrl: a new <Redirect> chain.
    void redirect(const CallbackTarget& target);
    // REST updateCallBxml: `document` replaces whatever runs; relative URLs in it resolve against
    // the URL of the last document fetched.
    void replace(const std::string& document);
    void retag(std::optional<std::string> tag) { call_.tag = std::move(tag); }
    // The call ended elsewhere: stop without touching the media or reporting.
    void stop();

    // --- what verbs do to the loop ---
    // Every callback whose reply is BXML goes out here (through sendCallback: credentials,
    // fallback URL, callbackTimeout), whatever sent it: the call, a REST redirect, or a verb.
    // Whatever ran is superseded. `target`'s URLs are absolute (resolveTarget).
    void fetch(const CallbackTarget& target, nlohmann::json event, Reply reply = Reply::Document);
    void next();
    void finish(const std::string& cause, const std::string& errorMessage, bool hangupMedia);
    // A verb's tag attribute: absent (nullopt) keeps the tag, empty clears it.
    void setTag(const std::optional<std::string>& tag);
    // The call was answered now (an inbound call, or one a <Forward> connected).
    void answered();
    // A media operation's completion: next() on success, the call ends on failure.
    CallMedia::Done resumeAfter(std::string verb);
    bool stale(std::uint64_t step) const { return step != step_ || finished_; }

    // Pointers to `part` (this loop or a family: a member of the flow) sharing the flow's
    // ownership, for asynchronous completions.
    template <typename T>
    std::shared_ptr<T> strongRef(T& part) const {
        return std::shared_ptr<T>(owner_(), &part);
    }
    template <typename T>
    std::weak_ptr<T> weakRef(T& part) const {
        return strongRef(part);
    }

    // --- the call's state, for the families ---
    const Call& call() const { return call_; }
    CallMedia& media() const { return *media_; }
    const std::shared_ptr<CallMedia>& sharedMedia() const { return media_; }
    CallbackClient& callbacks() const { return callbacks_; }
    VoiceExecutor& executor() const { return executor_; }
    const Clock& clock() const { return clock_; }
    TimePoint now() const { return clock_(); }
    // The URL that returned the current document (relative URLs in it resolve against it).
    const std::string& baseUrl() const { return baseUrl_; }
    // The current step; newStep() makes whatever waits stale, restoreStep() (<Bridge> that could
    // not connect) makes it current again.
    std::uint64_t step() const { return step_; }
    std::uint64_t newStep() { return ++step_; }
    void restoreStep(std::uint64_t step) { step_ = step; }
    // A media operation is in flight: stop() it before moving on.
    bool mediaBusy() const { return mediaBusy_; }
    void setMediaBusy(bool busy) { mediaBusy_ = busy; }
    // Any thread.
    bool finished() const { return finished_.load(); }

  private:
    void onDocument(const std::string& url, const CallbackResult& result, Reply reply);
    void execute(const bxml::Verb& verb);
    void wait(double seconds);

    Call call_;
    std::shared_ptr<CallMedia> media_;
    CallbackClient& callbacks_;
    VoiceExecutor& executor_;
    Clock clock_;
    CallFlowHooks hooks_;
    int maxRedirectHops_;
    std::function<std::shared_ptr<void>()> owner_;
    std::vector<Family*> families_;

    int redirectHops_ = 0;  // <Redirect>s followed since the call last spent time
    std::vector<bxml::Verb> verbs_;
    std::size_t next_ = 0;
    std::string baseUrl_;
    std::uint64_t step_ = 0;  // bumped whenever the current activity is superseded
    bool mediaBusy_ = false;
    std::atomic<bool> finished_{false};
};

}  // namespace sb::voice
