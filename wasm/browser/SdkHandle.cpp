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

}  // namespace

SdkHandle::SdkHandle(val listener)
    : listener_(std::move(listener)),
      client_(Platform{socket_, timers_, http_, media_, peers_}, makeListener()) {}

ClientListener SdkHandle::makeListener() {
    ClientListener l;
    l.onStateChange = [this](State state, const Error& cause) {
        listener_.call<void>("state", std::string(toString(state)), errorJson(cause));
    };
    l.onStreamAvailable = [this](const StreamInfo& s) {
        listener_.call<void>("stream", streamJson(s), media_.remote(s.streamId));
    };
    l.onStreamUnavailable = [this](const std::string& id) {
        listener_.call<void>("streamGone", id);
    };
    l.onLog = [this](LogLevel level, const std::string& message) {
        listener_.call<void>("log", static_cast<int>(level), message);
    };
    return l;
}

void SdkHandle::connect(std::string optionsJson, val resolve, val reject) {
    Json options = Json::parse(optionsJson).value_or(Json::object());
    ConnectOptions o;
    o.websocketUrl = options["websocketUrl"].asString();
    o.token = options["token"].asString();
    o.uniqueId = options["uniqueId"].asString();
    o.sdkVersion = options["sdkVersion"].asString();
    o.peerConfigurationJson = options["rtcConfiguration"].dump();
    o.connectTimeoutMs = static_cast<int>(options["timeoutMs"].asNumber(15000));
    client_.connect(o, [resolve, reject](const Error& e) {
        if (e.failed())
            reject(errorJson(e));
        else
            resolve();
    });
}

Publisher::PublishDone SdkHandle::publishDone(val resolve, val reject) {
    return [this, resolve, reject](const Error& e, const StreamInfo& s) {
        if (e.failed())
            reject(errorJson(e));
        else
            resolve(streamJson(s), media_.local(s.streamId));
    };
}

void SdkHandle::publishMedia(std::string constraintsJson, std::string alias,
                             std::string codecPreferencesJson, val resolve, val reject) {
    client_.publishMedia(constraintsJson, alias, codecPreferencesJson,
                         publishDone(resolve, reject));
}

void SdkHandle::publishStream(val stream, std::string alias, std::string codecPreferencesJson,
                              val resolve, val reject) {
    client_.publish(media_.adopt(stream), alias, codecPreferencesJson,
                    publishDone(resolve, reject));
}

void SdkHandle::unpublish(val streamIds, val resolve, val reject) {
    std::vector<std::string> ids;
    int count = streamIds["length"].as<int>();
    for (int i = 0; i < count; ++i) ids.push_back(streamIds[i].as<std::string>());
    client_.unpublish(std::move(ids), [resolve, reject](const Error& e) {
        if (e.failed())
            reject(errorJson(e));
        else
            resolve();
    });
}

void SdkHandle::getStats(std::string which, val resolve, val reject) {
    client_.getStats(which, [resolve, reject](const Error& e, const std::string& json) {
        if (e.failed())
            reject(errorJson(e));
        else
            resolve(json);
    });
}

}  // namespace sb::sdk::browser
