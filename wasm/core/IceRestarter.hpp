#pragma once
// Brings a peer connection's media back after its path broke, by ICE restarts (JSEP §4.1.8.1):
// when the connection is `failed` (W3C WebRTC §4.3.3), when it stays `disconnected` longer than
// IceRestartPolicy::disconnectedMs (within that the browser's own consent checks may recover it,
// RFC 7675 §5.1), and when the owner asks (the network came back, the media server was reset).
// A restart that has not brought the connection back to `connected` after delayMs is followed by
// another, at most maxRestarts in all; then the owner is told it gave up. The owner carries out
// each restart: the publisher re-offers, the subscriber asks the server (`restartIce`).

#include <string>

#include "wasm/core/Alive.hpp"
#include "wasm/core/Ports.hpp"

namespace sb::sdk {

class IceRestarter {
  public:
    // `connection` names it in logs and errors ("publishing"); `log` is the owner's, which
    // outlives this.
    IceRestarter(TimerPort& timers, const char* connection, const LogFn& log)
        : timers_(timers), connection_(connection), log_(log) {}
    ~IceRestarter() { reset(); }
    IceRestarter(const IceRestarter&) = delete;
    IceRestarter& operator=(const IceRestarter&) = delete;

    void configure(IceRestartPolicy policy) { policy_ = policy; }
    // Starts one ICE restart.
    void onRestart(Fn<void()> restart) { restart_ = std::move(restart); }
    // ice_failed once the restarts did not bring the connection back (the owner may close the
    // connection from inside), and no error when restarting() changed.
    void onReport(Fn<void(const Error&)> report) { report_ = std::move(report); }
    // The watched connection's connectionState.
    void onState(const std::string& state);
    // A restart now. `fresh`: the restarts made so far are forgotten (the media server is back:
    // the failures so far say nothing about the next attempt).
    void restart(bool fresh = false);
    // The connection is gone: no timer, nothing restarting, nothing reported.
    void reset();

    bool restarting() const { return restarting_; }
    int attempts() const { return attempts_; }

  private:
    void attempt();
    void onTimer();
    void setRestarting(bool restarting);
    void cancel();
    void startTimer(int delayMs);

    TimerPort& timers_;
    const char* connection_;
    const LogFn& log_;
    IceRestartPolicy policy_;
    Fn<void()> restart_;
    Fn<void(const Error&)> report_;
    // The last connectionState, as much of it as matters (size: no string kept).
    bool connected_ = false;
    bool disconnected_ = false;
    int attempts_ = 0;
    bool restarting_ = false;
    // The `disconnected` threshold while not restarting; the check of the last restart while
    // restarting.
    int timer_ = 0;
    Alive alive_;
};

}  // namespace sb::sdk
