#pragma once
// Deterministic fakes for the voice tests: an executor with virtual time, a callback client
// answered by URL (or by hand), media and placer that record what they were asked.

#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "server/voice/CallMedia.hpp"
#include "server/voice/CallbackClient.hpp"
#include "server/voice/VoiceExecutor.hpp"

namespace sb::voice::test {

class ManualExecutor : public VoiceExecutor {
  public:
    void post(std::function<void()> task) override { ready_.push_back(std::move(task)); }
    void after(std::chrono::milliseconds delay, std::function<void()> task) override {
        timers_.emplace(now_ + delay, std::move(task));
    }
    // Runs posted tasks (and those they post) until none is left.
    void run() {
        while (!ready_.empty()) {
            auto t = std::move(ready_.front());
            ready_.pop_front();
            t();
        }
    }
    // Moves virtual time forward, running due timers in order.
    void advance(std::chrono::milliseconds d) {
        auto until = now_ + d;
        run();
        while (!timers_.empty() && timers_.begin()->first <= until) {
            auto it = timers_.begin();
            now_ = it->first;
            auto task = std::move(it->second);
            timers_.erase(it);
            task();
            run();
        }
        now_ = until;
    }
    std::size_t pendingTimers() const { return timers_.size(); }
    std::chrono::milliseconds now() const { return now_; }

  private:
    std::deque<std::function<void()>> ready_;
    std::multimap<std::chrono::milliseconds, std::function<void()>> timers_;
    std::chrono::milliseconds now_{0};
};

struct SentCallback {
    CallbackScope scope;
    std::string url;
    std::string method;
    nlohmann::json body;
    std::function<void(CallbackResult)> done;
};

class FakeCallbacks : public CallbackClient {
  public:
    // Replies at once to requests for `url`.
    void route(const std::string& url, CallbackResult r) { routes_[url] = std::move(r); }
    void bxml(const std::string& url, const std::string& document) {
        route(url, CallbackResult{200, document, {}});
    }

    void post(const CallbackScope& scope, const std::string& url, const std::string& method,
              nlohmann::json body, std::function<void(CallbackResult)> done) override {
        auto it = routes_.find(url);
        if (it == routes_.end()) {
            sent.push_back(
                {scope, url, method, body, std::move(done)});  // answered later by the test
            return;
        }
        sent.push_back({scope, url, method, body, nullptr});
        done(it->second);
    }
    std::vector<std::string> eventTypes() const {
        std::vector<std::string> out;
        for (const auto& s : sent) out.push_back(s.body.value("eventType", ""));
        return out;
    }
    const SentCallback* last(const std::string& eventType) const {
        for (auto it = sent.rbegin(); it != sent.rend(); ++it)
            if (it->body.value("eventType", "") == eventType) return &*it;
        return nullptr;
    }

    std::vector<SentCallback> sent;

  private:
    std::map<std::string, CallbackResult> routes_;
};

class FakeMedia : public CallMedia {
  public:
    void answer(Done done) override { record("answer", std::move(done)); }
    void playAudio(const std::string& url, const std::optional<BasicCredentials>& credentials,
                   Done done) override {
        record("play " + url + (credentials ? " as " + credentials->username : ""),
               std::move(done));
    }
    void sendDtmf(const std::string& digits, double toneDurationMs, double toneIntervalMs,
                  Done done) override {
        record("dtmf " + digits + " " + std::to_string(static_cast<int>(toneDurationMs)) + "/" +
                   std::to_string(static_cast<int>(toneIntervalMs)),
               std::move(done));
    }
    void transfer(const TransferRequest& request, std::function<void(std::size_t)> answered,
                  std::function<void(TransferOutcome)> done) override {
        log.push_back("transfer " + std::to_string(request.targets.size()));
        lastTransfer = request;
        transferAnswered = std::move(answered);
        transferDone = std::move(done);
    }
    void stop() override { log.push_back("stop"); }
    void hangup() override { log.push_back("hangup"); }
    // ivr
    void speak(const std::string& text, const std::string& voice, Done done) override {
        record("speak " + voice + " " + text, std::move(done));
    }
    void onDigit(std::function<void(char)> handler) override { digitHandler = std::move(handler); }
    void press(const std::string& digits) {
        for (char d : digits)
            if (digitHandler) digitHandler(d);
    }
    std::function<void(char)> digitHandler;
    // rooms: <Bridge>; the test runs bridgeConnected / bridgeEnded as the SIP side would.
    void bridgeWith(const std::shared_ptr<CallMedia>& target, Done connected,
                    std::function<void(bool)> ended) override {
        log.push_back("bridge");
        bridgeTarget = target;
        bridgeConnected = std::move(connected);
        bridgeEnded = std::move(ended);
    }
    void forward(const TransferRequest& request, bool answerCaller, std::function<void()> answered,
                 std::function<void(TransferOutcome)> done) override {
        log.push_back(std::string("forward") + (answerCaller ? " answering" : ""));
        lastTransfer = request;
        forwardAnswered = std::move(answered);
        transferDone = std::move(done);
    }
    std::function<void()> forwardAnswered;
    std::shared_ptr<CallMedia> bridgeTarget;
    Done bridgeConnected;
    std::function<void(bool)> bridgeEnded;

    bool autoComplete = true;  // media operations succeed at once
    std::vector<std::string> log;
    std::vector<Done> pending;
    TransferRequest lastTransfer;
    std::function<void(std::size_t)> transferAnswered;
    std::function<void(TransferOutcome)> transferDone;

  private:
    void record(std::string what, Done done) {
        log.push_back(std::move(what));
        if (autoComplete)
            done(true, {});
        else
            pending.push_back(std::move(done));
    }
};

class FakePlacer : public CallPlacer {
  public:
    void place(const Call& call) override {
        if (fail) throw std::runtime_error("no trunk");
        placed.push_back(call);
    }
    void cancel(const std::string& callId) override { cancelled.push_back(callId); }
    bool fail = false;
    std::vector<Call> placed;
    std::vector<std::string> cancelled;
};

}  // namespace sb::voice::test
