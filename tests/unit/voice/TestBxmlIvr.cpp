// Parsing of <SpeakSentence>, <Gather>, <StartGather>, <StopGather>: attributes, defaults,
// ranges, nested prompts, voices, and clear refusals.
#include <catch2/catch.hpp>

#include "server/voice/Bxml.hpp"

using namespace sb::voice::bxml;
using Catch::Contains;

namespace {
Verb one(const std::string& verb) {
    auto verbs = parse("<Response>" + verb + "</Response>");
    REQUIRE(verbs.size() == 1);
    return verbs[0];
}
}  // namespace

TEST_CASE("SpeakSentence: text and voice mapping", "[voice][bxml][ivr]") {
    auto s = std::get<SpeakSentence>(one("<SpeakSentence>Press one for sales.</SpeakSentence>"));
    CHECK(s.text == "Press one for sales.");
    CHECK(s.voice == "slt");
    CHECK(std::get<SpeakSentence>(one("<SpeakSentence gender=\"male\">x</SpeakSentence>")).voice ==
          "rms");
    CHECK(std::get<SpeakSentence>(
              one("<SpeakSentence gender=\"Female\" locale=\"en_US\">x</SpeakSentence>"))
              .voice == "slt");
    CHECK(std::get<SpeakSentence>(one("<SpeakSentence voice=\"paul\">x</SpeakSentence>")).voice ==
          "rms");
    CHECK(std::get<SpeakSentence>(one("<SpeakSentence voice=\"julie\">x</SpeakSentence>")).voice ==
          "slt");
    CHECK(std::get<SpeakSentence>(one("<SpeakSentence voice=\"Kate\">x</SpeakSentence>")).voice ==
          "slt");
    // voice wins over gender (Bandwidth: gender and locale are ignored when voice is present)
    CHECK(std::get<SpeakSentence>(
              one("<SpeakSentence voice=\"simon\" gender=\"female\">x</SpeakSentence>"))
              .voice == "awb");
    // Other locales are spoken by the English voices.
    CHECK(std::get<SpeakSentence>(
              one("<SpeakSentence locale=\"fr_FR\" gender=\"male\">x</SpeakSentence>"))
              .voice == "rms");
}

TEST_CASE("SpeakSentence refusals say why", "[voice][bxml][ivr]") {
    CHECK_THROWS_WITH(parse("<Response><SpeakSentence/></Response>"), Contains("no text to speak"));
    CHECK_THROWS_WITH(
        parse("<Response><SpeakSentence gender=\"robot\">x</SpeakSentence></Response>"),
        Contains("gender \"robot\" must be male or female"));
    CHECK_THROWS_WITH(
        parse("<Response><SpeakSentence locale=\"english\">x</SpeakSentence></Response>"),
        Contains("not a locale"));
    CHECK_THROWS_WITH(parse("<Response><SpeakSentence voice=\"a b\">x</SpeakSentence></Response>"),
                      Contains("not a voice name"));
    CHECK_THROWS_WITH(
        parse("<Response><SpeakSentence>Hi <break time=\"1s\"/></SpeakSentence></Response>"),
        Contains("must not contain <break>"));
    CHECK_THROWS_WITH(
        parse("<Response><SpeakSentence>" + std::string(2001, 'a') + "</SpeakSentence></Response>"),
        Contains("2001 characters; the limit is 2000"));
    CHECK_NOTHROW(parse("<Response><SpeakSentence>" + std::string(2000, 'a') +
                        "</SpeakSentence></Response>"));
}

TEST_CASE("Gather: defaults, attributes and nested prompts", "[voice][bxml][ivr]") {
    auto g = std::get<Gather>(one("<Gather/>"));
    CHECK(!g.gather);
    CHECK(g.maxDigits == 50);
    CHECK(g.interDigitTimeout == 5);
    CHECK(g.firstDigitTimeout == 5);
    CHECK(g.repeatCount == 1);
    CHECK(g.terminatingDigits.empty());
    g = std::get<Gather>(
        one("<Gather gatherUrl=\"/gather\" gatherMethod=\"get\" gatherFallbackUrl=\"https://b/g\" "
            "username=\"u\" "
            "password=\"p\" fallbackUsername=\"fu\" fallbackPassword=\"fp\" tag=\"t\" "
            "terminatingDigits=\"#\" "
            "maxDigits=\"4\" interDigitTimeout=\"2.5\" firstDigitTimeout=\"0\" repeatCount=\"3\">"
            "<SpeakSentence voice=\"paul\">Press 1</SpeakSentence><PlayAudio "
            "username=\"u\">menu.wav</PlayAudio></Gather>"));
    REQUIRE(g.gather);
    CHECK(g.gather->url == "/gather");
    CHECK(g.gather->method == "GET");
    CHECK(g.gather->fallbackUrl == "https://b/g");
    REQUIRE(g.gather->fallbackCredentials);
    CHECK(g.gather->fallbackCredentials->username == "fu");
    CHECK(g.tag == "t");
    CHECK(g.terminatingDigits == "#");
    CHECK(g.maxDigits == 4);
    CHECK(g.interDigitTimeout == 2.5);
    CHECK(g.firstDigitTimeout == 0);
    CHECK(g.repeatCount == 3);
    REQUIRE(g.prompts.size() == 2);
    CHECK(g.prompts[0].speak);
    CHECK(g.prompts[0].sentence.text == "Press 1");
    REQUIRE(g.prompts[1].credentials);
    CHECK(g.prompts[1].credentials->username == "u");  // fetches the prompt
    CHECK(g.prompts[0].sentence.voice == "rms");
    CHECK(!g.prompts[1].speak);
    CHECK(g.prompts[1].url == "menu.wav");
    CHECK(verbName(g) == "Gather");
}

TEST_CASE("Gather refusals say why", "[voice][bxml][ivr]") {
    auto refused = [](const std::string& verb) {
        try {
            parse("<Response>" + verb + "</Response>");
        } catch (const BxmlError& e) {
            return std::string(e.what());
        }
        return std::string("accepted");
    };
    CHECK_THAT(refused("<Gather maxDigits=\"0\"/>"),
               Contains("maxDigits \"0\" is out of range: must be between 1 and 50"));
    CHECK_THAT(refused("<Gather maxDigits=\"51\"/>"), Contains("out of range"));
    CHECK_THAT(refused("<Gather maxDigits=\"2.5\"/>"),
               Contains("maxDigits must be a whole number"));
    CHECK_THAT(refused("<Gather interDigitTimeout=\"0.5\"/>"),
               Contains("between 1 and 60 seconds"));
    CHECK_THAT(refused("<Gather firstDigitTimeout=\"3601\"/>"),
               Contains("between 0 and 3600 seconds"));
    CHECK_THAT(refused("<Gather repeatCount=\"26\"/>"), Contains("between 1 and 25"));
    CHECK_THAT(refused("<Gather terminatingDigits=\"#x\"/>"), Contains("'x' is not a DTMF digit"));
    CHECK_THAT(refused("<Gather gatherMethod=\"PUT\"/>"), Contains("must be GET or POST"));
    CHECK_THAT(refused("<Gather gatherUrl=\"ftp://x/y\"/>"), Contains("not an http(s) URL"));
    CHECK_THAT(refused("<Gather colour=\"red\"/>"), Contains("unknown attribute \"colour\""));
    CHECK_THAT(refused("<Gather><Hangup/></Gather>"), Contains("<Hangup> is not allowed here"));
    CHECK_THAT(refused("<Gather>press</Gather>"), Contains("must not have text content"));
    CHECK_THAT(refused("<Gather><SpeakSentence gender=\"x\">a</SpeakSentence></Gather>"),
               Contains("verb 1 <Gather>, prompt 1 <SpeakSentence>: gender"));
    std::string many;
    for (int i = 0; i < 21; ++i) many += "<PlayAudio>a.wav</PlayAudio>";
    CHECK_THAT(refused("<Gather>" + many + "</Gather>"), Contains("more than 20 nested prompts"));
}

TEST_CASE("StartGather and StopGather", "[voice][bxml][ivr]") {
    auto s = std::get<StartGather>(
        one("<StartGather dtmfUrl=\"/dtmf\" dtmfMethod=\"GET\" tag=\"x\" username=\"u\"/>"));
    CHECK(s.dtmf.url == "/dtmf");
    CHECK(s.dtmf.method == "GET");
    REQUIRE(s.dtmf.credentials);
    CHECK(s.dtmf.credentials->username == "u");
    CHECK(s.tag == "x");
    CHECK(std::holds_alternative<StopGather>(one("<StopGather/>")));
    CHECK_THROWS_WITH(parse("<Response><StartGather/></Response>"),
                      Contains("dtmfUrl attribute is required"));
    CHECK_THROWS_WITH(parse("<Response><StopGather>x</StopGather></Response>"),
                      Contains("must not have text content"));
}
