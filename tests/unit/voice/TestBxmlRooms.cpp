// BXML verbs of the rooms part: <Bridge> (dev.bandwidth.com/docs/voice/bxml/bridge).
#include <catch2/catch.hpp>

#include "server/voice/Bxml.hpp"

using namespace sb::voice::bxml;

namespace {
std::string errorOf(const std::string& document) {
    try {
        parse(document);
    } catch (const BxmlError& e) {
        return e.what();
    }
    FAIL("parsed: " << document);
    return {};
}
}  // namespace

TEST_CASE("<Bridge> with every attribute Bandwidth defines", "[voice][Bxml][rooms]") {
    auto verbs = parse(R"(<Response><Bridge bridgeCompleteUrl="/done" bridgeCompleteMethod="get"
        bridgeTargetCompleteUrl="https://app.example/target" bridgeTargetCompleteMethod="POST" tag="t"
        username="u" password="p" fallbackUsername="fu" fallbackPassword="fp"
        bridgeCompleteFallbackUrl="https://b/x" bridgeCompleteFallbackMethod="GET"
        bridgeTargetCompleteFallbackUrl="https://b/y" bridgeTargetCompleteFallbackMethod="POST">
        c-86d2a5b1-1d4a5c2e-8c4a-4a3a-9c5c-0242ac110002 </Bridge></Response>)");
    REQUIRE(verbs.size() == 1);
    const auto& b = std::get<Bridge>(verbs[0]);
    CHECK(verbName(verbs[0]) == "Bridge");
    CHECK(b.targetCall == "c-86d2a5b1-1d4a5c2e-8c4a-4a3a-9c5c-0242ac110002");
    REQUIRE(b.bridgeComplete);
    CHECK(b.bridgeComplete->url == "/done");
    CHECK(b.bridgeComplete->method == "GET");
    CHECK(b.bridgeComplete->fallbackUrl == "https://b/x");
    CHECK(b.bridgeComplete->fallbackMethod == "GET");
    REQUIRE(b.bridgeTargetComplete);
    CHECK(b.bridgeTargetComplete->url == "https://app.example/target");
    CHECK(b.bridgeTargetComplete->method == "POST");
    CHECK(b.bridgeTargetComplete->fallbackUrl == "https://b/y");
    REQUIRE(b.bridgeTargetComplete->fallbackCredentials);
    CHECK(b.bridgeTargetComplete->fallbackCredentials->password == "fp");
    CHECK(b.tag == "t");

    auto plain = std::get<Bridge>(parse("<Response><Bridge>c-1</Bridge></Response>")[0]);
    CHECK_FALSE(plain.bridgeComplete);
    CHECK_FALSE(plain.bridgeTargetComplete);
    CHECK_FALSE(plain.tag);
}

TEST_CASE("bad <Bridge> elements are refused with the reason", "[voice][Bxml][rooms]") {
    CHECK_THAT(errorOf("<Response><Bridge/></Response>"),
               Catch::Contains("verb 1 <Bridge>: needs the target call's id"));
    CHECK_THAT(errorOf("<Response><Bridge>c 1</Bridge></Response>"),
               Catch::Contains("is not a call id"));
    CHECK_THAT(errorOf("<Response><Bridge>" + std::string(129, 'a') + "</Bridge></Response>"),
               Catch::Contains("is not a call id"));
    CHECK_THAT(errorOf("<Response><Bridge callId=\"x\">c-1</Bridge></Response>"),
               Catch::Contains("unknown attribute \"callId\""));
    CHECK_THAT(errorOf("<Response><Bridge bridgeCompleteMethod=\"PUT\">c-1</Bridge></Response>"),
               Catch::Contains("bridgeCompleteMethod \"PUT\" must be GET or POST"));
    CHECK_THAT(
        errorOf("<Response><Bridge bridgeTargetCompleteUrl=\"ftp://x/y\">c-1</Bridge></Response>"),
        Catch::Contains("is not an http(s) URL"));
    CHECK_THAT(
        errorOf("<Response><Bridge tag=\"" + std::string(257, 't') + "\">c-1</Bridge></Response>"),
        Catch::Contains("tag must be at most 256"));
    CHECK_THAT(errorOf("<Response><Bridge><Hangup/></Bridge></Response>"),
               Catch::Contains("must not contain <Hangup>"));
    // The call id is what the document said: not repeated to readers of the call.
    CHECK(withoutContent(errorOf("<Response><Bridge>c 1</Bridge></Response>")).find("c 1") ==
          std::string::npos);
}
