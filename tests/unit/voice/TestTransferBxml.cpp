// generateTransferBxml must produce what @bandwidth/webrtc 1.3.1's ApiController does; the
// expected strings below were produced by running that package's dist/ with node.
#include <catch2/catch.hpp>

#include "server/sip/endpoint/UserToUser.hpp"
#include "server/voice/Bxml.hpp"
#include "server/voice/Call.hpp"
#include "server/voice/CallIds.hpp"
#include "server/voice/TransferBxml.hpp"

using namespace sb::voice;

namespace {
const std::string kToken = "eyJhbGciOiJIUzI1NiJ9.eyJhIjoiYWNjIn0.sig";
const std::string kCallId = "c-93d6f3c0-be584596-0b74-4fa2-8015-d8ede84bd1a4";
}  // namespace

TEST_CASE("generateTransferBxml matches the Node SDK byte for byte", "[voice][TransferBxml]") {
    CHECK(generateTransferBxml(kToken, kCallId) ==
          "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n<Response><Transfer>\n\t<SipUri "
          "uui=\"93d6f3c0be5845960b744fa28015d8ede84bd1a4;encoding=base64,eyJhbGciOiJIUzI1NiJ9."
          "eyJhIjoiYWNjIn0.sig;"
          "encoding=jwt\">sip:sipx.webrtc.bandwidth.com:5060</SipUri>\n</Transfer></Response>");
    CHECK(generateTransferBxml(kToken, "") ==
          "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n<Response><Transfer>\n\t<SipUri "
          "uui=\"eyJhbGciOiJIUzI1NiJ9.eyJhIjoiYWNjIn0.sig;encoding=jwt\">sip:sipx.webrtc.bandwidth."
          "com:5060</SipUri>\n"
          "</Transfer></Response>");
    CHECK(generateTransferBxml(kToken) == generateTransferBxml(kToken, ""));
    CHECK(generateTransferBxml("tok", "c-1", "sip:10.0.0.1:5070;transport=tcp") ==
          "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n<Response><Transfer>\n\t<SipUri "
          "uui=\"1;encoding=base64,tok;encoding=jwt\">sip:10.0.0.1:5070;transport=tcp</SipUri>\n</"
          "Transfer></Response>");
    CHECK(generateTransferBxmlVerb("tok", kCallId) ==
          "<Transfer>\n\t<SipUri "
          "uui=\"93d6f3c0be5845960b744fa28015d8ede84bd1a4;encoding=base64,tok;encoding=jwt\">"
          "sip:sipx.webrtc.bandwidth.com:5060</SipUri>\n</Transfer>");
}

TEST_CASE("XML special characters are escaped", "[voice][TransferBxml]") {
    CHECK(generateTransferBxmlVerb("a\"b<c>&'", "", "sip:x@y?a=1&b=2") ==
          "<Transfer>\n\t<SipUri "
          "uui=\"a&quot;b&lt;c&gt;&amp;&apos;;encoding=jwt\">sip:x@y?a=1&amp;b=2</SipUri>\n</"
          "Transfer>");
}

TEST_CASE("our own parser accepts what we generate and recovers token and call id",
          "[voice][TransferBxml]") {
    auto verbs = bxml::parse(generateTransferBxml(kToken, kCallId));
    REQUIRE(verbs.size() == 1);
    const auto& t = std::get<bxml::Transfer>(verbs[0]);
    REQUIRE(t.targets.size() == 1);
    const auto& sip = std::get<bxml::SipUriTarget>(t.targets[0]);
    CHECK(sip.uri == kDefaultTransferSipUri);
    auto extracted = sb::sip::extractUuiToken(*sip.uui);
    CHECK(extracted.token == kToken);
    REQUIRE(extracted.callIdHex);
    CHECK(callIdFromHex(*extracted.callIdHex) == std::optional<std::string>(kCallId));
}
