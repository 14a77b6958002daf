// SofiaUserAgent's parts, built and wired once (Impl), and its public methods: a call operation
// is queued into sofia's thread (SofiaLoop::post) and runs there (SofiaCommands).

#include "server/sip/endpoint/SofiaUserAgent.hpp"

#include <stdexcept>

#include "server/sip/endpoint/SofiaCallTable.hpp"
#include "server/sip/endpoint/SofiaCommands.hpp"
#include "server/sip/endpoint/SofiaEvents.hpp"
#include "server/sip/endpoint/SofiaInfo.hpp"
#include "server/sip/endpoint/SofiaInvites.hpp"
#include "server/sip/endpoint/SofiaLoop.hpp"
#include "server/sip/endpoint/SofiaStack.hpp"

namespace sb::sip {

class SofiaUserAgent::Impl {
  public:
    Impl(SipConfig sipConfig, Sink eventSink)
        : config(std::move(sipConfig)),
          sink(std::move(eventSink)),
          loop(SofiaLoop::Hooks{[this](su_root_t* root) {
                                    return stack.open(root, &SofiaEvents::onNuaEvent, &events);
                                },
                                [this] { stack.beginShutdown(); }, [this] { stack.close(); }}),
          stack(config, loop, calls),
          commands(config, sink, loop, stack, calls),
          invites(config, sink, stack, calls),
          info(config, sink, stack),
          events(config, sink, loop, stack, calls, invites, info) {}
    ~Impl() { loop.stop(); }  // before the parts sofia's thread uses go
    Impl(const Impl&) = delete;
    Impl& operator=(const Impl&) = delete;

    const SipConfig config;
    const Sink sink;
    SofiaLoop loop;
    SofiaCallTable calls;
    SofiaStack stack;
    SofiaCommands commands;
    SofiaInvites invites;
    SofiaInfo info;
    SofiaEvents events;
};

SofiaUserAgent::SofiaUserAgent(SipConfig config, Sink sink)
    : impl_(std::make_unique<Impl>(std::move(config), std::move(sink))) {}

SofiaUserAgent::~SofiaUserAgent() = default;

void SofiaUserAgent::start() {
    if (!impl_->config.udp && !impl_->config.tcp) {
        throw std::runtime_error("SIP: no transport enabled");
    }
    impl_->loop.start();
}
void SofiaUserAgent::stop() {
    impl_->loop.stop();
}
std::uint16_t SofiaUserAgent::port() const {
    return impl_->stack.port();
}
std::string SofiaUserAgent::newCallId() {
    return impl_->calls.newCallId();
}
std::size_t SofiaUserAgent::activeCalls() const {
    return impl_->calls.active();
}

void SofiaUserAgent::answer(std::string callId, LocalMedia local) {
    impl_->loop.post([impl = impl_.get(), callId = std::move(callId), local = std::move(local)] {
        impl->commands.answer(callId, local);
    });
}

void SofiaUserAgent::reject(std::string callId, int status) {
    impl_->loop.post([impl = impl_.get(), callId = std::move(callId), status] {
        impl->commands.reject(callId, status);
    });
}

void SofiaUserAgent::dial(std::string callId, OutboundCall call) {
    auto id = callId;
    const bool queued =
        impl_->loop.post([impl = impl_.get(), callId = std::move(callId), call = std::move(call)] {
            impl->commands.dial(callId, call);
        });
    if (!queued) impl_->commands.failNotRunning(id);
}

void SofiaUserAgent::hangup(std::string callId) {
    impl_->loop.post(
        [impl = impl_.get(), callId = std::move(callId)] { impl->commands.hangup(callId); });
}

}  // namespace sb::sip
