#pragma once
// The rig of the media legs tests (TestMediaLegs.cpp, TestMediaNotices.cpp): a MediaRooms on a
// scripted Janus, with helpers that publish, answer and read what each device was sent.
#include <catch2/catch.hpp>
#include <set>
#include <thread>

#include "server/media/JanusMessages.hpp"
#include "unit/media/ScriptedJanus.hpp"

namespace sb::media::testing {

using nlohmann::json;

inline const std::vector<Track> kMicAndCam = {{"audio", "0", "mic"}, {"video", "1", "cam"}};
inline const std::vector<Track> kMic = {{"audio", "0", "mic"}};
inline const std::vector<Track> kOtherMic = {{"audio", "0", "mic-c"}};

struct Rig {
    std::shared_ptr<ScriptedJanus> scripted = std::make_shared<ScriptedJanus>();
    ScriptedJanus& janus = *scripted;
    Members members;
    Timers timers;
    std::shared_ptr<MediaRooms> rooms;
    std::map<std::string, std::shared_ptr<RecordingDevice>> devices;

    Rig() {
        MediaConfig config;
        config.janusUrl = "ws://janus.test";
        config.roomSecret = "secret";
        rooms = std::make_shared<MediaRooms>(scripted, members, config, timers.scheduler());
        rooms->janusReady();  // control handle 100
    }
    // Unanswered requests and timers hold the registry (as a real Janus's pending replies do until
    // the client stops): dropped here, so the registry and its legs are freed.
    ~Rig() {
        janus.requests.clear();
        timers.queue.clear();
    }
    Rig(const Rig&) = delete;
    Rig& operator=(const Rig&) = delete;
    RecordingDevice& connect(const std::string& deviceId, const std::string& participantId,
                             bool loopback = false) {
        auto sink = std::make_shared<RecordingDevice>();
        devices[deviceId] = sink;
        rooms->addBrowser(deviceId, "acct", participantId, sink, loopback);
        return *sink;
    }
    struct Published {
        std::optional<MediaError> error;
        std::optional<PublishAnswer> answer;
    };
    // The device offers; the reply lands in the returned object once Janus answers.
    std::shared_ptr<Published> offer(const std::string& deviceId, const std::vector<Track>& tracks,
                                     std::map<std::string, std::string> aliases = {}) {
        auto out = std::make_shared<Published>();
        rooms->browser(deviceId)->offer(offerSdp(tracks), std::move(aliases),
                                        [out](std::optional<MediaError> e, PublishAnswer a) {
                                            out->error = e;
                                            if (!e) out->answer = std::move(a);
                                        });
        return out;
    }
    // A first publish answered all the way: returns the publisher handle.
    HandleId publish(const std::string& deviceId, std::uint64_t feed,
                     const std::vector<Track>& tracks,
                     std::map<std::string, std::string> aliases = {}) {
        auto result = offer(deviceId, tracks, std::move(aliases));
        janus.createRooms();
        auto join = janus.take("joinandconfigure");
        ScriptedJanus::reply(join, {{"id", feed}},
                             {{"type", "answer"}, {"sdp", answerSdp(tracks)}});
        REQUIRE(result->answer);
        return join.handle;
    }
    // A phone of `participantId` joined: its room created if needed, its remote publisher (feed
    // 900, port 5004) answered.
    std::shared_ptr<RecordingPhone> attachPhone(const std::string& callId,
                                                const std::string& participantId) {
        auto phone = std::make_shared<RecordingPhone>();
        rooms->addPhone(callId, "acct", participantId, 40000, phone,
                        [](std::optional<PhoneJoinFailure>, PhoneEndpoint) {});
        janus.createRooms();
        ScriptedJanus::reply(janus.take("add_remote_publisher"), {{"id", 900u}, {"port", 5004u}});
        return phone;
    }
    void event(HandleId handle, const std::string& kind) {
        rooms->onHandleEvent(handle, {{"janus", kind}, {"sender", handle}});
    }
    // The subscriber's pending join/update answered with an offer of `streams`.
    void offerStreams(const std::string& request, const std::vector<Offered>& streams) {
        json data;
        auto jsep = subscriberOffer(streams, data);
        ScriptedJanus::reply(janus.take(request), data, jsep);
    }
    std::optional<MediaError> answer(const std::string& deviceId) {
        std::optional<MediaError> error;
        bool replied = false;
        rooms->browser(deviceId)->answer("v=0\r\n", [&](std::optional<MediaError> e, bool) {
            error = e;
            replied = true;
        });
        if (janus.has("start")) ScriptedJanus::reply(janus.take("start"));
        REQUIRE(replied);
        return error;
    }
};

inline std::set<std::pair<std::uint64_t, std::string>> streamsOf(const json& list) {
    std::set<std::pair<std::uint64_t, std::string>> out;
    for (const auto& s : list)
        out.insert({s["feed"].get<std::uint64_t>(), s["mid"].get<std::string>()});
    return out;
}

}  // namespace sb::media::testing
