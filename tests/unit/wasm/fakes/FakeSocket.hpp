#pragma once
// A WebSocket whose server side is the test: it sees every frame the SDK sends and scripts the
// server's answers. Calls from the test are already "from the event loop".

#include <string>
#include <vector>

#include "wasm/core/Json.hpp"
#include "wasm/core/Ports.hpp"

namespace sb::sdk::test {

class FakeSocket : public SocketPort {
  public:
    void open(const std::string& url, Handler handler) override {
        urls.push_back(url);
        handler_ = std::move(handler);
        connected_ = false;
        live_ = true;
    }
    void send(const std::string& text) override { sent.push_back(text); }
    void close(int code) override {
        closedWith.push_back(code);
        live_ = false;  // a closed socket never calls back
    }

    // Server side.
    void accept() {
        connected_ = true;
        if (live_) handler_(SocketEvent::Open, 0, "");
    }
    void receive(const std::string& text) {
        if (live_) handler_(SocketEvent::Message, 0, text);
    }
    void drop(int code) {
        bool wasLive = live_;
        live_ = false;
        if (wasLive) handler_(SocketEvent::Close, code, "");
    }
    Json frame(std::size_t i) const { return *Json::parse(sent.at(i)); }
    Json last() const { return frame(sent.size() - 1); }
    // The last request with this method, or null.
    Json lastRequest(const std::string& method) const {
        for (auto it = sent.rbegin(); it != sent.rend(); ++it) {
            Json j = *Json::parse(*it);
            if (j["method"].asString() == method) return j;
        }
        return Json();
    }
    std::size_t count(const std::string& method) const {
        std::size_t n = 0;
        for (const auto& s : sent) n += (*Json::parse(s))["method"].asString() == method;
        return n;
    }
    void reply(const Json& request, Json result) {
        Json r = Json::object();
        r.set("jsonrpc", "2.0");
        r.set("id", request["id"]);
        r.set("result", std::move(result));
        receive(r.dump());
    }
    void replyError(const Json& request, int code, const std::string& message) {
        Json e = Json::object();
        e.set("code", code);
        e.set("message", message);
        Json r = Json::object();
        r.set("jsonrpc", "2.0");
        r.set("id", request["id"]);
        r.set("error", std::move(e));
        receive(r.dump());
    }
    bool live() const { return live_; }

    std::vector<std::string> urls;
    std::vector<std::string> sent;
    std::vector<int> closedWith;

  private:
    Handler handler_;
    bool connected_ = false;
    bool live_ = false;
};

}  // namespace sb::sdk::test
