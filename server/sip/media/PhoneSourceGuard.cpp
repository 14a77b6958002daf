#include "server/sip/media/PhoneSourceGuard.hpp"

namespace sb::sip::media {

void PhoneSourceGuard::setRemote(const std::optional<Endpoint>& remote, Clock::time_point now) {
    if (remote == sdpRemote_ && (remote_ || latched_)) return;  // the same SDP again (a refresh)
    sdpRemote_ = remote;
    remote_ = remote;
    latched_ = false;
    confirmed_ = false;
    unconfirmedSent_ = 0;
    lastHeard_ = now;
}

void PhoneSourceGuard::setDirection(bool phoneSends, bool phoneReceives, Clock::time_point now) {
    if (phoneSends && !phoneSends_) lastHeard_ = now;  // resumed from hold: a fresh period
    phoneSends_ = phoneSends;
    phoneReceives_ = phoneReceives;
}

void PhoneSourceGuard::start(Clock::time_point now) {
    started_ = true;
    lastHeard_ = now;
}

bool PhoneSourceGuard::accepts(const Endpoint& from) {
    const bool ok = config_.latch && !latched_ ? true : remote_ && from == *remote_;
    if (!ok) ++stats_.foreign;
    return ok;
}

void PhoneSourceGuard::received(const Endpoint& from, Clock::time_point now) {
    if (config_.latch && !latched_) {
        remote_ = from;
        latched_ = true;
    }
    confirmed_ = true;
    lastHeard_ = now;
}

std::optional<PhoneSourceGuard::Endpoint> PhoneSourceGuard::sendTarget() {
    if (!remote_ || !phoneReceives_ ||
        (!confirmed_ && unconfirmedSent_ >= config_.unconfirmedSendLimit)) {
        ++stats_.suppressed;
        return std::nullopt;
    }
    if (!confirmed_) ++unconfirmedSent_;
    return remote_;
}

bool PhoneSourceGuard::timedOut(Clock::time_point now) {
    if (!started_ || reported_ || !phoneSends_ ||
        config_.inactivityTimeout == Clock::duration::zero())
        return false;
    if (now - lastHeard_ < config_.inactivityTimeout) return false;
    reported_ = true;
    return true;
}

}  // namespace sb::sip::media
