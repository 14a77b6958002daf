// BXML parsing: every verb we execute, its limits, and clear reasons for refusals.
#include <catch2/catch.hpp>

#include "server/voice/Bxml.hpp"

using namespace sb::voice::bxml;

namespace {
std::string doc(const std::string& verbs) {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response>" + verbs + "</Response>";
}
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

TEST_CASE("a document with every executable verb", "[voice][Bxml]") {
    auto verbs = parse(doc(R"(
        <Pause duration="2.5"/>
        <PlayAudio>https://cdn.example.com/hello.wav</PlayAudio>
        <SendDtmf toneDuration="100" toneInterval="150">12w34#*AbW,</SendDtmf>
        <Ring duration="3"/>
        <Tag>campaign-7</Tag>
        <Transfer transferCallerId="+15555550100" callTimeout="20" tag="t1"
                  transferCompleteUrl="/done" transferCompleteMethod="get">
            <PhoneNumber transferAnswerUrl="https://app/answer" transferDisconnectMethod="GET">+15555550123</PhoneNumber>
            <SipUri uui="93d6f3c0be5845960b744fa28015d8ede84bd1a4;encoding=base64,aaa.bbb.ccc;encoding=jwt"
                    transferDisconnectUrl="https://app/td">sip:sipx.webrtc.bandwidth.com:5060</SipUri>
        </Transfer>
        <Redirect redirectUrl="next.xml" redirectMethod="GET" tag=""/>
        <Hangup/>)"));
    REQUIRE(verbs.size() == 8);
    CHECK(std::get<Pause>(verbs[0]).duration == Approx(2.5));
    CHECK(std::get<PlayAudio>(verbs[1]).url == "https://cdn.example.com/hello.wav");
    auto withCredentials = parse(
        "<Response><PlayAudio username=\"cdn\" password=\"s3cret\">a.wav</PlayAudio></Response>");
    const auto& credentials = std::get<PlayAudio>(withCredentials[0]).credentials;
    REQUIRE(credentials);
    CHECK(credentials->username == "cdn");
    CHECK(credentials->password == "s3cret");
    const auto& dtmf = std::get<SendDtmf>(verbs[2]);
    CHECK(dtmf.digits == "12w34#*AbW,");
    CHECK(dtmf.toneDuration == 100);
    CHECK(dtmf.toneInterval == 150);
    CHECK(std::get<Ring>(verbs[3]).duration == 3);
    CHECK(std::get<Tag>(verbs[4]).value == "campaign-7");
    const auto& t = std::get<Transfer>(verbs[5]);
    CHECK(t.transferCallerId == std::optional<std::string>("+15555550100"));
    CHECK(t.callTimeout == std::optional<double>(20));
    CHECK(t.tag == std::optional<std::string>("t1"));
    REQUIRE(t.transferComplete);
    CHECK(t.transferComplete->url == "/done");
    CHECK(t.transferComplete->method == "GET");
    REQUIRE(t.targets.size() == 2);
    const auto& phone = std::get<PhoneNumberTarget>(t.targets[0]);
    CHECK(phone.number == "+15555550123");
    REQUIRE(phone.callbacks.transferAnswer);
    CHECK(phone.callbacks.transferAnswer->url == "https://app/answer");
    CHECK_FALSE(phone.callbacks.transferDisconnect);  // a method without a URL: no callback
    const auto& sip = std::get<SipUriTarget>(t.targets[1]);
    CHECK(sip.uri == "sip:sipx.webrtc.bandwidth.com:5060");
    CHECK(sip.uui ==
          std::optional<std::string>(
              "93d6f3c0be5845960b744fa28015d8ede84bd1a4;encoding=base64,aaa.bbb.ccc;encoding=jwt"));
    REQUIRE(sip.callbacks.transferDisconnect);
    CHECK(sip.callbacks.transferDisconnect->url == "https://app/td");
    const auto& r = std::get<Redirect>(verbs[6]);
    CHECK(r.redirect.url == "next.xml");
    CHECK(r.redirect.method == "GET");
    CHECK(r.tag == std::optional<std::string>(""));
    CHECK(std::holds_alternative<Hangup>(verbs[7]));
    CHECK(verbName(verbs[5]) == "Transfer");
}

TEST_CASE("defaults, the Bxml root, comments, CDATA and blank documents", "[voice][Bxml]") {
    auto verbs = parse(
        "<Bxml><!-- hi --><Pause/><Ring/><PlayAudio><![CDATA[a.wav?x=1&y=2]]></PlayAudio>"
        "<SendDtmf>1</SendDtmf></Bxml>");
    REQUIRE(verbs.size() == 4);
    CHECK(std::get<Pause>(verbs[0]).duration == 1);
    CHECK(std::get<Ring>(verbs[1]).duration == 5);
    CHECK(std::get<PlayAudio>(verbs[2]).url == "a.wav?x=1&y=2");
    CHECK_FALSE(std::get<PlayAudio>(verbs[2]).credentials);
    CHECK(std::get<SendDtmf>(verbs[3]).toneDuration == 200);
    CHECK(std::get<SendDtmf>(verbs[3]).toneInterval == 400);
    CHECK(parse("").empty());
    CHECK(parse(" \r\n").empty());
    CHECK(parse("<Response/>").empty());
    // Bandwidth attributes we do not implement are accepted and ignored.
    CHECK(parse(doc(R"(<Redirect redirectUrl="http://a/b" username="u" password="p"/>)")).size() ==
          1);
}

TEST_CASE("verbs that exist but are not executed are marked unsupported", "[voice][Bxml]") {
    auto verbs = parse(doc("<StartStream destination=\"wss://x\"/><Forward to=\"+15555550123\"/>"));
    REQUIRE(verbs.size() == 2);
    CHECK(std::get<Unsupported>(verbs[0]).verb == "StartStream");
    CHECK(verbName(verbs[1]) == "Forward");
}

TEST_CASE("malformed documents are refused with the reason", "[voice][Bxml]") {
    CHECK_THAT(errorOf("<Response><Pause></Response>"), Catch::Contains("not well-formed XML"));
    CHECK_THAT(errorOf("<Response>"), Catch::Contains("at byte"));
    CHECK_THAT(errorOf("<Html><Pause/></Html>"), Catch::Contains("root element is <Html>"));
    CHECK_THAT(errorOf("<Response/><Response/>"), Catch::Contains("invalid BXML"));
    CHECK_THAT(errorOf(doc("hello<Hangup/>")), Catch::Contains("outside any verb"));
    CHECK_THAT(errorOf(doc("<Dance/>")), Catch::Contains("verb 1 <Dance>: unknown verb"));
    CHECK_THAT(errorOf(std::string(kMaxDocumentBytes + 1, ' ')),
               Catch::Contains("the limit is 65536"));
    std::string many;
    for (std::size_t i = 0; i <= kMaxVerbs; ++i) many += "<Hangup/>";
    CHECK_THAT(errorOf(doc(many)), Catch::Contains("more than 256 verbs"));
}

TEST_CASE("attribute values out of range or misspelled", "[voice][Bxml]") {
    CHECK_THAT(errorOf(doc("<Pause duration=\"0\"/>")),
               Catch::Contains("verb 1 <Pause>: duration \"0\" is out of range: must be between "
                               "0.1 and 86400 seconds"));
    CHECK_THAT(errorOf(doc("<Pause duration=\"86401\"/>")), Catch::Contains("out of range"));
    CHECK_THAT(errorOf(doc("<Pause duration=\"abc\"/>")), Catch::Contains("not a decimal number"));
    CHECK_THAT(errorOf(doc("<Pause duration=\"-1\"/>")), Catch::Contains("out of range"));
    CHECK_THAT(errorOf(doc("<Pause duration=\"1e3\"/>")), Catch::Contains("not a decimal number"));
    CHECK_THAT(errorOf(doc("<Pause lenght=\"2\"/>")),
               Catch::Contains("unknown attribute \"lenght\""));
    CHECK_THAT(errorOf(doc("<Hangup>now</Hangup>")), Catch::Contains("must not have text content"));
    CHECK_THAT(errorOf(doc("<Redirect/>")), Catch::Contains("redirectUrl attribute is required"));
    CHECK_THAT(errorOf(doc("<Redirect redirectUrl=\"ftp://x/y\"/>")),
               Catch::Contains("not an http(s) URL"));
    CHECK_THAT(errorOf(doc("<Redirect redirectUrl=\"/x\" redirectMethod=\"PUT\"/>")),
               Catch::Contains("must be GET or POST"));
    CHECK_THAT(errorOf(doc("<PlayAudio></PlayAudio>")), Catch::Contains("has no URL"));
    CHECK_THAT(errorOf(doc("<PlayAudio password=\"p\">a.wav</PlayAudio>")),
               Catch::Contains("password is set but username is not"));
    CHECK_THAT(errorOf(doc("<Tag>" + std::string(257, 'x') + "</Tag>")),
               Catch::Contains("at most 256"));
}

TEST_CASE("SendDtmf digits", "[voice][Bxml]") {
    CHECK_THAT(errorOf(doc("<SendDtmf>12x</SendDtmf>")),
               Catch::Contains("'x' is not a DTMF digit"));
    CHECK_THAT(errorOf(doc("<SendDtmf></SendDtmf>")), Catch::Contains("has no digits"));
    CHECK_THAT(errorOf(doc("<SendDtmf>" + std::string(51, '1') + "</SendDtmf>")),
               Catch::Contains("the limit is 50"));
    CHECK(parse(doc("<SendDtmf>" + std::string(50, '1') + "</SendDtmf>")).size() == 1);
    CHECK_THAT(errorOf(doc("<SendDtmf toneDuration=\"10\">1</SendDtmf>")),
               Catch::Contains("between 50 and 5000 ms"));
}

TEST_CASE("Transfer targets and attributes", "[voice][Bxml]") {
    CHECK_THAT(errorOf(doc("<Transfer/>")),
               Catch::Contains("needs at least one <PhoneNumber> or <SipUri>"));
    CHECK_THAT(errorOf(doc("<Transfer><PhoneNumber>5551234</PhoneNumber></Transfer>")),
               Catch::Contains("target 1 <PhoneNumber>: \"5551234\" is not an E.164 number"));
    CHECK_THAT(errorOf(doc("<Transfer><SipUri>http://x</SipUri></Transfer>")),
               Catch::Contains("is not a sip: or sips: URI"));
    CHECK_THAT(errorOf(doc("<Transfer><Pause/></Transfer>")),
               Catch::Contains("<Pause> is not allowed here"));
    CHECK_THAT(
        errorOf(doc(
            "<Transfer callTimeout=\"301\"><PhoneNumber>+15555550123</PhoneNumber></Transfer>")),
        Catch::Contains("between 1 and 300 seconds"));
    CHECK_THAT(
        errorOf(
            doc("<Transfer "
                "transferCallerId=\"5551234\"><PhoneNumber>+15555550123</PhoneNumber></Transfer>")),
        Catch::Contains("transferCallerId"));
    CHECK(parse(doc("<Transfer "
                    "transferCallerId=\"Anonymous\"><PhoneNumber>+15555550123</PhoneNumber></"
                    "Transfer>"))
              .size() == 1);
    std::string nine;
    for (int i = 0; i < 9; ++i) nine += "<PhoneNumber>+15555550123</PhoneNumber>";
    CHECK_THAT(errorOf(doc("<Transfer>" + nine + "</Transfer>")), Catch::Contains("more than 8"));
}

TEST_CASE("SipUri uui follows Bandwidth's rules", "[voice][Bxml]") {
    auto sip = [](const std::string& uui) {
        return doc("<Transfer><SipUri uui=\"" + uui + "\">sip:a@b</SipUri></Transfer>");
    };
    CHECK(parse(sip("abc.def.ghi;encoding=jwt")).size() == 1);
    CHECK_THAT(errorOf(sip("abc.def.ghi")),
               Catch::Contains("uui: User-To-User value 1 must end with an ;encoding="));
    CHECK_THAT(errorOf(sip("00ff;encoding=hex")), Catch::Contains("encoding \"hex\""));
    CHECK_THAT(errorOf(sip(std::string(500, 'a') + ";encoding=base64")),
               Catch::Contains("at most 512 characters"));
    CHECK_THAT(errorOf(sip("not a jwt;encoding=jwt")), Catch::Contains("uui"));
}

TEST_CASE("elements nested deeper than kMaxDepth are refused before any verb is read",
          "[voice][Bxml]") {
    auto nested = [](std::size_t levels) {
        std::string open, close;
        for (std::size_t i = 0; i < levels; ++i) {
            open += "<Transfer>";
            close = "</Transfer>" + close;
        }
        return "<Response>" + open + close + "</Response>";
    };
    // <Response> counts as the first level.
    CHECK_THAT(errorOf(nested(kMaxDepth)), Catch::Contains("nested more than 8 deep"));
    CHECK_THAT(errorOf(nested(3000)), Catch::Contains("nested more than 8 deep"));
    // Depth within the limit reaches the verb's own checks.
    CHECK_THAT(errorOf(nested(kMaxDepth - 1)), !Catch::Contains("nested"));
    CHECK_NOTHROW(parse(doc("<Transfer><PhoneNumber>+15551234567</PhoneNumber></Transfer>")));
}
