#pragma once
// getUserMedia, HTTP probe and local track state for native tests.

#include <map>
#include <set>
#include <string>
#include <vector>

#include "tests/unit/wasm/fakes/FakeLoop.hpp"
#include "wasm/core/Errors.hpp"
#include "wasm/core/Ports.hpp"

namespace sb::sdk::test {

class FakeMedia : public MediaPort {
  public:
    explicit FakeMedia(FakeLoop& loop) : loop_(loop) {}

    void getUserMedia(const std::string& constraintsJson,
                      Fn<void(const Error&, const LocalStream&)> done) override {
        constraints.push_back(constraintsJson);
        LocalStream stream{"gum-" + std::to_string(++count_),
                           {{"a" + std::to_string(count_), "audio"}}};
        Error e = rejectWith.empty() ? Error{} : errors::userMedia(rejectWith, "from the fake");
        loop_.post([done, stream, e]() { done(e, stream); });
    }
    void stopStream(const std::string& streamId) override { stopped.insert(streamId); }
    void setTracksEnabled(const std::string& streamId, const std::string& kind,
                          bool enabled) override {
        enabledCalls.push_back(streamId + "/" + kind + "=" + (enabled ? "on" : "off"));
    }

    std::string rejectWith;  // an error name getUserMedia rejects with, e.g. "NotAllowedError"
    std::vector<std::string> constraints;
    std::set<std::string> stopped;
    std::vector<std::string> enabledCalls;

  private:
    FakeLoop& loop_;
    int count_ = 0;
};

class FakeHttp : public HttpPort {
  public:
    void get(const std::string& url, Fn<void(int, const std::string&)> done) override {
        urls.push_back(url);
        pending_.push_back(std::move(done));
    }
    // The server's answer to the oldest pending probe.
    void respond(int status, const std::string& body) {
        auto done = std::move(pending_.front());
        pending_.erase(pending_.begin());
        done(status, body);
    }
    std::size_t pending() const { return pending_.size(); }
    std::vector<std::string> urls;

  private:
    std::vector<Fn<void(int, const std::string&)>> pending_;
};

}  // namespace sb::sdk::test
