// The SDP facts and edits of the subscribing connection.
#include <catch2/catch.hpp>

#include "wasm/core/Sdp.hpp"

using namespace sb::sdk;

namespace {
const std::string kOffer =
    "v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0 1 2 3 4\r\n"
    "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\na=sendonly\r\na=msid:alice-cam "
    "alice-mic-track\r\n"
    "m=video 9 UDP/TLS/RTP/SAVPF 96\r\na=mid:1\r\na=sendonly\r\na=msid:alice-cam "
    "alice-video-track\r\n"
    "m=audio 9 UDP/TLS/RTP/SAVPF 0\r\na=mid:2\r\na=msid:phone phone-audio\r\n"  // no direction:
                                                                                // sendrecv
    "m=audio 0 UDP/TLS/RTP/SAVPF 111\r\na=mid:3\r\na=inactive\r\na=msid:gone gone-track\r\n"
    "m=video 9 UDP/TLS/RTP/SAVPF 96\r\na=mid:4\r\na=inactive\r\na=msid:paused paused-video\r\n"
    "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\na=mid:5\r\n";
}

SCENARIO("Sdp", "[wasm][core][Sdp]") {
    SECTION("tracks the offerer sends are counted per msid stream, in order of appearance") {
        auto tracks = sdp::sentTracksPerStream(kOffer);
        CHECK(tracks.dump() == R"({"alice-cam":2,"phone":1})");
    }
    SECTION("LF-only SDP is read too") {
        CHECK(sdp::sentTracksPerStream("v=0\nm=audio 9 RTP/AVP 0\na=msid:s t\n").dump() ==
              R"({"s":1})");
    }
    SECTION("every m-section of the answer gets a=setup:passive") {
        std::string answer =
            "v=0\r\ns=-\r\nm=audio 9 X 111\r\na=mid:0\r\na=setup:active\r\nm=video 9 X "
            "96\r\na=mid:1\r\n"
            "m=application 9 Y webrtc-datachannel\r\na=setup:actpass\r\n";
        std::string out = sdp::forcePassiveSetup(answer);
        CHECK(out ==
              "v=0\r\ns=-\r\nm=audio 9 X 111\r\na=mid:0\r\na=setup:passive\r\nm=video 9 X "
              "96\r\na=mid:1\r\n"
              "a=setup:passive\r\nm=application 9 Y webrtc-datachannel\r\na=setup:passive\r\n");
    }
    SECTION("the session part is left alone") {
        CHECK(sdp::forcePassiveSetup("v=0\r\na=setup:active\r\n") == "v=0\r\na=setup:active\r\n");
    }
}
