#pragma once
// The subscribing peer connection (reference §2.4 "Subscribe", docs/protocol.md `sdpOffer`):
// the server is the offerer. Offers are handled one at a time; an offer whose sdpRevision is not
// above the last applied one is stale and dropped. The connection is created lazily on the
// first offer: made at connect() instead, while the socket connects, it delayed the offer by
// ~14 ms and saved nothing after it (bench/ttfa, Chromium). Answers are passive
// (sdp::forcePassiveSetup).
//
// Failures are events. An offer that cannot be applied or answered, or whose answer the server
// refuses, gives onNegotiationFailed (subscribe_failed) with the streams the offer described;
// the connection keeps what it had (the streams already playing go on), the revision is not
// taken, and the next offer is applied normally. The SDK does not ask for a new offer then: the
// server waits for the answer of the offer it sent, so further subscription changes reach this
// device only after a new connect() (the event tells the application why).
//
// A connection whose path broke is restarted by IceRestarter: as the server is the offerer
// (JSEP §4.1.8.1), each restart asks it for an offer with new ICE credentials (`restartIce`),
// which arrives as the next sdpOffer. After a media server reset (`mediaReset`) the connection is
// closed: the server's side of it is gone, and its next offer starts a new one.

#include <memory>
#include <string>
#include <vector>

#include "wasm/core/Alive.hpp"
#include "wasm/core/EventQueue.hpp"
#include "wasm/core/IceErrors.hpp"
#include "wasm/core/IceRestarter.hpp"
#include "wasm/core/JsonRpcClient.hpp"
#include "wasm/core/Ports.hpp"
#include "wasm/core/StreamRegistry.hpp"

namespace sb::sdk {

class Subscriber {
  public:
    struct Listener {
        // `streamIds`: the MediaStream ids (endpointIds) of the failed offer. The owner's, which
        // outlives this, read when the event is emitted.
        const Fn<void(const Error& error, const std::vector<std::string>& streamIds)>*
            onNegotiationFailed = nullptr;
        // ice_failed once the restarts did not bring the connection back (may close this
        // subscriber from inside); no error when restarting() changed.
        Fn<void(const Error& error)> onIce;
    };

    Subscriber(JsonRpcClient& rpc, PeerConnectionFactory& peers, StreamRegistry& registry,
               EventQueue& events, TimerPort& timers, std::string configurationJson,
               Listener listener, const LogFn& log);
    ~Subscriber() { close(); }
    Subscriber(const Subscriber&) = delete;
    Subscriber& operator=(const Subscriber&) = delete;

    // params of the `sdpOffer` notification.
    void handleOffer(const Json& params);
    double lastRevision() const { return lastRevision_; }
    // After a reconnect the server may number its offers afresh (a new socket can be a new
    // device session), so the next offer is taken whatever its revision.
    void acceptAnyRevision() {
        lastRevision_ = 0;
        answerLost_ = false;
    }
    bool hasConnection() const { return pc_ != nullptr; }
    void getStats(Fn<void(const Error&, const std::string&)> done);
    // Closes the connection and withdraws its streams; reused by the next connect().
    void close();
    void configure(std::string configurationJson, IceRestartPolicy restarts = {}) {
        configuration_ = std::move(configurationJson);
        ice_.configure(restarts);
    }
    // An ICE restart now, if there is a connection (the network came back).
    void restartIce() {
        if (pc_) ice_.restart();
    }
    bool restarting() const { return ice_.restarting(); }

  private:
    // Applies the queued offers one at a time, in a loop: offers that finish synchronously (stale
    // ones) do not grow the stack.
    void runOffers();
    void apply(const Json& params);
    Fn<void(const Error&)> described(bool local);
    // Sends answer_ for lastRevision_; `report`: a refusal is the application's event (not for
    // an answer sent again after a resume).
    void postAnswer(bool report);
    void createConnection();
    // The offer being applied failed: reported, and the queue moves on.
    void failOffer(const char* what, const Error& error);
    void finishOffer();
    void fail(const char* what, const Error& error, const std::vector<std::string>& streams);

    JsonRpcClient& rpc_;
    PeerConnectionFactory& peers_;
    StreamRegistry& registry_;
    EventQueue& events_;
    TimerPort& timers_;
    std::string configuration_;
    Listener listener_;
    const LogFn& log_;  // the owner's, which outlives this
    IceErrorLogger iceErrors_{"Subscribing", {}};
    IceRestarter ice_{timers_, "subscribing", log_};
    std::unique_ptr<PeerConnectionPort> pc_;
    double lastRevision_ = 0;
    // Offers not applied yet, and the one being applied (one at a time, like the stock SDK's
    // mutex, reference §2.4: JSEP cannot apply an offer while another is pending), kept here
    // rather than copied into each callback of the exchange (size, bench/size/).
    std::vector<Json> offers_;
    std::size_t nextOffer_ = 0;  // offers_ before it were taken
    bool busy_ = false;          // an offer is being applied
    bool inside_ = false;        // runOffers() is in apply()
    double offerRevision_ = 0;
    std::vector<std::string> offerStreams_;
    std::string answer_;       // the last answer made, kept to be sent again after a resume
    bool answerLost_ = false;  // answer_'s request went with a lost socket
    Alive alive_;
};

}  // namespace sb::sdk
