// Pure helpers of the SIP endpoint: the audio SDP reader/writer (User-To-User: TestUserToUser.cpp).
#include <catch2/catch.hpp>

#include "server/sip/endpoint/AudioSdp.hpp"

using namespace sb::sip;

namespace {
std::string sdpWith(const std::string& media) {
    return "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.2\r\nt=0 0\r\n" + media;
}
}  // namespace

TEST_CASE("Audio SDP offers are read with sofia's parser", "[sip][endpoint]") {
    SECTION("PCMU is preferred wherever it is listed") {
        auto d =
            parseAudioSdp(sdpWith("m=audio 4000 RTP/AVP 8 0 101\r\n"
                                  "a=rtpmap:101 telephone-event/8000\r\n"));
        REQUIRE(d.ok);
        CHECK(d.address == "127.0.0.2");
        CHECK(d.port == 4000);
        CHECK(d.g711 == std::vector<G711>{G711::Pcma, G711::Pcmu});
        CHECK(d.telephoneEventPt == 101);
        CHECK(preferredFromOffer(d) == G711::Pcmu);
        CHECK(chosenInAnswer(d) == G711::Pcma);
    }
    SECTION("PCMA only, media-level c= wins, dynamic telephone-event PT") {
        auto d =
            parseAudioSdp(sdpWith("m=audio 4002 RTP/AVP 8 96\r\nc=IN IP4 127.0.0.3\r\n"
                                  "a=rtpmap:96 telephone-event/8000\r\n"));
        REQUIRE(d.ok);
        CHECK(d.address == "127.0.0.3");
        CHECK(preferredFromOffer(d) == G711::Pcma);
        CHECK(d.telephoneEventPt == 96);
    }
    SECTION("G.729 only: parsed, but no G.711") {
        auto d = parseAudioSdp(sdpWith("m=audio 4004 RTP/AVP 18\r\na=rtpmap:18 G729/8000\r\n"));
        REQUIRE(d.ok);
        CHECK(d.g711.empty());
        CHECK(d.telephoneEventPt == -1);
        CHECK_FALSE(preferredFromOffer(d).has_value());
    }
    SECTION("a rejected audio stream, video only, or garbage is not usable") {
        CHECK_FALSE(parseAudioSdp(sdpWith("m=audio 0 RTP/AVP 0\r\n")).ok);
        CHECK_FALSE(parseAudioSdp(sdpWith("m=video 5000 RTP/AVP 96\r\n")).ok);
        CHECK_FALSE(parseAudioSdp(sdpWith("m=audio 5000 RTP/SAVP 0\r\n")).ok);
        CHECK_FALSE(parseAudioSdp("hello").ok);
        CHECK_FALSE(parseAudioSdp("").ok);
    }
}

TEST_CASE("Audio SDP we send has one m=audio line with telephone-event", "[sip][endpoint]") {
    AudioSdpParams p;
    p.address = "127.0.0.1";
    p.port = 30000;
    p.codecs = {G711::Pcmu, G711::Pcma};
    p.telephoneEventPt = 101;
    p.sessionId = 7;
    p.version = 1;
    auto sdp = buildAudioSdp(p);
    CHECK(sdp.find("c=IN IP4 127.0.0.1\r\n") != std::string::npos);
    CHECK(sdp.find("m=audio 30000 RTP/AVP 0 8 101\r\n") != std::string::npos);
    CHECK(sdp.find("a=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\n") != std::string::npos);
    CHECK(sdp.find("a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\n") !=
          std::string::npos);
    CHECK(sdp.find("a=ptime:20\r\na=sendrecv\r\n") != std::string::npos);
    // It reads back as what it says.
    auto d = parseAudioSdp(sdp);
    REQUIRE(d.ok);
    CHECK(d.port == 30000);
    CHECK(d.telephoneEventPt == 101);

    p.codecs = {G711::Pcma};
    p.telephoneEventPt = -1;
    sdp = buildAudioSdp(p);
    CHECK(sdp.find("m=audio 30000 RTP/AVP 8\r\n") != std::string::npos);
    CHECK(sdp.find("telephone-event") == std::string::npos);
}

TEST_CASE(
    "Audio SDP direction: hold with sendonly, inactive, recvonly or c=0.0.0.0 (RFC 3264 §8.4)",
    "[sip][endpoint]") {
    auto plain = parseAudioSdp(sdpWith("m=audio 4000 RTP/AVP 0\r\n"));
    CHECK(plain.sends);
    CHECK(plain.receives);
    auto sendonly = parseAudioSdp(sdpWith("m=audio 4000 RTP/AVP 0\r\na=sendonly\r\n"));
    CHECK(sendonly.sends);
    CHECK_FALSE(sendonly.receives);
    auto recvonly = parseAudioSdp(sdpWith("m=audio 4000 RTP/AVP 0\r\na=recvonly\r\n"));
    CHECK_FALSE(recvonly.sends);
    CHECK(recvonly.receives);
    auto inactive = parseAudioSdp(sdpWith("m=audio 4000 RTP/AVP 0\r\na=inactive\r\n"));
    CHECK_FALSE(inactive.sends);
    CHECK_FALSE(inactive.receives);
    // Session-level attribute.
    auto session = parseAudioSdp(
        "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.2\r\nt=0 0\r\n"
        "a=sendonly\r\nm=audio 4000 RTP/AVP 0\r\n");
    REQUIRE(session.ok);
    CHECK(session.sends);
    CHECK_FALSE(session.receives);
    // RFC 2543 hold: the connection address 0.0.0.0.
    auto nullHold = parseAudioSdp(
        "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 0.0.0.0\r\nt=0 0\r\n"
        "m=audio 4000 RTP/AVP 0\r\n");
    REQUIRE(nullHold.ok);
    CHECK_FALSE(nullHold.receives);

    AudioSdpParams p;
    p.address = "127.0.0.1";
    p.port = 30000;
    p.codecs = {G711::Pcmu};
    p.sends = false;
    CHECK(buildAudioSdp(p).find("a=recvonly\r\n") != std::string::npos);
    p.receives = false;
    CHECK(buildAudioSdp(p).find("a=inactive\r\n") != std::string::npos);
    p.sends = true;
    CHECK(buildAudioSdp(p).find("a=sendonly\r\n") != std::string::npos);
}
