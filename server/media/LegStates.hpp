#pragma once
// The negotiation states of the media legs, as pure transition functions
// next(state, event) → (state, actions): no I/O, no Janus, table-tested (tests/unit/media).
// BrowserLeg and PhoneLeg hold a state each and carry out the actions.
//
// Why states and not flags: a browser's two PeerConnections each run one offer/answer at a time
// (JSEP, RFC 8829 §3.5), Janus answers asynchronously, and Janus may start its own renegotiation
// of a subscriber while ours is in flight. Every such overlap is a row in a table below.

#include <string>
#include <vector>

namespace sb::media {

// a browser's publisher PeerConnection (VideoRoom publisher handle)

enum class PubState {
    Detached,         // no handle
    Attaching,        // first offer: attach + joinandconfigure in flight
    Unpublished,      // a handle whose PeerConnection ended (Janus "hangup")
    Publishing,       // "publish" in flight on that handle
    Connecting,       // answered; ICE/DTLS not up yet
    Live,             // webrtcup: others may subscribe to its streams
    Configuring,      // renegotiation ("configure") in flight, not yet up
    ConfiguringLive,  // renegotiation in flight while live
};
enum class PubEvent { Offer, Answered, Failed, WebrtcUp, Hangup, Leave };
enum class PubAction {
    RejectBusy,     // the device's previous offer is still being negotiated
    AttachAndJoin,  // attach a handle, joinandconfigure with the offer
    Publish,        // "publish" the offer on the existing handle
    Configure,      // "configure" the offer on the existing handle
    ReplyAnswer,    // hand the answer to the device
    ReplyError,     // hand the error to the device
    RefreshRoom,    // what others receive may have changed
    Retire,         // let the handle go once nobody receives its feed
};
struct PubStep {
    PubState state;
    std::vector<PubAction> actions;
};
PubStep next(PubState state, PubEvent event);
bool isLive(PubState state);     // its streams may be subscribed to
bool hasHandle(PubState state);  // a Janus handle is held
bool isBusy(PubState state);     // an offer is in flight: another one is refused (RejectBusy)

// a browser's subscriber PeerConnection (VideoRoom multistream subscriber handle)

enum class SubPhase {
    Idle,        // nothing in flight
    Requesting,  // join/update sent to Janus
    Offered,     // an sdpOffer is with the device, its answer awaited
    Starting,    // the device's answer sent to Janus ("start")
};
struct SubState {
    SubPhase phase = SubPhase::Idle;
    bool refreshQueued = false;  // what it should receive changed while busy
    bool janusOfferQueued =
        false;  // Janus renegotiated on its own while busy (the leg keeps the offer)
    bool operator==(const SubState& o) const {
        return phase == o.phase && refreshQueued == o.refreshQueued &&
               janusOfferQueued == o.janusOfferQueued;
    }
};
enum class SubEvent {
    Refresh,       // what it should receive may have changed
    NothingToAsk,  // Refresh found it already receives exactly that
    ReplyOffer,    // join/update answered with an offer
    ReplyNoOffer,  // join/update answered: nothing to renegotiate
    ReplyFailed,   // join/update failed (a 428 only once VideoRoom's retries ran out)
    JanusOffer,    // Janus sent an offer on its own
    DeviceAnswer,  // the device answered our sdpOffer
    Started,       // Janus took the answer (or refused it: the device is told either way)
    Hangup,        // Janus closed the subscriber PeerConnection
};
enum class SubAction {
    Request,         // compute what it should receive and ask Janus (or report NothingToAsk)
    SendOffer,       // send the reply's offer to the device
    SendJanusOffer,  // send the offer Janus made on its own (the event's, or the queued one)
    DropJanusOffer,  // our reply's offer is newer than the queued one
    Start,           // pass the device's answer to Janus
    RejectAnswer,    // no sdpOffer is waiting for an answer
    Reset,           // detach the handle; a new PeerConnection starts over
};
struct SubStep {
    SubState state;
    std::vector<SubAction> actions;
};
SubStep next(SubState state, SubEvent event);
bool awaitsAnswer(const SubState& state);  // an sdpOffer is with the device (else RejectAnswer)

// a phone leg (remote publisher in, rtp_forwards out)

enum class PhoneState {
    Joining,          // its room and remote publisher are being set up
    Live,             // publishing; forwards match what it should hear
    Forwarding,       // rtp_forward changes in flight
    ForwardingStale,  // … and what it should hear changed meanwhile
    Ended,            // told to end; released
};
enum class PhoneEvent {
    Joined,            // in its room, publishing
    Refresh,           // what it should hear may have changed
    NothingToForward,  // ApplyForwards found the forwards already right
    ForwardsDone,      // every rtp_forward change was answered
    End,               // participant or session gone, moved, or media server lost
};
enum class PhoneAction {
    RefreshRoom,    // others may now hear it
    ApplyForwards,  // make the forwards match what it should hear
    Report,         // tell the call which streams arrive on its port
    EndCall,        // tell the call to end, release the leg
};
struct PhoneStep {
    PhoneState state;
    std::vector<PhoneAction> actions;
};
PhoneStep next(PhoneState state, PhoneEvent event);

const char* nameOf(PubState state);
const char* nameOf(SubPhase phase);
const char* nameOf(PhoneState state);

}  // namespace sb::media
