#include "wasm/browser/SdkHandle.hpp"

#include "wasm/core/Json.hpp"

namespace sb::sdk::browser {

namespace {

std::string errorJson(const Error& e) {
    if (!e.failed()) return {};
    Json j = Json::object();
    j.set("code", e.code);
    j.set("message", e.message);
    if (e.rpcCode) j.set("rpcCode", e.rpcCode);
    if (!e.data.empty()) j.set("data", e.data);
    return j.dump();
}

// RtcStream without its mediaStream (reference §1.1): endpointId is the MediaStream id.
std::string streamJson(const StreamInfo& s) {
    Json j = Json::object();
    j.set("endpointId", s.streamId);
    if (!s.participantId.empty()) j.set("participantId", s.participantId);
    Json types = Json::array();
    for (const auto& t : s.mediaTypes) types.push(t);
    j.set("mediaTypes", std::move(types));
    if (!s.alias.empty()) j.set("alias", s.alias);
    return j.dump();
}

void settle(int promise, const Error& e, const std::string& result = {}) {
    sb_settle(promise, errorJson(e).c_str(), result.c_str());
}

}  // namespace

SdkHandle::SdkHandle(int listener)
    : listener_(listener),
      client_(Platform{socket_, timers_, http_, media_, peers_}, makeListener()) {}

void SdkHandle::emit(int kind, int num, const std::string& a, const std::string& b) const {
    sb_emit(listener_, kind, num, a.c_str(), b.c_str());
}

ClientListener SdkHandle::makeListener() {
    ClientListener l;
    l.onStateChange = [this](State state, const Error& cause) {
        emit(0, 0, toString(state), errorJson(cause));
    };
    l.onStreamAvailable = [this](const StreamInfo& s) { emit(1, 0, streamJson(s), s.streamId); };
    l.onStreamUnavailable = [this](const std::string& id) { emit(2, 0, id); };
    l.onDtmf = [this](const std::string& params) { emit(4, 0, params); };
    l.onSubscribeFailed = [this](const Error& e, const std::vector<std::string>& ids) {
        Json list = Json::array();
        for (const auto& id : ids) list.push(id);
        emit(5, 0, errorJson(e), list.dump());
    };
    l.onLog = [this](LogLevel level, const std::string& message) {
        emit(3, static_cast<int>(level), message);
    };
    return l;
}

void SdkHandle::connect(int promise, const ConnectOptions& options) {
    client_.connect(options, [promise](const Error& e) { settle(promise, e); });
}

Publisher::PublishDone SdkHandle::publishDone(int promise) {
    return [promise](const Error& e, const StreamInfo& s) {
        settle(promise, e, e.failed() ? std::string() : streamJson(s));
    };
}

void SdkHandle::publishMedia(int promise, const std::string& constraintsJson,
                             const std::string& alias, const std::string& codecPreferencesJson) {
    client_.publishMedia(constraintsJson, alias, codecPreferencesJson, publishDone(promise));
}

void SdkHandle::publishStream(int promise, const std::string& stream, const std::string& alias,
                              const std::string& codecPreferencesJson) {
    client_.publish(BrowserMedia::describe(stream), alias, codecPreferencesJson,
                    publishDone(promise));
}

void SdkHandle::unpublish(int promise, std::vector<std::string> streamIds) {
    client_.unpublish(std::move(streamIds), [promise](const Error& e) { settle(promise, e); });
}

void SdkHandle::getStats(int promise, const std::string& which) {
    client_.getStats(
        which, [promise](const Error& e, const std::string& json) { settle(promise, e, json); });
}

}  // namespace sb::sdk::browser
