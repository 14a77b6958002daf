// Remote stream registry: announce once when complete, withdraw when gone (reference §1.3).
#include <catch2/catch.hpp>

#include <initializer_list>
#include <utility>

#include "wasm/core/StreamRegistry.hpp"

using namespace sb::sdk;

namespace {
Json meta(const std::string& participant, std::vector<const char*> types,
          const char* alias = nullptr) {
    Json m = Json::object();
    m.set("endpointId", "ep");
    m.set("participantId", participant);
    Json t = Json::array();
    for (auto* type : types) t.push(type);
    m.set("mediaTypes", std::move(t));
    if (alias) m.set("alias", alias);
    return m;
}
// sdp::TrackCounts, {"<stream id>": count}, in the order given.
sdp::TrackCounts counts(std::initializer_list<std::pair<const char*, int>> entries) {
    sdp::TrackCounts out = Json::object();
    for (const auto& [id, n] : entries) out.set(id, n);
    return out;
}
}  // namespace

SCENARIO("StreamRegistry", "[wasm][core][StreamRegistry]") {
    EventQueue events;
    std::vector<std::string> log;
    std::vector<StreamInfo> infos;
    StreamRegistry::Available available = [&](const StreamInfo& s) {
        log.push_back("available:" + s.streamId);
        infos.push_back(s);
    };
    StreamRegistry::Unavailable unavailable = [&](const std::string& id) {
        log.push_back("unavailable:" + id);
    };
    StreamRegistry registry(events, available, unavailable);
    Json metadata = Json::object();
    metadata.set("cam", meta("alice", {"AUDIO", "VIDEO"}, "webcam"));
    metadata.set("phone", meta("bob", {"AUDIO"}));

    SECTION(
        "a stream is announced once, after all its tracks arrived, with the server's metadata") {
        registry.applyOffer(metadata, counts({{"cam", 2}, {"phone", 1}}));
        registry.trackAdded("cam", "t1");
        CHECK(log.empty());
        registry.trackAdded("phone", "t3");
        registry.trackAdded("cam", "t2");
        registry.trackAdded("cam", "t2");
        CHECK(log == std::vector<std::string>{"available:phone", "available:cam"});
        REQUIRE(infos.size() == 2);
        CHECK(infos[1].participantId == "alice");
        CHECK(infos[1].alias == "webcam");
        CHECK(infos[1].mediaTypes == std::vector<std::string>{"AUDIO", "VIDEO"});
        CHECK(infos[0].alias.empty());
        registry.applyOffer(metadata, counts({{"cam", 2}, {"phone", 1}}));  // same offer again
        CHECK(log.size() == 2);
    }
    SECTION("a stream whose msid is gone from the next offer is withdrawn") {
        registry.applyOffer(metadata, counts({{"cam", 2}, {"phone", 1}}));
        registry.trackAdded("phone", "t3");
        registry.applyOffer(metadata, counts({{"cam", 2}}));
        CHECK(log == std::vector<std::string>{"available:phone", "unavailable:phone"});
        CHECK(registry.find("phone") == nullptr);
    }
    SECTION("a stream is withdrawn when all its tracks were removed") {
        registry.applyOffer(metadata, counts({{"cam", 2}}));
        registry.trackAdded("cam", "t1");
        registry.trackAdded("cam", "t2");
        registry.trackRemoved("cam", "t1");
        CHECK_FALSE(log.back() == "unavailable:cam");
        registry.trackRemoved("cam", "t2");
        CHECK(log.back() == "unavailable:cam");
        CHECK_FALSE(registry.announced("cam"));
    }
    SECTION("a stream never announced is not withdrawn") {
        registry.applyOffer(metadata, counts({{"cam", 2}}));
        registry.trackAdded("cam", "t1");
        registry.applyOffer(metadata, counts({}));
        CHECK(log.empty());
    }
    SECTION("tracks of a stream the offer does not send are never announced") {
        registry.trackAdded("stray", "t9");
        CHECK(log.empty());
    }
    SECTION("clear withdraws every announced stream") {
        registry.applyOffer(metadata, counts({{"phone", 1}, {"cam", 2}}));
        registry.trackAdded("phone", "t3");
        registry.clear();
        CHECK(log == std::vector<std::string>{"available:phone", "unavailable:phone"});
    }
}
