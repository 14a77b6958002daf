// What Janus sends is read without trusting its shape: a malformed reply is an error for its own
// request, never an exception.
#include <catch2/catch.hpp>

#include "server/media/JanusMessages.hpp"

using namespace sb::media;
using nlohmann::json;

TEST_CASE("parseReply accepts well-formed replies", "[media][janus]") {
    auto ok =
        janus::parseReply(json::parse(R"({"janus":"success","transaction":"1","data":{"id":42}})"));
    CHECK(ok.ok);
    CHECK(janus::uintAt(ok.data, "id") == std::optional<std::uint64_t>(42));
    auto ev = janus::parseReply(json::parse(
        R"({"janus":"event","plugindata":{"plugin":"janus.plugin.videoroom","data":{"videoroom":"joined","id":7}},
            "jsep":{"type":"answer","sdp":"v=0\r\n"}})"));
    CHECK(ev.ok);
    CHECK(ev.jsep["sdp"] == "v=0\r\n");
    auto none = janus::parseReply(json::parse(R"({"janus":"success"})"));
    CHECK(none.ok);
    CHECK(none.data.is_object());
    CHECK(none.jsep.is_null());
}

TEST_CASE("parseReply turns Janus and plugin errors into errors, with safe text",
          "[media][janus]") {
    auto e = janus::parseReply(
        json::parse(R"({"janus":"error","error":{"code":458,"reason":"No such session"}})"));
    CHECK_FALSE(e.ok);
    CHECK(e.error == "No such session");
    auto p = janus::parseReply(json::parse(
        R"({"janus":"event","plugindata":{"data":{"error_code":426,"error":"No such room"}}})"));
    CHECK(p.error == "No such room (426)");
    auto weird =
        janus::parseReply(json::parse(R"({"janus":"error","error":"text instead of an object"})"));
    CHECK(weird.error == "error");
    auto control = janus::parseReply(
        json{{"janus", "error"},
             {"error", {{"reason", std::string("a\x01\nb") + std::string(500, 'x')}}}});
    CHECK(control.error.rfind("a??b", 0) == 0);
    CHECK(control.error.size() == 200);
    auto badCode = janus::parseReply(
        json::parse(R"({"janus":"event","plugindata":{"data":{"error_code":"x","error":5}}})"));
    CHECK(badCode.error == "plugin error (?)");
}

TEST_CASE("parseReply reports malformed replies instead of throwing", "[media][janus]") {
    for (const char* text :
         {R"([1,2,3])", R"("janus")", R"({"janus":5})", R"({"transaction":"1"})",
          R"({"janus":"success","data":[1]})", R"({"janus":"success","data":"x"})",
          R"({"janus":"event","plugindata":"x"})", R"({"janus":"event","plugindata":{"data":7}})",
          R"({"janus":"event","plugindata":{}})",
          R"({"janus":"event","plugindata":{"data":{}},"jsep":"sdp"})",
          R"({"janus":"event","plugindata":{"data":{}},"jsep":{"type":"answer"}})",
          R"({"janus":"event","plugindata":{"data":{}},"jsep":{"type":1,"sdp":"v=0"}})",
          R"({"janus":"event","plugindata":{"data":{}},"jsep":{"type":"answer","sdp":["v=0"]}})"}) {
        INFO(text);
        JanusReply r;
        REQUIRE_NOTHROW(r = janus::parseReply(json::parse(text)));
        CHECK_FALSE(r.ok);
        CHECK(r.error == janus::kMalformed);
    }
}

TEST_CASE("typed field reads never throw", "[media][janus]") {
    auto j = json::parse(R"({"n":5,"neg":-1,"f":1.5,"s":"x","b":true,"a":[1],"o":{}})");
    CHECK(janus::uintAt(j, "n") == std::optional<std::uint64_t>(5));
    CHECK_FALSE(janus::uintAt(j, "neg"));
    CHECK_FALSE(janus::uintAt(j, "f"));
    CHECK_FALSE(janus::uintAt(j, "s"));
    CHECK_FALSE(janus::uintAt(j, "missing"));
    CHECK_FALSE(janus::uintAt(json::array(), "n"));
    CHECK(janus::stringAt(j, "s") == std::optional<std::string>("x"));
    CHECK_FALSE(janus::stringAt(j, "n"));
    CHECK(janus::boolAt(j, "b") == std::optional<bool>(true));
    CHECK_FALSE(janus::boolAt(j, "n"));
    CHECK(janus::arrayAt(j, "a").size() == 1);
    CHECK(janus::arrayAt(j, "o").empty());
    CHECK(janus::arrayAt(json("str"), "a").empty());
    CHECK(janus::senderOf(json::parse(R"({"sender":12})")) == std::optional<HandleId>(12));
    CHECK_FALSE(janus::senderOf(json::parse(R"({"sender":"12"})")));
    CHECK_FALSE(janus::senderOf(json::parse(R"({"sender":0})")));
}
