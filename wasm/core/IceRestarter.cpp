#include "wasm/core/IceRestarter.hpp"

#include "wasm/core/Errors.hpp"

namespace sb::sdk {

void IceRestarter::onState(const std::string& state) {
    connected_ = state == "connected";
    disconnected_ = state == "disconnected";
    if (connected_) {
        cancel();
        attempts_ = 0;
        setRestarting(false);
        return;
    }
    // While restarting, the check of the last restart decides (a restart goes through
    // `checking`, and may pass through `failed` before the next one).
    if (restarting_) return;
    if (state == "failed") {
        restart();
    } else if (disconnected_) {
        if (!timer_) startTimer(policy_.disconnectedMs);
    } else {
        cancel();  // connecting again by itself: not disconnected any more
    }
}

void IceRestarter::restart(bool fresh) {
    cancel();
    if (fresh) attempts_ = 0;
    setRestarting(true);
    attempt();
}

void IceRestarter::attempt() {
    if (attempts_ >= policy_.maxRestarts) {
        Error error = errors::iceFailed(connection_, attempts_);
        if (log_) log_(LogLevel::Error, error.message);
        // Last statement: the owner may close the connection, and reset this, from inside.
        if (report_) report_(error);
        return;
    }
    ++attempts_;
    startTimer(policy_.delayMs);
    if (log_) {
        std::string message = connection_;
        message += " connection: ICE restart ";
        message += decimal(attempts_);
        log_(LogLevel::Warn, message);
    }
    if (restart_) restart_();
}

void IceRestarter::onTimer() {
    timer_ = 0;
    if (restarting_) {
        // Still connected (a restart because the network came back, which the browser did
        // without leaving `connected`): done. Otherwise the next one.
        if (connected_) {
            attempts_ = 0;
            setRestarting(false);
        } else {
            attempt();
        }
    } else if (disconnected_) {
        restart();  // disconnected for longer than the threshold
    }
}

void IceRestarter::setRestarting(bool restarting) {
    if (restarting_ == restarting) return;
    restarting_ = restarting;
    if (report_) report_(noError());
}

void IceRestarter::startTimer(int delayMs) {
    timer_ = timers_.start(delayMs, [this, alive = alive_.watch()] {
        if (!alive.expired()) onTimer();
    });
}

void IceRestarter::cancel() {
    if (timer_) timers_.cancel(timer_);
    timer_ = 0;
}

void IceRestarter::reset() {
    cancel();
    alive_.renew();
    attempts_ = 0;
    restarting_ = connected_ = disconnected_ = false;
}

}  // namespace sb::sdk
