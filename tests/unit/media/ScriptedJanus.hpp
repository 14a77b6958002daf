#pragma once
// A Janus the test scripts by hand, for the media legs' unit tests: every request is held until
// the test answers it (reply / fail), attaches are answered at once with fresh handle ids, room
// listings at once with `rooms`, and events are injected on handles. With a membership table and a
// manual timer queue it runs MediaRooms exactly as the server does, minus sockets and threads.

#include <catch2/catch.hpp>

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "server/media/MediaRooms.hpp"

namespace sb::media::testing {

using nlohmann::json;

class ScriptedJanus : public JanusPort {
  public:
    struct Request {
        HandleId handle = 0;
        json body;
        json jsep;
        JanusCallback cb;
        std::string name() const { return body.value("request", ""); }
    };

    void attach(const std::string&,
                std::function<void(bool, HandleId, const std::string&)> cb) override {
        if (refuseAttach) return cb(false, 0, "attach refused");
        cb(true, nextHandle++, "");
    }
    void message(HandleId handle, json body, json jsep, JanusCallback cb) override {
        if (body.value("request", "") == "list") {
            listed.push_back(body);
            if (!failList.empty()) {
                JanusReply failed;
                failed.error = failList;
                return cb(failed);
            }
            return reply({handle, body, jsep, cb}, json{{"list", rooms}});
        }
        requests.push_back({handle, std::move(body), std::move(jsep), std::move(cb)});
    }
    void detach(HandleId handle) override { detached.push_back(handle); }

    bool has(const std::string& name) const {
        for (const auto& r : requests)
            if (r.name() == name) return true;
        return false;
    }
    // Removes and returns the oldest request named `name` (the test fails if there is none).
    Request take(const std::string& name) {
        for (auto it = requests.begin(); it != requests.end(); ++it)
            if (it->name() == name) {
                auto r = std::move(*it);
                requests.erase(it);
                return r;
            }
        FAIL("no pending Janus request " << name);
        return {};
    }
    static void reply(const Request& r, json data = json::object(), json jsep = nullptr) {
        JanusReply reply;
        reply.ok = true;
        reply.data = std::move(data);
        reply.jsep = std::move(jsep);
        r.cb(reply);
    }
    static void fail(const Request& r, int code, const std::string& reason) {
        JanusReply reply;
        reply.code = code;
        reply.error = reason + " (" + std::to_string(code) + ")";
        r.cb(reply);
    }
    // Answers every pending room creation.
    void createRooms() {
        while (has("create")) reply(take("create"));
    }

    std::deque<Request> requests;
    json rooms = json::array();  // what `list` answers (VideoRoom "list")
    std::string failList;        // if set, `list` fails with this transport error instead
    std::vector<json> listed;    // the `list` requests seen
    std::vector<HandleId> detached;
    HandleId nextHandle = 100;
    bool refuseAttach = false;
};

class Members : public Membership {
  public:
    std::optional<state::Participant> participant(const std::string&,
                                                  const std::string& id) const override {
        auto it = people.find(id);
        if (it == people.end()) return std::nullopt;
        return it->second;
    }
    std::vector<std::string> members(const std::string&,
                                     const std::string& sessionId) const override {
        std::vector<std::string> ids;
        for (const auto& [id, p] : people)
            if (p.sessionId == sessionId) ids.push_back(id);
        return ids;
    }
    // A participant in `session` subscribed to everyone else in it.
    void add(const std::string& id, const std::string& session,
             state::PublishPermissions permissions = {true, true}) {
        state::Participant p;
        p.id = id;
        p.accountId = "acct";
        p.publishPermissions = permissions;
        p.sessionId = session;
        p.subscriptions = state::Subscriptions{session, {}};
        people[id] = p;
    }
    std::map<std::string, state::Participant> people;
};

class Timers {
  public:
    MediaRooms::Scheduler scheduler() {
        return [this](std::chrono::milliseconds, std::function<void()> fn) {
            queue.push_back(std::move(fn));
        };
    }
    void runAll() {
        auto due = std::move(queue);
        queue.clear();
        for (auto& fn : due) fn();
    }
    std::vector<std::function<void()>> queue;
};

struct RecordingDevice : DeviceSink {
    void streamsOffered(const StreamsOffer& offer) override { offers.push_back(offer); }
    void dtmfHeard(const HeardDtmf& dtmf) override { digits.push_back(dtmf); }
    void streamNotice(const StreamNotice& notice) override { notices.push_back(notice); }
    void closeDevice(CloseReason reason) override { closed.push_back(reason); }
    void mediaReset(const std::string& reason) override { resets.push_back(reason); }
    std::vector<StreamsOffer> offers;
    std::vector<std::string> resets;
    std::vector<HeardDtmf> digits;
    std::vector<StreamNotice> notices;
    std::vector<CloseReason> closed;
};

struct RecordingPhone : PhoneSink {
    void forwardsChanged(const std::vector<ForwardedStream>& streams) override {
        forwards.push_back(streams);
    }
    void endPhone(const std::string& reason) override { ended.push_back(reason); }
    void sendDtmf(const std::string& tones) override { dtmf.push_back(tones); }
    std::vector<std::vector<ForwardedStream>> forwards;
    std::vector<std::string> ended;
    std::vector<std::string> dtmf;
};

// A browser's publish offer: one sendonly m-line per (kind, mid, msid).
struct Track {
    std::string kind, mid, msid;
};
inline std::string offerSdp(const std::vector<Track>& tracks) {
    std::string out = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE";
    for (const auto& t : tracks) out += " " + t.mid;
    out += "\r\n";
    for (const auto& t : tracks) {
        out += "m=" + t.kind + " 9 UDP/TLS/RTP/SAVPF " + (t.kind == "audio" ? "111" : "96") +
               "\r\nc=IN IP4 0.0.0.0\r\n";
        out +=
            "a=mid:" + t.mid + "\r\na=sendonly\r\na=msid:" + t.msid + " " + t.msid + "-track\r\n";
        out += t.kind == "audio" ? "a=rtpmap:111 opus/48000/2\r\n" : "a=rtpmap:96 VP8/90000\r\n";
    }
    return out;
}
// Janus's answer to it (the same m-lines, recvonly).
inline std::string answerSdp(const std::vector<Track>& tracks) {
    std::string out = "v=0\r\no=- 2 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE";
    for (const auto& t : tracks) out += " " + t.mid;
    out += "\r\n";
    for (const auto& t : tracks) {
        out += "m=" + t.kind + " 9 UDP/TLS/RTP/SAVPF " + (t.kind == "audio" ? "111" : "96") +
               "\r\nc=IN IP4 0.0.0.0\r\n";
        out += "a=mid:" + t.mid + "\r\na=recvonly\r\n";
        out += t.kind == "audio" ? "a=rtpmap:111 opus/48000/2\r\n" : "a=rtpmap:96 VP8/90000\r\n";
    }
    return out;
}
// A subscriber offer from Janus with one m-line per stream: mids "s0", "s1", …
struct Offered {
    std::uint64_t feed;
    std::string feedMid, kind;
};
inline json subscriberOffer(const std::vector<Offered>& streams, json& data) {
    std::string sdp = "v=0\r\no=- 3 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n";
    data = json{{"streams", json::array()}};
    for (std::size_t i = 0; i < streams.size(); ++i) {
        const auto mid = "s" + std::to_string(i);
        sdp += "m=" + streams[i].kind + " 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:" + mid +
               "\r\na=sendonly\r\na=msid:janus janus" + mid + "\r\n";
        data["streams"].push_back({{"mid", mid},
                                   {"feed_id", streams[i].feed},
                                   {"feed_mid", streams[i].feedMid},
                                   {"active", true}});
    }
    return json{{"type", "offer"}, {"sdp", sdp}};
}

}  // namespace sb::media::testing
