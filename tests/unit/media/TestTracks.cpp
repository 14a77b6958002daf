// What a publisher's offer publishes (planOffer) when the offer comes from Firefox: with the data
// channel negotiated first and bundlePolicy max-bundle, Firefox 153 offers every later m-section
// with port 0 and a=bundle-only (RFC 8843 §7.2). Such a section is in use, on the BUNDLE
// transport; only port 0 WITHOUT bundle-only disables a section (RFC 8843 §7.5.3, RFC 3264 §8.2).
#include <catch2/catch.hpp>

#include <sstream>

#include "server/media/PublisherSections.hpp"
#include "server/media/Tracks.hpp"

using namespace sb::media;

namespace {

std::string crlf(std::initializer_list<const char*> lines) {
    std::string out;
    for (const auto* l : lines) out.append(l).append("\r\n");
    return out;
}

// Firefox 153.7.0esr's re-offer after a data-channel-only first negotiation, then addTrack of a
// fake microphone and camera (captured in the test namespace; codec lists and rtcp-fb trimmed).
const std::string kFirefoxOffer = crlf({
    "v=0",
    "o=mozilla...THIS_IS_SDPARTA-99.0 8015558617625228920 1 IN IP4 0.0.0.0",
    "s=-",
    "t=0 0",
    "a=sendrecv",
    "a=fingerprint:sha-256 "
    "A8:B1:BC:E9:38:73:C7:6B:FF:E2:16:7F:76:E2:9F:A7:49:DF:43:A8:FE:DF:55:56:EB:C0:9E:8D:1F:90:0E:"
    "8D",
    "a=group:BUNDLE 0 1 2",
    "a=ice-options:trickle",
    "a=msid-semantic:WMS *",
    "m=application 9 UDP/DTLS/SCTP webrtc-datachannel",
    "c=IN IP4 0.0.0.0",
    "a=sendrecv",
    "a=ice-pwd:435ad8a2d63e558f7bdac8989dca7cde",
    "a=ice-ufrag:422e1255",
    "a=mid:0",
    "a=setup:actpass",
    "a=sctp-port:5000",
    "a=max-message-size:1073741823",
    "m=audio 0 UDP/TLS/RTP/SAVPF 109 9 0 8 101",
    "c=IN IP4 0.0.0.0",
    "a=bundle-only",
    "a=sendrecv",
    "a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level",
    "a=extmap:3 urn:ietf:params:rtp-hdrext:sdes:mid",
    "a=fmtp:109 maxplaybackrate=48000;stereo=1;useinbandfec=1",
    "a=fmtp:101 0-15",
    "a=ice-pwd:435ad8a2d63e558f7bdac8989dca7cde",
    "a=ice-ufrag:422e1255",
    "a=mid:1",
    "a=msid:{710b1eb8-a199-4181-84c9-85ac3cd21d5a} {d67974df-eda6-430d-9a01-01cba5fdf19b}",
    "a=rtcp-mux",
    "a=rtpmap:109 opus/48000/2",
    "a=rtpmap:9 G722/8000/1",
    "a=rtpmap:0 PCMU/8000",
    "a=rtpmap:8 PCMA/8000",
    "a=rtpmap:101 telephone-event/8000",
    "a=setup:actpass",
    "a=ssrc:3343387038 cname:{f632abcd-41b0-410e-b1a2-4bd7bb897b74}",
    "m=video 0 UDP/TLS/RTP/SAVPF 120 124",
    "c=IN IP4 0.0.0.0",
    "a=bundle-only",
    "a=sendrecv",
    "a=extmap:3 urn:ietf:params:rtp-hdrext:sdes:mid",
    "a=fmtp:120 max-fs=12288;max-fr=60",
    "a=fmtp:124 apt=120",
    "a=ice-pwd:435ad8a2d63e558f7bdac8989dca7cde",
    "a=ice-ufrag:422e1255",
    "a=mid:2",
    "a=msid:{710b1eb8-a199-4181-84c9-85ac3cd21d5a} {0642df97-865a-4208-96c9-ccd3a3eb6c64}",
    "a=rtcp-mux",
    "a=rtcp-rsize",
    "a=rtpmap:120 VP8/90000",
    "a=rtpmap:124 rtx/90000",
    "a=setup:actpass",
    "a=ssrc:2164752439 cname:{f632abcd-41b0-410e-b1a2-4bd7bb897b74}",
    "a=ssrc:2580690107 cname:{f632abcd-41b0-410e-b1a2-4bd7bb897b74}",
    "a=ssrc-group:FID 2164752439 2580690107",
});

const std::string kStream = "{710b1eb8-a199-4181-84c9-85ac3cd21d5a}";

// `sdp` with every occurrence of `from` replaced by `to`.
std::string replaced(std::string sdp, const std::string& from, const std::string& to) {
    for (auto at = sdp.find(from); at != std::string::npos; at = sdp.find(from, at + to.size()))
        sdp.replace(at, from.size(), to);
    return sdp;
}

std::string bundleLine(const std::string& sdp) {
    for (const auto& l : SessionDescription::parse(sdp).sessionLines)
        if (l.rfind("a=group:BUNDLE", 0) == 0) return l;
    return {};
}

std::string portOf(const MediaSection& m) {
    std::istringstream in(m.lines.front());
    std::string media, port;
    in >> media >> port;
    return port;
}

bool has(const MediaSection& m, const std::string& line) {
    return std::find(m.lines.begin(), m.lines.end(), line) != m.lines.end();
}

}  // namespace

TEST_CASE("Firefox's bundle-only microphone is a published track", "[media][Tracks][bundle-only]") {
    auto plan = planOffer(kFirefoxOffer, {true, true});
    REQUIRE(plan.tracks.size() == 2);
    CHECK(plan.tracks[0].mid == "1");
    CHECK(plan.tracks[0].kind == "audio");
    CHECK(plan.tracks[0].msid == kStream);
    CHECK(plan.tracks[0].trackId == "{d67974df-eda6-430d-9a01-01cba5fdf19b}");
    CHECK(plan.tracks[1].mid == "2");
    CHECK(plan.tracks[1].kind == "video");
    CHECK(plan.refusedMids.empty());
    // What publish reports back (reference §2.3): the stream with both media types.
    auto metadata = streamMetadata(plan.tracks, "participant-1", {{kStream, "mic"}});
    REQUIRE(metadata.count(kStream) == 1);
    CHECK(metadata.at(kStream).mediaTypes == std::vector<std::string>{"AUDIO", "VIDEO"});
    CHECK(metadata.at(kStream).alias == "mic");
    // Janus gets the offer as Firefox wrote it: port 0 + bundle-only is how the section rides the
    // data channel's transport.
    CHECK(plan.sdpForJanus == kFirefoxOffer);
}

TEST_CASE("a bundle-only camera of an audio-only participant is refused",
          "[media][Tracks][bundle-only]") {
    auto plan = planOffer(kFirefoxOffer, {true, false});
    REQUIRE(plan.tracks.size() == 1);
    CHECK(plan.tracks[0].kind == "audio");
    CHECK(plan.refusedMids == std::vector<std::string>{"2"});
    auto forJanus = SessionDescription::parse(plan.sdpForJanus);
    CHECK(forJanus.byMid("2")->direction == "inactive");  // Janus answers it inactive
    CHECK(forJanus.byMid("1")->direction == "sendrecv");

    // Janus's answer (as it would be if it, too, marked the section bundle-only): the refused
    // section goes back rejected, out of BUNDLE, and without bundle-only (RFC 8843 §7.3.3).
    auto janusAnswer = crlf({
        "v=0",
        "o=- 1 1 IN IP4 10.215.0.2",
        "s=VideoRoom 1234",
        "t=0 0",
        "a=group:BUNDLE 0 1 2",
        "m=application 9 UDP/DTLS/SCTP webrtc-datachannel",
        "a=mid:0",
        "m=audio 0 UDP/TLS/RTP/SAVPF 109",
        "a=bundle-only",
        "a=recvonly",
        "a=mid:1",
        "a=rtpmap:109 opus/48000/2",
        "m=video 0 UDP/TLS/RTP/SAVPF 120",
        "a=bundle-only",
        "a=inactive",
        "a=mid:2",
        "a=rtpmap:120 VP8/90000",
    });
    auto answer = finishAnswer(janusAnswer, plan.refusedMids);
    auto parsed = SessionDescription::parse(answer);
    CHECK(bundleLine(answer) == "a=group:BUNDLE 0 1");
    CHECK_FALSE(has(*parsed.byMid("2"), "a=bundle-only"));
    CHECK(portOf(*parsed.byMid("2")) == "0");
    CHECK(has(*parsed.byMid("1"), "a=bundle-only"));  // the accepted one is left as it was
}

TEST_CASE("an audio section of a participant without any publish permission is refused",
          "[media][Tracks][bundle-only]") {
    auto plan = planOffer(kFirefoxOffer, {false, false});
    CHECK(plan.tracks.empty());
    CHECK(plan.refusedMids == std::vector<std::string>{"1", "2"});
}

TEST_CASE("port 0 without bundle-only is still a disabled section: neither published nor refused",
          "[media][Tracks][bundle-only]") {
    // The same offer with the camera stopped the RFC 3264 way (RFC 8843 §7.5.3).
    auto offer = replaced(kFirefoxOffer,
                          "m=video 0 UDP/TLS/RTP/SAVPF 120 124\r\nc=IN IP4 0.0.0.0\r\n"
                          "a=bundle-only\r\n",
                          "m=video 0 UDP/TLS/RTP/SAVPF 120 124\r\nc=IN IP4 0.0.0.0\r\n");
    REQUIRE(offer != kFirefoxOffer);
    auto plan = planOffer(offer, {true, false});
    REQUIRE(plan.tracks.size() == 1);
    CHECK(plan.tracks[0].kind == "audio");
    CHECK(plan.refusedMids.empty());
    plan = planOffer(offer, {true, true});
    CHECK(plan.tracks.size() == 1);
}

TEST_CASE("a re-laid-out offer to Janus keeps bundle-only sections in the BUNDLE group",
          "[media][PublisherSections][bundle-only]") {
    PublisherSections sections;
    sections.commit(sections.toJanus(kFirefoxOffer).layout);
    // The camera's transceiver is gone and a new one (mid 3) took its m-line: Janus keeps mid 2's
    // place rejected and gets mid 3 appended, so the BUNDLE line is rewritten.
    auto offer = replaced(kFirefoxOffer, "a=mid:2", "a=mid:3");
    offer = replaced(offer, "a=group:BUNDLE 0 1 2", "a=group:BUNDLE 0 1 3");
    auto janus = sections.toJanus(offer);
    REQUIRE(janus.sdp != offer);
    CHECK(bundleLine(janus.sdp) == "a=group:BUNDLE 0 1 3");
    auto parsed = SessionDescription::parse(janus.sdp);  // kept: byMid points into it
    auto rejected = parsed.byMid("2");
    REQUIRE(rejected != nullptr);
    CHECK_FALSE(has(*rejected, "a=bundle-only"));  // rejected means no bundle-only (§7.3.3)
}
