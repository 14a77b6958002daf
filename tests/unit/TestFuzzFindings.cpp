// The bugs tests/fuzz found, as unit tests of the function each was fixed in (the crash inputs
// themselves are seeds of the fuzz targets, replayed by `make fuzz-smoke`).
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "server/media/Sdp.hpp"
#include "server/net/HttpError.hpp"
#include "server/sip/endpoint/AudioSdp.hpp"
#include "server/state/SqliteSessionStore.hpp"
#include "server/voice/Bxml.hpp"

using namespace sb;

TEST_CASE("An error body quoting bytes that are not UTF-8 is still JSON", "[fuzz][api]") {
    auto r = net::errorResponse(net::errors::routeNotFound("/\xff\xfe"), "req-1");
    CHECK(r.status == 404);
    auto body = nlohmann::json::parse(r.body, nullptr, false);
    REQUIRE_FALSE(body.is_discarded());
    CHECK(body["error"].get<std::string>().find("\xEF\xBF\xBD") != std::string::npos);  // U+FFFD
    CHECK(body["requestId"] == "req-1");
}

TEST_CASE("Rejecting an m-section whose m= line lacks fields does not throw", "[fuzz][media]") {
    auto sdp = media::SessionDescription::parse("v=0\r\nm=audio\r\na=mid:0\r\na=sendonly\r\n");
    REQUIRE(sdp.sections.size() == 1);
    media::rejectSection(sdp.sections[0]);
    CHECK(sdp.sections[0].port == 0);
    CHECK(sdp.sections[0].direction == "inactive");
    auto full =
        media::SessionDescription::parse("v=0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\na=mid:1\r\n");
    media::rejectSection(full.sections[0]);
    CHECK(full.sections[0].lines[0] == "m=video 0 UDP/TLS/RTP/SAVPF 96");
}

TEST_CASE("SIP SDP that would make sofia-sip ask for 2 GB is refused before it parses it",
          "[fuzz][sip]") {
    const std::string head =
        "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.2\r\nt=0 0\r\n";
    for (std::string mline : {"m=video 9 UDP/a::0\r\n", "m=audio 4000 R\xa3\xa3TP/AVP 0\r\n",
                              "m=audio 4000 RTP/AVP\r\n", "m=audio x RTP/AVP 0\r\n"}) {
        INFO(mline);
        auto d = sip::parseAudioSdp(head + mline);
        CHECK_FALSE(d.ok);
        CHECK_FALSE(d.error.empty());
    }
    auto good = sip::parseAudioSdp(
        head + "m=audio 4000 RTP/AVP 8 0 101\r\na=rtpmap:101 telephone-event/8000\r\n");
    CHECK(good.ok);
    CHECK(good.port == 4000);
}

TEST_CASE("Subscriptions whose stream alias is not UTF-8 are stored, not thrown on",
          "[fuzz][state]") {
    state::SqliteSessionStore db(":memory:");
    state::Participant p;
    p.id = "p1";
    p.accountId = "acc";
    db.createParticipant(p);
    state::Subscriptions subs;
    subs.sessionId = "s1";
    subs.participants.push_back({"p2", {"cam\xff"}});
    REQUIRE_NOTHROW(db.setMembership("acc", "p1", std::string("s1"), subs));
    auto stored = db.participant("acc", "p1");
    REQUIRE(stored);
    REQUIRE(stored->subscriptions);
    CHECK(stored->subscriptions->participants.at(0).streamAliases.at(0) == "cam\xEF\xBF\xBD");
}

TEST_CASE("A BXML document that is not UTF-8 is refused whole", "[fuzz][voice]") {
    using sb::voice::bxml::BxmlError;
    CHECK_THROWS_WITH(sb::voice::bxml::parse("<Response><Tag>\xd8</Tag></Response>"),
                      Catch::Contains("not UTF-8 at byte 15"));
    CHECK_THROWS_AS(sb::voice::bxml::parse("<Response><Tag>\xed\xa0\x80</Tag></Response>"),
                    BxmlError);  // a surrogate
    CHECK_THROWS_AS(sb::voice::bxml::parse("<Response><Tag>\xc0\xaf</Tag></Response>"),
                    BxmlError);  // overlong
    CHECK(sb::voice::bxml::parse("<Response><Tag>caf\xc3\xa9 \xf0\x9f\x93\x9e</Tag></Response>")
              .size() == 1);
}

TEST_CASE("An m= line after a lone CR is checked too", "[fuzz][sip]") {
    auto d = sip::parseAudioSdp("v=0\rm=audio 9 UDP=audio //////6 4 1290000\r\n");
    CHECK_FALSE(d.ok);
    CHECK(d.error == "malformed m= line");
    CHECK_FALSE(sip::parseAudioSdp("v=0\r\nm=audio 9/ RTP/AVP 0\r\n").ok);
    CHECK_FALSE(sip::parseAudioSdp("v=0\r\nm=audio 123456 RTP/AVP 0\r\n").ok);
}
