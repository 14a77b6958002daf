#pragma once
// A Client wired to fakes of every port, with the application's view recorded as strings
// ("state:connected", "available:s1", "unavailable:s1") so tests read as sequences.

#include <optional>
#include <string>
#include <vector>

#include "tests/unit/wasm/fakes/FakeLoop.hpp"
#include "tests/unit/wasm/fakes/FakeMedia.hpp"
#include "tests/unit/wasm/fakes/FakePeerConnection.hpp"
#include "tests/unit/wasm/fakes/FakeSocket.hpp"
#include "tests/unit/wasm/fakes/FakeTimers.hpp"
#include "wasm/core/Client.hpp"

namespace sb::sdk::test {

struct Harness {
    FakeLoop loop;
    FakeTimers timers;
    FakeSocket socket;
    FakeHttp http;
    FakeMedia media{loop};
    FakePeerFactory peers{loop};
    std::vector<std::string> events;
    std::vector<StreamInfo> streams;
    std::vector<Error> stateErrors;
    std::vector<Error> subscribeErrors;
    std::vector<Error> fallbackErrors;
    std::vector<std::string> warnings;  // log lines at warn and error level
    std::vector<std::string> quality;   // "stats:{…}", "warning:{…}", "cleared:low-mos"
    Fn<void(State)> onState;            // a test's extra reaction, e.g. re-entering the client
    std::optional<Error> connectResult;
    Client client{Platform{socket, timers, http, media, peers}, listener()};

    ClientListener listener() {
        ClientListener l;
        l.onStateChange = [this](State s, const Error& e) {
            events.push_back(std::string("state:") + toString(s));
            stateErrors.push_back(e);
            if (onState) onState(s);
        };
        l.onStreamAvailable = [this](const StreamInfo& s) {
            events.push_back("available:" + s.streamId);
            streams.push_back(s);
        };
        l.onStreamUnavailable = [this](const std::string& id) {
            events.push_back("unavailable:" + id);
        };
        // "subscribeFailed:s1,s2", the error in subscribeErrors.
        l.onSubscribeFailed = [this](const Error& e, const std::vector<std::string>& ids) {
            std::string list;
            for (const auto& id : ids) list += (list.empty() ? "" : ",") + id;
            events.push_back("subscribeFailed:" + list);
            subscribeErrors.push_back(e);
        };
        l.onTokenWillExpire = [this](const std::string& token) {
            events.push_back("tokenWillExpire:" + token);
        };
        // "remoteMuteChange:{params}", "activeSpeakerChange:{params}".
        l.onRemoteMuteChange = [this](const std::string& params) {
            events.push_back("remoteMuteChange:" + params);
        };
        l.onActiveSpeakerChange = [this](const std::string& params) {
            events.push_back("activeSpeakerChange:" + params);
        };
        l.onCallStats = [this](const std::string& s) { quality.push_back("stats:" + s); };
        l.onQualityWarning = [this](const std::string& w) { quality.push_back("warning:" + w); };
        l.onQualityWarningCleared = [this](const std::string& name) {
            quality.push_back("cleared:" + name);
        };
        // "fallback:<json>" (the error in fallbackErrors).
        l.onDeviceFallback = [this](const Error& e, const std::string& json) {
            events.push_back("fallback:" + json);
            fallbackErrors.push_back(e);
        };
        l.onLog = [this](LogLevel level, const std::string& message) {
            if (level <= LogLevel::Warn) warnings.push_back(message);
        };
        return l;
    }

    static ConnectOptions options() {
        ConnectOptions o;
        o.websocketUrl = "ws://127.0.0.1:8080";
        o.token = "header.payload.sig";
        o.uniqueId = "u-1";
        o.sdkVersion = "0.1.0";
        o.peerConfigurationJson = R"({"iceServers":[]})";
        return o;
    }

    void connect(const ConnectOptions& o = options()) {
        client.connect(o, [this](const Error& e) { connectResult = e; });
    }

    // connect(), the socket opens and the server answers setMediaPreferences.
    void connected(const ConnectOptions& o = options()) {
        connect(o);
        socket.accept();
        socket.reply(socket.lastRequest("setMediaPreferences"), Json::object());
        loop.run();
    }

    // The server answers the last offerSdp, giving every listed stream these media types.
    void answerOffer(const std::vector<std::string>& mediaTypes = {"AUDIO"}) {
        loop.run();
        Json request = socket.lastRequest("offerSdp");
        Json metadata = Json::object();
        for (const auto& id : request["params"]["mediaMetadata"]["mediaStreams"].keys()) {
            Json types = Json::array();
            for (const auto& t : mediaTypes) types.push(t);
            Json entry = Json::object();
            entry.set("endpointId", "ep-" + id);
            entry.set("participantId", "p-me");
            entry.set("mediaTypes", std::move(types));
            metadata.set(id, std::move(entry));
        }
        Json result = Json::object();
        result.set("endpointId", "ep");
        result.set("sdpAnswer", "answer-sdp");
        result.set("streamMetadata", std::move(metadata));
        socket.reply(request, std::move(result));
        loop.run();
    }

    // The server pushes an sdpOffer notification.
    void serverOffer(int revision, const std::string& sdp, Json metadata) {
        Json params = Json::object();
        params.set("endpointId", "sub-ep");
        params.set("sdpOffer", sdp);
        params.set("sdpRevision", revision);
        params.set("streamMetadata", std::move(metadata));
        Json n = Json::object();
        n.set("jsonrpc", "2.0");
        n.set("method", "sdpOffer");
        n.set("params", std::move(params));
        socket.receive(n.dump());
        loop.run();
    }
};

}  // namespace sb::sdk::test
