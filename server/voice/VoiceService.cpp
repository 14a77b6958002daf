#include "server/voice/VoiceService.hpp"

#include <cmath>

#include "server/base/Log.hpp"
#include "server/voice/CallIds.hpp"
#include "server/voice/CallbackEvents.hpp"
#include "server/voice/CallbackTarget.hpp"
#include "server/voice/VoiceErrors.hpp"

namespace sb::voice {

using base::LogLevel;

VoiceService::VoiceService(CallRegistry& registry, CallPlacer& placer, CallbackClient& callbacks,
                           VoiceExecutor& executor, VoiceConfig config, Clock clock)
    : registry_(registry),
      placer_(placer),
      callbacks_(callbacks),
      executor_(executor),
      config_(std::move(config)),
      clock_(std::move(clock)),
      alive_(std::make_shared<VoiceService*>(this)) {}

VoiceService::~VoiceService() {
    alive_.reset();
    std::lock_guard lock(mutex_);
    for (auto& [id, flow] : flows_) flow->stop();
}

std::string VoiceService::callUrl(const std::string& accountId, const std::string& callId) const {
    auto base = config_.publicBaseUrl;
    while (!base.empty() && base.back() == '/') base.pop_back();
    return base + "/api/v2/accounts/" + accountId + "/calls/" + callId;  // Bandwidth's path
}

void VoiceService::later(std::chrono::milliseconds delay, std::function<void(VoiceService&)> task) {
    std::weak_ptr<VoiceService*> weak = alive_;
    executor_.after(delay, [weak, task = std::move(task)] {
        if (auto self = weak.lock()) task(**self);
    });
}

void VoiceService::checkLiteral(const std::string& accountId, const std::string& field,
                                const std::string& url) const {
    auto why = config_.outbound ? config_.outbound->literalRefusal(accountId, url)
                                : OutboundPolicy().literalRefusal(accountId, url);
    if (why) throw errors::callbackAddressNotAllowed(field, *why);
}

Call VoiceService::createCall(const std::string& accountId, const CreateCallRequest& request) {
    checkLiteral(accountId, "answerUrl", request.answerUrl);
    if (request.disconnectUrl) checkLiteral(accountId, "disconnectUrl", *request.disconnectUrl);
    if (request.callbacks.answerFallbackUrl)
        checkLiteral(accountId, "answerFallbackUrl", *request.callbacks.answerFallbackUrl);
    Call c;
    c.callId = newCallId();
    c.accountId = accountId;
    c.applicationId = request.applicationId;
    c.direction = CallDirection::Outbound;
    c.from = request.from;
    c.to = request.to;
    c.startTime = c.lastUpdate = clock_();
    c.answerUrl = request.answerUrl;
    c.answerMethod = request.answerMethod;
    c.disconnectUrl = request.disconnectUrl;
    c.disconnectMethod = request.disconnectMethod;
    c.callTimeout = request.callTimeout;
    c.tag = request.tag;
    c.uui = request.uui;
    c.displayName = request.displayName;
    c.priority = request.priority;
    c.callbacks = request.callbacks;
    c.callUrl = callUrl(accountId, c.callId);
    registry_.admitOutbound(c);  // throws 403/429
    try {
        placer_.place(c);
    } catch (const std::exception& e) {
        // The application never learns this call id: no disconnect callback, only the 500.
        registry_.apply(c.callId, CallEvent::Error, clock_(), cause::kError, e.what());
        base::log(LogLevel::Error, "voice: placing call " + c.callId + " failed: " + e.what());
        throw errors::placementFailed(e.what());
    }
    base::log(LogLevel::Info,
              "voice: account " + accountId + " placed call " + c.callId + " to " + c.to);
    auto id = c.callId;
    later(config_.ringStartTimeout, [id](VoiceService& s) {
        auto now = s.registry_.find(id);
        if (!now || now->state != CallState::Initiated) return;
        s.placer_.cancel(id);
        s.finish(id, cause::kTimeout, "the call did not start ringing in time");
    });
    return c;
}

Call VoiceService::call(const std::string& accountId, const std::string& callId) const {
    return registry_.get(accountId, callId);
}

void VoiceService::updateCall(const std::string& accountId, const std::string& callId,
                              const UpdateCallRequest& request) {
    auto c = registry_.get(accountId, callId);
    if (request.redirectUrl) checkLiteral(accountId, "redirectUrl", *request.redirectUrl);
    if (request.redirectFallbackUrl)
        checkLiteral(accountId, "redirectFallbackUrl", *request.redirectFallbackUrl);
    bool hangup = request.state && *request.state == "completed";
    if (hangup && isTerminal(c.state)) return;  // already over: nothing to do
    if (isTerminal(c.state))
        throw errors::callNotModifiable(callId, "disconnected", "it can no longer be modified");
    auto flow = flowOf(callId);
    if (request.tag) {
        std::optional<std::string> tag = request.tag->empty() ? std::nullopt : request.tag;
        registry_.update(callId, [&](Call& x) { x.tag = tag; });
        if (flow) flow->retag(tag);
    }
    if (hangup) {
        if (flow) return flow->hangup();  // the flow hangs up and reports the end
        placer_.cancel(callId);
        return finish(callId, cause::kCancel, {});
    }
    if (request.redirectUrl) {
        if (!flow || c.state != CallState::Answered)
            throw errors::callNotModifiable(callId, toString(c.state),
                                            "only answered calls can be redirected");
        // callbacks (issue 9): the redirect's fallback and credentials, for this redirect only.
        flow->redirect(callbackTarget(*request.redirectUrl, request.redirectMethod,
                                      request.username, request.password,
                                      request.redirectFallbackUrl, request.redirectFallbackMethod,
                                      request.fallbackUsername, request.fallbackPassword));
    }
}

void VoiceService::replaceBxml(const std::string& accountId, const std::string& callId,
                               const std::string& document) {
    auto c = registry_.get(accountId, callId);
    auto flow = flowOf(callId);
    if (!flow || c.state != CallState::Answered)
        throw errors::callNotModifiable(callId, bandwidthState(c.state),
                                        "only answered calls can run new BXML");
    flow->replace(document);
}

std::vector<Call> VoiceService::listCalls(const std::string& accountId,
                                          const CallFilter& filter) const {
    return registry_.list(accountId, filter);
}

void VoiceService::callRinging(const std::string& callId) {
    auto t = registry_.apply(callId, CallEvent::Ring, clock_());
    if (!t || t->from != CallState::Initiated) return;
    auto ms =
        std::chrono::milliseconds(static_cast<long long>(std::llround(t->call.callTimeout * 1000)));
    later(ms, [callId](VoiceService& s) {
        auto now = s.registry_.find(callId);
        if (!now || now->state != CallState::Ringing) return;
        s.placer_.cancel(callId);
        s.finish(callId, cause::kTimeout, {});
    });
}

void VoiceService::callAnswered(const std::string& callId, std::shared_ptr<CallMedia> media) {
    auto t = registry_.apply(callId, CallEvent::Answer, clock_());
    if (!t) {
        // Answered after we gave up on it (timeout, cancel): do not leave the far end connected.
        base::log(LogLevel::Info, "voice: call " + callId + " answered after it ended; hanging up");
        if (media) media->hangup();
        return;
    }
    if (t->from == CallState::Answered) return;  // duplicate report
    startFlow(t->call, std::move(media));
}

void VoiceService::callFailed(const std::string& callId, const std::string& c,
                              const std::string& errorMessage) {
    finish(callId, c, errorMessage);
}

void VoiceService::callHungUp(const std::string& callId) {
    finish(callId, cause::kHangup, {});
}

Call VoiceService::acceptInbound(const InboundCall& in, std::shared_ptr<CallMedia> media) {
    Call c;
    c.callId = newCallId();
    c.accountId = in.accountId;
    c.applicationId = in.applicationId;
    c.direction = CallDirection::Inbound;
    c.from = in.from;
    c.to = in.to;
    c.startTime = c.lastUpdate = clock_();
    c.answerUrl = in.initiateUrl;
    c.answerMethod = in.initiateMethod;
    c.disconnectUrl = in.disconnectUrl;
    c.disconnectMethod = in.disconnectMethod;
    c.uui = in.uui;
    c.callUrl = callUrl(in.accountId, c.callId);
    registry_.admitInbound(c);  // throws 429
    base::log(LogLevel::Info,
              "voice: inbound call " + c.callId + " from " + c.from + " to " + c.to);
    startFlow(c, std::move(media));
    return c;
}

void VoiceService::startFlow(const Call& call, std::shared_ptr<CallMedia> media) {
    auto id = call.callId;
    std::weak_ptr<VoiceService*> weak = alive_;
    CallFlowHooks hooks;
    hooks.answered = [weak, id] {
        if (auto s = weak.lock()) (*s)->registry_.apply(id, CallEvent::Answer, (*s)->clock_());
    };
    hooks.tagChanged = [weak, id](const std::optional<std::string>& tag) {
        if (auto s = weak.lock()) (*s)->registry_.update(id, [&](Call& c) { c.tag = tag; });
    };
    hooks.ended = [weak, id](const std::string& c, const std::string& message) {
        if (auto s = weak.lock()) (*s)->finish(id, c, message);
    };
    // rooms: <Bridge> finds its target among this account's running flows.
    hooks.flowOf =
        [weak, accountId = call.accountId](const std::string& other) -> std::shared_ptr<CallFlow> {
        auto s = weak.lock();
        if (!s) return nullptr;
        auto c = (*s)->registry_.find(other);
        return c && c->accountId == accountId ? (*s)->flowOf(other) : nullptr;
    };
    auto flow = std::make_shared<CallFlow>(call, std::move(media), callbacks_, executor_, clock_,
                                           std::move(hooks), config_.maxRedirectHops);
    flow->setRecordings(config_.recordings, config_.publicBaseUrl);  // record (issue 9)
    flow->setConferences(config_.conferences);                       // conf (issue 9)
    {
        std::lock_guard lock(mutex_);
        flows_[id] = flow;
    }
    flow->start();
}

std::shared_ptr<CallFlow> VoiceService::flowOf(const std::string& callId) const {
    std::lock_guard lock(mutex_);
    auto it = flows_.find(callId);
    return it == flows_.end() ? nullptr : it->second;
}

void VoiceService::finish(const std::string& callId, const std::string& c,
                          const std::string& errorMessage) {
    auto now = clock_();
    auto t = registry_.apply(callId, eventForCause(c), now, c, errorMessage);
    if (!t) {
        // A pre-answer cause (busy, timeout, …) reported for an answered call still ends it.
        auto current = registry_.find(callId);
        if (current && !isTerminal(current->state))
            t = registry_.apply(callId, CallEvent::Error, now, c, errorMessage);
    }
    if (!t || !isTerminal(t->call.state)) return;
    std::shared_ptr<CallFlow> flow;
    {
        std::lock_guard lock(mutex_);
        auto it = flows_.find(callId);
        if (it != flows_.end()) {
            flow = std::move(it->second);
            flows_.erase(it);
        }
    }
    if (flow) flow->stop();
    auto target = disconnectTarget(t->call);
    if (!target) return;
    // The one disconnect event of the call: not held back by the call's own pending requests
    // (scope without call id: only the server-wide bound applies). The call's credentials and
    // callbackTimeout apply (callbacks, issue 9).
    sendCallback(callbacks_, scopeOf(t->call, false), *target, disconnectEvent(t->call, now),
                 [callId](const CallbackResult& r, const std::string& url) {
                     if (!r.ok())
                         base::log(LogLevel::Warn, "voice: call " + callId +
                                                       " disconnect event not delivered: " +
                                                       describeFailure(r, url));
                 });
}

std::size_t VoiceService::activeFlows() const {
    std::lock_guard lock(mutex_);
    return flows_.size();
}

std::size_t VoiceService::purgeEnded(std::chrono::seconds retention) {
    return registry_.purgeEnded(clock_() - retention);
}

// record (issue 9)
void VoiceService::setRecordingPaused(const std::string& accountId, const std::string& callId,
                                      bool paused) {
    call(accountId, callId);  // 404 for another account's call
    auto flow = flowOf(callId);
    if (!flow || !flow->setRecordingPaused(paused))
        throw net::HttpError(net::ErrorCode::Conflict,
                             "Call " + callId + " has no recording in progress", "callId");
}

}  // namespace sb::voice
