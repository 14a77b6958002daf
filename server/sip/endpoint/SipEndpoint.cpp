#include "server/sip/endpoint/SipEndpoint.hpp"

#include <boost/asio/post.hpp>

#include <atomic>

#include "server/sip/endpoint/SofiaUserAgent.hpp"

namespace sb::sip {

// Carries events from sofia's thread to the executor. Shared with the posted handlers, so it
// outlives the endpoint if handlers are still queued; `open` drops them after stop().
struct SipEndpoint::Delivery : std::enable_shared_from_this<Delivery> {
    Delivery(boost::asio::any_io_executor ex, Events ev)
        : executor(std::move(ex)), events(std::move(ev)) {}

    template <class F>
    void post(F f) {
        boost::asio::post(executor, [self = shared_from_this(), f = std::move(f)]() mutable {
            if (self->open) f(self->events);
        });
    }

    boost::asio::any_io_executor executor;
    Events events;
    std::atomic<bool> open{true};
};

SipEndpoint::SipEndpoint(boost::asio::any_io_executor executor, SipConfig config, Events events)
    : delivery_(std::make_shared<Delivery>(std::move(executor), std::move(events))) {
    SofiaUserAgent::Sink sink;
    auto d = delivery_;
    sink.invite = [d](InboundInvite invite) {
        d->post([invite = std::move(invite)](Events& e) {
            if (e.onInvite) e.onInvite(invite);
        });
    };
    sink.answered = [d](std::string id, RemoteMedia remote) {
        d->post([id = std::move(id), remote = std::move(remote)](Events& e) {
            if (e.onAnswered) e.onAnswered(id, remote);
        });
    };
    sink.ringing = [d](std::string id) {
        d->post([id = std::move(id)](Events& e) {
            if (e.onRinging) e.onRinging(id);
        });
    };
    sink.failed = [d](std::string id, int status, std::string reason) {
        d->post([id = std::move(id), status, reason = std::move(reason)](Events& e) {
            if (e.onFailed) e.onFailed(id, status, reason);
        });
    };
    sink.ended = [d](std::string id, std::string reason) {
        d->post([id = std::move(id), reason = std::move(reason)](Events& e) {
            if (e.onEnded) e.onEnded(id, reason);
        });
    };
    sink.mediaChanged = [d](std::string id, RemoteMedia remote) {
        d->post([id = std::move(id), remote = std::move(remote)](Events& e) {
            if (e.onMediaChanged) e.onMediaChanged(id, remote);
        });
    };
    sink.digit = [d](std::string id, char digit) {
        d->post([id = std::move(id), digit](Events& e) {
            if (e.onDigit) e.onDigit(id, digit);
        });
    };
    sink.confirmed = [d](SipDialog dialog) {
        d->post([dialog = std::move(dialog)](Events& e) {
            if (e.onConfirmed) e.onConfirmed(dialog);
        });
    };
    agent_ = std::make_unique<SofiaUserAgent>(std::move(config), std::move(sink));
}

SipEndpoint::~SipEndpoint() {
    stop();
}

void SipEndpoint::start() {
    agent_->start();
}

void SipEndpoint::stop() {
    delivery_->open = false;
    agent_->stop();
}

std::uint16_t SipEndpoint::port() const {
    return agent_->port();
}

void SipEndpoint::answer(const std::string& callId, const LocalMedia& local) {
    agent_->answer(callId, local);
}

void SipEndpoint::reject(const std::string& callId, int status, const std::string&) {
    agent_->reject(callId, status);
}

std::string SipEndpoint::dial(const OutboundCall& call) {
    auto id = agent_->newCallId();
    agent_->dial(id, call);
    return id;
}

void SipEndpoint::hangup(const std::string& callId) {
    agent_->hangup(callId);
}

std::size_t SipEndpoint::activeCalls() const {
    return agent_->activeCalls();
}

}  // namespace sb::sip
