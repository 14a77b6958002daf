#pragma once
// What the voice API needs from the SIP side, as interfaces the SIP bridge implements:
// CallPlacer dials outbound calls, CallMedia acts on one established call. Progress comes back
// through VoiceService (callRinging, callAnswered, callFailed, callHungUp, acceptInbound).

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "server/voice/Bxml.hpp"
#include "server/voice/Call.hpp"

namespace sb::voice {

struct TransferLegResult {
    bool answered = false;
    std::string cause =
        cause::kHangup;  // how this leg ended: hangup, busy, timeout, cancel, rejected, error
    std::string errorMessage;
};

struct TransferRequest {
    std::string callId;       // the call being transferred (A-leg)
    std::string from;         // caller id for the B-legs: transferCallerId, or the A-leg's `from`
    double callTimeout = 30;  // seconds each target may ring
    std::vector<bxml::TransferTarget> targets;  // ring all at once; bridge the first to answer
    std::vector<std::string> legCallIds;        // one new call id per target, for the events
    // Optional: called as each target's leg ends (a leg cancelled because another answered ends
    // before the transfer does); `done` still reports every leg.
    std::function<void(std::size_t index, const TransferLegResult& result)> legEnded;
    // info: what <Forward> puts on the forwarded leg's INVITE
    std::string displayName;  // From display name ("" = none)
    std::string userToUser;   // User-To-User of each leg without a uui of its own ("" = none)
    std::string diversionTreatment;  // "" / none, propagate, stack (the bridge adds the headers)
    std::string diversionReason;     // stack: RFC 5806 reason ("" = unknown)
    std::string divertingNumber;     // stack: the number that forwarded (the call's `to`)
};

struct TransferOutcome {
    std::optional<std::size_t> answeredIndex;  // the target that was bridged, if any
    std::vector<TransferLegResult> legs;       // one per target, same order
};

// record (issue 9)
// A recording of the call's audio into a WAV file (RecordingVerbs.cpp asks, the SIP bridge's
// VoiceRecorder does it).
struct RecordingSpec {
    std::string path;               // the WAV to write (directories are created)
    int channels = 1;               // 2: the phone left, what it hears right
    bool phoneOnly = false;         // <Record>: only what the phone says
    double maxSeconds = 0;          // 0: until stopped
    double silenceSeconds = 0;      // 0: silence does not end it
    std::string terminatingDigits;  // a digit from the phone that ends it
    // The storage budget (RecordingReservation::cover, on the writer thread): may the file grow
    // to this many bytes? Empty: no limit.
    std::function<bool(std::uint64_t totalBytes)> cover;
};
struct RecordingResult {
    bool ok = false;
    std::string error;           // why not ok (storage limit, disk full, call ended first …)
    std::string endReason;       // maxDuration | silence | digit | stopped | hangup
    std::optional<char> digit;   // the terminating digit, if that ended it
    double durationSeconds = 0;  // of audio in the file
    std::uint64_t bytes = 0;
    std::uint64_t droppedFrames =
        0;  // refused by the writer's full queue (silence in their place is not written)
};
using RecordingDone = std::function<void(RecordingResult)>;

class CallMedia {
  public:
    using Done = std::function<void(bool ok, std::string error)>;
    virtual ~CallMedia() = default;

    // Inbound calls only: answer (200 OK) before the first verb runs.
    virtual void answer(Done done) = 0;
    // Plays the audio file at `url` (absolute http(s) URL, fetched with `credentials` as Basic
    // authorization when given) to the caller; done when it finished.
    virtual void playAudio(const std::string& url,
                           const std::optional<BasicCredentials>& credentials, Done done) = 0;
    // RFC 4733 telephone-events; 'w' and ',' pause 0.5 s, 'W' 1 s.
    virtual void sendDtmf(const std::string& digits, double toneDurationMs, double toneIntervalMs,
                          Done done) = 0;
    // Rings every target (INVITE with each SipUri's uui as User-To-User) and bridges the first to
    // answer; `answered(index)` when it does; `done` once every leg has ended (or at once if none
    // could be placed). The A-leg stays up when the B-leg ends.
    virtual void transfer(const TransferRequest& request,
                          std::function<void(std::size_t index)> answered,
                          std::function<void(TransferOutcome)> done) = 0;
    // Stops what is in progress (playback, DTMF, transfer legs) without ending the call; the
    // stopped operation's callbacks may still come and are ignored.
    virtual void stop() = 0;
    // Ends the call: BYE when answered; a final error response to an inbound call not yet answered.
    virtual void hangup() = 0;

    // ivr (server/bridge/VoiceIvr.cpp)
    // Speaks `text` with the text-to-speech engine's `voice` ("slt", "rms", …); done when it has
    // played (synthesis runs off the call's threads). stop() interrupts it.
    virtual void speak(const std::string& text, const std::string& voice, Done done) = 0;
    // Every digit the caller presses from now on (RFC 4733 telephone-events or SIP INFO), each
    // once, on any thread; an empty function stops reporting.
    virtual void onDigit(std::function<void(char digit)> handler) = 0;
    // --- rooms (server/bridge/VoiceRooms.cpp) ---
    // <Bridge>: connects this call's audio both ways with `target`'s (another answered call),
    // stopping whatever the target was playing. `connected(false, why)` when they cannot be
    // connected. `ended(targetLeft)` runs once when they are no longer connected: one of them
    // hung up or was stop()ped (redirected); targetLeft says which one left.
    virtual void bridgeWith(const std::shared_ptr<CallMedia>& target, Done connected,
                            std::function<void(bool targetLeft)> ended) = 0;
    // <Forward>: rings the request's one target through the trunk as a <Transfer> B-leg; when it
    // answers, answers this call first if `answerCaller` (an inbound call not answered yet),
    // connects them and calls `answered`; `done` once the forwarded leg has ended or failed.
    virtual void forward(const TransferRequest& request, bool answerCaller,
                         std::function<void()> answered,
                         std::function<void(TransferOutcome)> done) = 0;
    // record (issue 9)
    // Starts recording; returns its id (for pause/stop). `done` comes once, when the file is
    // closed (also when the call ends). Media without recording support refuse at once.
    // setRecordingPaused and stopRecording may be called from any thread.
    // The default of an interface whose overrides keep `done`:
    // NOLINTNEXTLINE(performance-unnecessary-value-param)
    virtual std::uint64_t startRecording(const RecordingSpec& spec, RecordingDone done) {
        RecordingResult r;
        r.error = "recording is not supported on this call";
        done(r);
        (void)spec;
        return 0;
    }
    virtual void setRecordingPaused(std::uint64_t id, bool paused) { (void)id, (void)paused; }
    virtual void stopRecording(std::uint64_t id) { (void)id; }

    // conf (issue 9; server/bridge/VoiceConference.cpp)
    // <Conference>: makes this call an audio participant of the WebRTC session `sessionId` of
    // `accountId` (the conference's room), so it hears and is heard by the session's other
    // members, phones and browsers. Exactly one of: joined(false, why), or joined(true, "")
    // followed, once the call is out of the room again, by left(why) — why is empty when it left
    // because of stop() or the call ended, and says what failed when the room's media went away.
    // mute: the room does not hear the call; hold: the call hears nothing and is not heard.
    virtual void joinConference(const std::string& accountId, const std::string& sessionId,
                                // NOLINTNEXTLINE(performance-unnecessary-value-param): as above
                                bool mute, bool hold, Done joined,
                                // NOLINTNEXTLINE(performance-unnecessary-value-param)
                                std::function<void(std::string why)> left) {
        (void)accountId, (void)sessionId, (void)mute, (void)hold, (void)left;
        joined(false, "conferences are not supported on this call");
    }
    virtual void setConferenceAudio(bool mute, bool hold) { (void)mute, (void)hold; }
};

class CallPlacer {
  public:
    virtual ~CallPlacer() = default;
    // Starts an outbound call: INVITE `call.to` from `call.from` with `call.uui` as User-To-User.
    // Throwing refuses the call (the REST request fails, the call ends with cause "error").
    virtual void place(const Call& call) = 0;
    // Abandons a call not yet answered (CANCEL); no further reports are needed for it.
    virtual void cancel(const std::string& callId) = 0;
};

}  // namespace sb::voice
