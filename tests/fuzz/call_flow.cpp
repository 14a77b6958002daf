// Fuzzes BXML execution planning: a CallFlow (the real one) runs the documents of the input
// against the voice tests' fakes (virtual-time executor, media that completes at once). The
// input is the documents the application returns, separated by NUL bytes: the first answers the
// answer callback, each further callback (redirect, transferComplete, …) gets the next one, and
// a callback after the last fails. A transfer's legs end as the first byte of the input says.
// Every callback body is serialised as HttpCallbackClient does (nlohmann::json::dump). Findings:
// crashes, sanitizer reports, exceptions escaping the flow, a flow that does not end (more than
// an hour of virtual time or too many steps), or one that ends more than once.
#include <cstdint>
#include <string>
#include <vector>

#include "server/base/Log.hpp"
#include "server/voice/CallFlow.hpp"
#include "unit/voice/VoiceFakes.hpp"

using namespace sb::voice;
using namespace std::chrono_literals;

namespace {

class DocumentCallbacks : public CallbackClient {
  public:
    explicit DocumentCallbacks(std::vector<std::string> documents)
        : documents_(std::move(documents)) {}
    void post(const CallbackScope&, const std::string&, const std::string&, nlohmann::json body,
              std::function<void(CallbackResult)> done) override {
        (void)body.dump();  // what HttpCallbackClient sends
        ++posts;
        CallbackResult r;
        if (next_ < documents_.size()) {
            r.status = 200;
            r.body = documents_[next_++];
        } else {
            r.error = "connection refused";
        }
        done(std::move(r));
    }
    int posts = 0;

  private:
    std::vector<std::string> documents_;
    std::size_t next_ = 0;
};

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    sb::base::setLogLevel(sb::base::LogLevel::Off);  // every refused document is logged otherwise
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    std::uint8_t mode = data[0];
    std::vector<std::string> documents;
    std::string current;
    for (std::size_t i = 1; i < size; ++i) {
        if (data[i] == 0) {
            documents.push_back(std::move(current));
            current.clear();
        } else {
            current.push_back(static_cast<char>(data[i]));
        }
    }
    documents.push_back(std::move(current));

    test::ManualExecutor executor;
    DocumentCallbacks callbacks(std::move(documents));
    auto media = std::make_shared<test::FakeMedia>();
    TimePoint now{std::chrono::seconds(1714566896)};
    Call call;
    call.callId = "c-0123456789abcdef";
    call.accountId = "9900000";
    call.applicationId = "app-1";
    call.from = "+15555550100";
    call.to = "+15555550123";
    call.answerUrl = "http://app.example/voice/answer";
    call.startTime = now;
    call.answerTime = now;
    call.state = (mode & 1) ? CallState::Initiated : CallState::Answered;
    call.direction = (mode & 1) ? CallDirection::Inbound : CallDirection::Outbound;
    call.callUrl = "http://127.0.0.1:8080/v1/accounts/9900000/calls/" + call.callId;
    int ended = 0;
    CallFlowHooks hooks;
    hooks.answered = [] {};
    hooks.tagChanged = [](const std::optional<std::string>& tag) {
        if (tag && tag->size() > 4096) __builtin_trap();
    };
    hooks.ended = [&](const std::string& cause, const std::string&) {
        if (++ended > 1 || cause.empty()) __builtin_trap();
    };
    auto flow = std::make_shared<CallFlow>(
        call, media, callbacks, executor, [&] { return now; }, hooks);
    flow->start();
    executor.run();
    for (int step = 0; step < 2000 && !flow->finished(); ++step) {
        if (media->transferDone) {
            // The transfer's legs end: one answered (and later hung up), or none.
            auto done = std::move(media->transferDone);
            media->transferDone = nullptr;
            TransferOutcome outcome;
            std::size_t n = media->lastTransfer.targets.size();
            for (std::size_t i = 0; i < n; ++i)
                outcome.legs.push_back({false, cause::kTimeout, {}});
            if ((mode & 2) && n > 0) {
                std::size_t pick = (mode >> 2) % n;
                if (media->transferAnswered) media->transferAnswered(pick);
                outcome.answeredIndex = pick;
                outcome.legs[pick] = {true, cause::kHangup, {}};
            }
            done(outcome);
            executor.run();
            continue;
        }
        executor.advance(std::chrono::seconds(30));
        now += 30s;
    }
    if (!flow->finished()) {
        if (executor.pendingTimers() == 0 && !media->transferDone) __builtin_trap();  // stuck
        // Long pauses/rings: the flow is still waiting legitimately; end it as a REST hangup would.
        flow->hangup();
        executor.run();
    }
    if (callbacks.posts > 1000) __builtin_trap();  // <Redirect> loops must be bounded by the input
    return 0;
}
