#pragma once
// One call of the sofia side, kept by SofiaCallTable: its NUA handle (bound to it, so NUA's
// events for the handle carry it), which way it goes and how far it got, and the SDP both ends
// last described. Touched only on sofia's thread.

#include <sofia-sip/nua.h>
#include <sofia-sip/su_wait.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "server/sip/endpoint/AudioSdp.hpp"
#include "server/sip/endpoint/SipDialog.hpp"
#include "server/sip/endpoint/SipEndpoint.hpp"

namespace sb::sip {

class SofiaCommands;

struct SofiaCall {
    std::string id;
    nua_handle_t* nh = nullptr;
    bool inbound = false;
    bool answered = false;  // inbound: 200 sent; outbound: 200 received
    bool live = true;       // the app still hears about it (counted in activeCalls)
    bool ringingReported = false;
    bool endSent = false;                 // we sent BYE/CANCEL/final response to end it
    std::string remoteEnd;                // "bye" / "cancel" once the far end sent one
    su_timer_t* timer = nullptr;          // outbound answer timeout
    SofiaCommands* timerOwner = nullptr;  // whose handler `timer` runs (it is given the call)
    std::vector<G711> offered;            // inbound: G.711 codecs of the offer
    int offeredTelephoneEventPt = -1;
    std::string localSdp;        // what we sent (answer, or offer), for re-INVITEs
    AudioSdpParams localParams;  // what localSdp was built from
    std::uint64_t localVersion = 1;
    RemoteMedia remote;  // the far end's media as last described
    // info (SofiaInfo): the INFO rate limit's token bucket, and the CSeq of the last INFO whose
    // digit was reported (a second request with it is not a second key press).
    double infoTokens = -1;  // < 0: not started
    std::chrono::steady_clock::time_point infoRefilled;
    std::uint32_t lastDigitCSeq = 0;
    bool digitSeen = false;
    // The dialog, for a BYE by a restarted process (SipDialog.hpp): filled from the INVITE
    // (inbound) or its 2xx (outbound), the tags added once the dialog is confirmed.
    SipDialog dialog;
    bool confirmed = false;
};

}  // namespace sb::sip
