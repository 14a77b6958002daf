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

    void setHandler(Handler h) override { handler = std::move(h); }
    void getUserMedia(const std::string& constraintsJson,
                      Fn<void(const Error&, const LocalStream&)> done) override {
        constraints.push_back(constraintsJson);
        // One track: video ("v<n>") when the constraints ask for video alone, else audio
        // ("a<n>"); its device the exact one asked for, else "default".
        bool video = constraintsJson.find("\"video\"") != std::string::npos &&
                     constraintsJson.find("\"audio\"") == std::string::npos;
        std::string device = "default";
        auto exact = constraintsJson.find("\"exact\":\"");
        if (exact != std::string::npos) {
            auto start = exact + 9;
            device = constraintsJson.substr(start, constraintsJson.find('"', start) - start);
        }
        LocalStream stream{
            "gum-" + std::to_string(++count_),
            {{(video ? "v" : "a") + std::to_string(count_), video ? "video" : "audio", device}}};
        Error e = rejectWith.empty() ? Error{} : errors::userMedia(rejectWith, "from the fake");
        loop_.post([done, stream, e]() { done(e, stream); });
    }
    void stopStream(const std::string& streamId) override { stopped.insert(streamId); }
    void setTracksEnabled(const std::string& streamId, const std::string& kind,
                          bool enabled) override {
        enabledCalls.push_back(streamId + "/" + kind + "=" + (enabled ? "on" : "off"));
    }

    // "s1:t1<->gum-2": the application's stream and track, and the stream swapped with.
    void swapTrack(const std::string& streamId, const std::string& trackId,
                   const std::string& otherStreamId) override {
        swaps.push_back(streamId + ":" + trackId + "<->" + otherStreamId);
    }
    // The browser's event: a track ended on its own.
    void trackEnded(const std::string& trackId) const { handler(trackId); }

    Handler handler;
    std::vector<std::string> swaps;
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
