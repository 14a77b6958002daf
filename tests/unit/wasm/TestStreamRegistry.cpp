// Remote stream registry: announce once when complete, withdraw when gone (reference §1.3).
#include <catch2/catch.hpp>

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
        registry.applyOffer(metadata, {{"cam", 2}, {"phone", 1}});
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
        registry.applyOffer(metadata, {{"cam", 2}, {"phone", 1}});  // same offer again
        CHECK(log.size() == 2);
    }
    SECTION("a stream whose msid is gone from the next offer is withdrawn") {
        registry.applyOffer(metadata, {{"cam", 2}, {"phone", 1}});
        registry.trackAdded("phone", "t3");
        registry.applyOffer(metadata, {{"cam", 2}});
        CHECK(log == std::vector<std::string>{"available:phone", "unavailable:phone"});
        CHECK(registry.find("phone") == nullptr);
    }
    SECTION("a stream is withdrawn when all its tracks were removed") {
        registry.applyOffer(metadata, {{"cam", 2}});
        registry.trackAdded("cam", "t1");
        registry.trackAdded("cam", "t2");
        registry.trackRemoved("cam", "t1");
        CHECK_FALSE(log.back() == "unavailable:cam");
        registry.trackRemoved("cam", "t2");
        CHECK(log.back() == "unavailable:cam");
        CHECK_FALSE(registry.announced("cam"));
    }
    SECTION("a stream never announced is not withdrawn") {
        registry.applyOffer(metadata, {{"cam", 2}});
        registry.trackAdded("cam", "t1");
        registry.applyOffer(metadata, {});
        CHECK(log.empty());
    }
    SECTION("tracks of a stream the offer does not send are never announced") {
        registry.trackAdded("stray", "t9");
        CHECK(log.empty());
    }
    SECTION("clear withdraws every announced stream") {
        registry.applyOffer(metadata, {{"phone", 1}, {"cam", 2}});
        registry.trackAdded("phone", "t3");
        registry.clear();
        CHECK(log == std::vector<std::string>{"available:phone", "unavailable:phone"});
    }
}
