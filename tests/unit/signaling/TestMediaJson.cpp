// Media's typed results as the device protocol carries them (server/signaling/MediaJson):
// the shapes of docs/protocol.md "Methods", the JSON-RPC code of each media error, and the
// WebSocket close of each reason a device is dropped.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "server/signaling/MediaJson.hpp"

using nlohmann::json;
using sb::protocol::RpcErrorCode;
namespace media = sb::media;
namespace signaling = sb::signaling;

namespace {
media::StreamMetadata twoStreams() {
    media::StreamMetadata m;
    m["msid-cam"] = {"msid-cam", "p-1", std::string("camera"), {"AUDIO", "VIDEO"}};
    m["msid-phone"] = {"msid-phone", "p-2", std::nullopt, {"AUDIO"}};
    return m;
}
}  // namespace

TEST_CASE("StreamMetadata is keyed by msid; alias appears only when set",
          "[server][signaling][MediaJson]") {
    json j = signaling::toJson(twoStreams());
    CHECK(j == json::parse(R"({
        "msid-cam": {"endpointId":"msid-cam","participantId":"p-1","alias":"camera",
                     "mediaTypes":["AUDIO","VIDEO"]},
        "msid-phone": {"endpointId":"msid-phone","participantId":"p-2","mediaTypes":["AUDIO"]}
    })"));
    CHECK_FALSE(j["msid-phone"].contains("alias"));  // absent, not null

    SECTION("the media types keep their order") {
        media::StreamMetadata m;
        m["s"] = {"s", "p", std::nullopt, {"VIDEO", "AUDIO"}};
        CHECK(signaling::toJson(m)["s"]["mediaTypes"] == json::array({"VIDEO", "AUDIO"}));
    }
    SECTION("no streams is an empty object, not null") {
        json empty = signaling::toJson(media::StreamMetadata{});
        CHECK(empty.is_object());
        CHECK(empty.empty());
    }
    SECTION("an empty alias is still an alias") {
        media::StreamMetadata m;
        m["s"] = {"s", "p", std::string(), {"AUDIO"}};
        CHECK(signaling::toJson(m)["s"]["alias"] == "");
    }
}

TEST_CASE("offerSdp's result: endpointId, sdpAnswer, streamMetadata",
          "[server][signaling][MediaJson]") {
    media::PublishAnswer answer{"ep-1", "v=0\r\nanswer", twoStreams()};
    json j = signaling::toJson(answer);
    CHECK(j.size() == 3);
    CHECK(j["endpointId"] == "ep-1");
    CHECK(j["sdpAnswer"] == "v=0\r\nanswer");
    CHECK(j["streamMetadata"] == signaling::toJson(twoStreams()));
}

TEST_CASE("sdpOffer's params: endpointId, sdpOffer, sdpRevision, streamMetadata",
          "[server][signaling][MediaJson]") {
    media::StreamsOffer offer{"ep-2", "v=0\r\noffer", 7, twoStreams()};
    json j = signaling::toJson(offer);
    CHECK(j.size() == 4);
    CHECK(j["endpointId"] == "ep-2");
    CHECK(j["sdpOffer"] == "v=0\r\noffer");
    CHECK(j["sdpRevision"].is_number_integer());
    CHECK(j["sdpRevision"] == 7);
    CHECK(j["streamMetadata"]["msid-cam"]["participantId"] == "p-1");
}

TEST_CASE("dtmf's params: participantId, tone, endpointId", "[server][signaling][MediaJson]") {
    json j = signaling::toJson(media::HeardDtmf{"p-phone", "5", "msid-phone"});
    CHECK(j == json{{"participantId", "p-phone"}, {"tone", "5"}, {"endpointId", "msid-phone"}});
}

TEST_CASE("Each media error becomes its documented JSON-RPC code",
          "[server][signaling][MediaJson]") {
    using Kind = media::MediaError::Kind;
    struct Row {
        Kind kind;
        RpcErrorCode code;
    };
    // docs/protocol.md: -32003 invalid state, -32001 not permitted, -32002 media server.
    for (auto [kind, code] : {Row{Kind::NotConnected, RpcErrorCode::InvalidState},
                              Row{Kind::Busy, RpcErrorCode::InvalidState},
                              Row{Kind::NotPermitted, RpcErrorCode::NotPermitted},
                              Row{Kind::MediaServer, RpcErrorCode::MediaServer}}) {
        auto e = signaling::rpcErrorOf(media::MediaError{kind, "why"});
        CHECK(e.code() == code);
        CHECK(e.field().empty());
        CHECK(std::string(e.what()).find("why") != std::string::npos);
    }
    // Janus's own words are marked as the media server's.
    CHECK(std::string(signaling::rpcErrorOf({Kind::MediaServer, "timeout"}).what()) ==
          "Media server error: timeout");
    CHECK(std::string(signaling::rpcErrorOf({Kind::Busy, "negotiating"}).what()) == "negotiating");
}

TEST_CASE("A dropped device is closed with 4000 + the HTTP status of the cause",
          "[server][signaling][MediaJson]") {
    CHECK(signaling::closeOf(media::CloseReason::ParticipantDeleted) ==
          std::pair<std::uint16_t, std::string>{4404, "participant deleted"});
    CHECK(signaling::closeOf(media::CloseReason::SessionDeleted) ==
          std::pair<std::uint16_t, std::string>{4410, "session deleted"});
}
