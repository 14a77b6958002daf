#include "server/voice/CallFlow.hpp"

#include <initializer_list>

namespace sb::voice {

CallFlow::CallFlow(Call call, std::shared_ptr<CallMedia> media, CallbackClient& callbacks,
                   VoiceExecutor& executor, Clock clock, CallFlowHooks hooks, int maxRedirectHops)
    : loop_(std::move(call), std::move(media), callbacks, executor, std::move(clock), hooks,
            maxRedirectHops, [this] { return std::shared_ptr<void>(shared_from_this()); }),
      ivr_(loop_),
      recording_(loop_),
      transfer_(loop_),
      // rooms: <Bridge>'s target is the BridgeVerbs of the other call's flow, sharing its
      // ownership.
      bridge_(loop_,
              [flowOf = std::move(hooks.flowOf)](
                  const std::string& callId) -> std::shared_ptr<BridgeVerbs> {
                  auto flow = flowOf ? flowOf(callId) : nullptr;
                  if (!flow) return nullptr;
                  return std::shared_ptr<BridgeVerbs>(flow, &flow->bridge_);
              }),
      conference_(loop_) {
    for (VerbLoop::Family* family : std::initializer_list<VerbLoop::Family*>{
             &ivr_, &transfer_, &bridge_, &recording_, &conference_})
        loop_.add(*family);
}

template <typename Fn>
void CallFlow::onExecutor(Fn fn) {
    loop_.executor().post([self = shared_from_this(), fn = std::move(fn)]() mutable { fn(*self); });
}

void CallFlow::start() {
    onExecutor([](CallFlow& f) { f.loop_.start(); });
}

void CallFlow::hangup() {
    onExecutor([](CallFlow& f) { f.loop_.finish(cause::kHangup, {}, true); });
}

void CallFlow::redirect(std::string url, std::string method) {
    CallbackTarget target;
    target.url = std::move(url);
    target.method = std::move(method);
    redirect(std::move(target));
}

void CallFlow::redirect(CallbackTarget target) {
    onExecutor([target = std::move(target)](CallFlow& f) { f.loop_.redirect(target); });
}

void CallFlow::retag(std::optional<std::string> tag) {
    onExecutor([tag = std::move(tag)](CallFlow& f) mutable { f.loop_.retag(std::move(tag)); });
}

void CallFlow::replace(std::string document) {
    onExecutor([document = std::move(document)](CallFlow& f) { f.loop_.replace(document); });
}

void CallFlow::stop() {
    onExecutor([](CallFlow& f) { f.loop_.stop(); });
}

}  // namespace sb::voice
