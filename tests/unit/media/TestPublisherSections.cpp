// PublisherSections: a browser that recycles a stopped transceiver's m-line for a new mid
// (RFC 8829 §5.2.2) must still get an answer in its offer's order, while Janus (which never lets
// an m-line change its mid) sees every mid on the m-line it first saw it on.
#include <catch2/catch.hpp>

#include "server/media/PublisherSections.hpp"

using namespace sb::media;

namespace {

struct Section {
    std::string kind, mid;
    int port = 9;
};

std::string sdp(const std::vector<Section>& sections,
                const std::string& origin = "o=- 1 1 IN IP4 127.0.0.1") {
    std::string out = "v=0\r\n" + origin + "\r\ns=-\r\nt=0 0\r\na=group:BUNDLE";
    for (const auto& s : sections)
        if (s.port != 0) out += " " + s.mid;
    out += "\r\n";
    for (const auto& s : sections) {
        out += "m=" + s.kind + " " + std::to_string(s.port) +
               (s.kind == "application" ? " UDP/DTLS/SCTP webrtc-datachannel"
                                        : " UDP/TLS/RTP/SAVPF 96") +
               "\r\n";
        out += "a=mid:" + s.mid + "\r\n" + (s.port == 0 ? "a=inactive\r\n" : "a=sendonly\r\n");
    }
    return out;
}

std::vector<std::string> mids(const std::string& description) {
    std::vector<std::string> out;
    for (const auto& m : SessionDescription::parse(description).sections)
        out.push_back(m.mid + (m.port == 0 ? "(rejected)" : ""));
    return out;
}

std::string bundle(const std::string& description) {
    for (const auto& l : SessionDescription::parse(description).sessionLines)
        if (l.rfind("a=group:BUNDLE", 0) == 0) return l;
    return {};
}

}  // namespace

TEST_CASE("offers and answers pass unchanged while the browser keeps its m-lines",
          "[media][PublisherSections]") {
    PublisherSections sections;
    auto first = sdp({{"application", "0"}, {"audio", "1"}});
    auto janus = sections.toJanus(first);
    CHECK(janus.sdp == first);
    sections.commit(janus.layout);
    auto second = sdp({{"application", "0"}, {"audio", "1"}, {"video", "2"}});
    janus = sections.toJanus(second);
    CHECK(janus.sdp == second);
    auto answer =
        sdp({{"application", "0"}, {"audio", "1"}, {"video", "2"}}, "o=janus 2 2 IN IP4 10.0.0.1");
    CHECK(PublisherSections::toBrowser(answer, second) == answer);
}

TEST_CASE(
    "a recycled m-line: Janus gets the new mid appended and the old one rejected in place; the "
    "answer "
    "comes back in the browser's order",
    "[media][PublisherSections]") {
    PublisherSections sections;
    // mic (1), camera (2), screen (3); the camera is unpublished (port 0) ...
    sections.commit(
        sections
            .toJanus(sdp({{"application", "0"}, {"audio", "1"}, {"video", "2"}, {"video", "3"}}))
            .layout);
    sections.commit(
        sections
            .toJanus(sdp({{"application", "0"}, {"audio", "1"}, {"video", "2", 0}, {"video", "3"}}))
            .layout);
    // ... and published again: the browser reuses m-line #2 for mid 4.
    auto offer = sdp({{"application", "0"}, {"audio", "1"}, {"video", "4"}, {"video", "3"}});
    auto janus = sections.toJanus(offer);
    CHECK(mids(janus.sdp) == std::vector<std::string>{"0", "1", "2(rejected)", "3", "4"});
    CHECK(bundle(janus.sdp) == "a=group:BUNDLE 0 1 3 4");

    auto answer = sdp(
        {{"application", "0"}, {"audio", "1"}, {"video", "2", 0}, {"video", "3"}, {"video", "4"}},
        "o=janus 2 3 IN IP4 10.0.0.1");
    auto toBrowser = PublisherSections::toBrowser(answer, offer);
    CHECK(mids(toBrowser) == std::vector<std::string>{"0", "1", "4", "3"});
    CHECK(bundle(toBrowser) == "a=group:BUNDLE 0 1 4 3");
    CHECK(toBrowser.find("o=janus 2 3") != std::string::npos);  // Janus's session lines

    // Janus keeps its layout: the next offer (the browser's order again) is laid out the same way.
    sections.commit(janus.layout);
    auto next = sections.toJanus(offer);
    CHECK(mids(next.sdp) == std::vector<std::string>{"0", "1", "2(rejected)", "3", "4"});
    // A new Janus PeerConnection starts from the browser's layout.
    sections.reset();
    CHECK(sections.toJanus(offer).sdp == offer);
}

TEST_CASE("an m-section Janus did not answer is refused in the browser's answer, never dropped",
          "[media][PublisherSections]") {
    auto offer = sdp({{"application", "0"}, {"audio", "1"}, {"video", "5"}});
    auto answer = sdp({{"application", "0"}, {"audio", "1"}}, "o=janus 2 2 IN IP4 10.0.0.1");
    auto out = PublisherSections::toBrowser(answer, offer);
    CHECK(mids(out) == std::vector<std::string>{"0", "1", "5(rejected)"});
    CHECK(bundle(out) == "a=group:BUNDLE 0 1");
}
