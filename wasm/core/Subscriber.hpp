#pragma once
// The subscribing peer connection (reference §2.4 "Subscribe", docs/protocol.md `sdpOffer`):
// the server is the offerer. Offers are handled one at a time; an offer whose sdpRevision is not
// above the last applied one is stale and dropped. The connection is created lazily on the
// first offer: made at connect() instead, while the socket connects, it delayed the offer by
// ~14 ms and saved nothing after it (bench/ttfa, Chromium). Answers are passive
// (sdp::forcePassiveSetup). Failures are logged, not surfaced: the server's next offer is the
// recovery path.

#include <memory>
#include <string>

#include "wasm/core/Alive.hpp"
#include "wasm/core/EventQueue.hpp"
#include "wasm/core/JsonRpcClient.hpp"
#include "wasm/core/Ports.hpp"
#include "wasm/core/SerialQueue.hpp"
#include "wasm/core/StreamRegistry.hpp"

namespace sb::sdk {

class Subscriber {
  public:
    Subscriber(JsonRpcClient& rpc, PeerConnectionFactory& peers, StreamRegistry& registry,
               EventQueue& events, std::string configurationJson, LogFn log);
    ~Subscriber() { close(); }
    Subscriber(const Subscriber&) = delete;
    Subscriber& operator=(const Subscriber&) = delete;

    // params of the `sdpOffer` notification.
    void handleOffer(const Json& params);
    double lastRevision() const { return lastRevision_; }
    // After a reconnect the server may number its offers afresh (a new socket can be a new
    // device session), so the next offer is taken whatever its revision.
    void acceptAnyRevision() { lastRevision_ = 0; }
    bool hasConnection() const { return pc_ != nullptr; }
    void getStats(Fn<void(const Error&, const std::string&)> done);
    // Closes the connection and withdraws its streams; reused by the next connect().
    void close();
    void configure(std::string configurationJson) { configuration_ = std::move(configurationJson); }

  private:
    void apply(const Json& params, const Fn<void()>& finished);
    void sendAnswer(const std::string& answer, double revision, const Fn<void()>& finished);
    void createConnection();
    void fail(const std::string& what, const Error& error, const Fn<void()>& finished);

    JsonRpcClient& rpc_;
    PeerConnectionFactory& peers_;
    StreamRegistry& registry_;
    EventQueue& events_;
    std::string configuration_;
    LogFn log_;
    std::unique_ptr<PeerConnectionPort> pc_;
    SerialQueue queue_;
    double lastRevision_ = 0;
    Alive alive_;
};

}  // namespace sb::sdk
