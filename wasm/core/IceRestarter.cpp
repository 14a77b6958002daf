#include "wasm/core/IceRestarter.hpp"

namespace sb::sdk {

void IceRestarter::onState(const std::string& state) {
    state_ = state;
    if (state == "connected") {
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
    } else if (state == "disconnected") {
        if (!timer_) timer_ = timers_.start(policy_.disconnectedMs, [this, alive = alive_.watch()] {
            if (!alive.expired()) onTimer();
        });
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
        // Last statement: the owner may close the connection, and reset this, from inside.
        if (step_) step_(IceStep::GaveUp);
        return;
    }
    ++attempts_;
    timer_ = timers_.start(policy_.delayMs, [this, alive = alive_.watch()] {
        if (!alive.expired()) onTimer();
    });
    if (step_) step_(IceStep::Restart);
}

void IceRestarter::onTimer() {
    timer_ = 0;
    if (restarting_) {
        // Still connected (a restart because the network came back, which the browser did
        // without leaving `connected`): done. Otherwise the next one.
        if (state_ == "connected") {
            attempts_ = 0;
            setRestarting(false);
        } else {
            attempt();
        }
    } else if (state_ == "disconnected") {
        restart();  // disconnected for longer than the threshold
    }
}

void IceRestarter::setRestarting(bool restarting) {
    if (restarting_ == restarting) return;
    restarting_ = restarting;
    if (step_) step_(IceStep::Changed);
}

void IceRestarter::cancel() {
    if (timer_) timers_.cancel(timer_);
    timer_ = 0;
}

void IceRestarter::reset() {
    cancel();
    alive_.renew();
    attempts_ = 0;
    restarting_ = false;
    state_.clear();
}

}  // namespace sb::sdk
