// What a phone answers to a leftover BYE (sip::takeFinalStatus): over TCP the bytes come as a
// stream, possibly cut anywhere, possibly a 100 Trying first (RFC 3261 §18.3, §20.14).
#include <catch2/catch.hpp>

#include <string>

#include "server/sip/endpoint/ResponseStream.hpp"

using sb::sip::kMaxResponseBytes;
using sb::sip::statusOf;
using sb::sip::takeFinalStatus;

namespace {
const std::string kOk = "SIP/2.0 200 OK\r\nCSeq: 2147483647 BYE\r\nContent-Length: 0\r\n\r\n";
const std::string kTrying = "SIP/2.0 100 Trying\r\nl: 4\r\n\r\nbody";
}  // namespace

TEST_CASE("a status line's code, or -1 for what is not one", "[sip][restart]") {
    CHECK(statusOf(kOk) == 200);
    CHECK(statusOf("SIP/2.0 481 Call/Transaction Does Not Exist\r\n") == 481);
    CHECK(statusOf("SIP/2.0 200") == 200);
    CHECK(statusOf("SIP/2.0 20") == -1);
    CHECK(statusOf("SIP/2.0 2000 OK") == -1);
    CHECK(statusOf("SIP/2.0 099 x") == -1);
    CHECK(statusOf("HTTP/1.1 200 OK") == -1);
    CHECK(statusOf("BYE sip:a@b SIP/2.0") == -1);
}

TEST_CASE("the final response in a stream: provisional ones consumed, any cut waited on",
          "[sip][restart]") {
    const std::string all = "\r\n\r\n" + kTrying + kOk;
    for (std::size_t cut = 0; cut <= all.size(); ++cut) {
        std::string stream = all.substr(0, cut);
        int first = takeFinalStatus(stream);
        CHECK((first == 0 || (first == 200 && cut == all.size())));
        if (first == 0) {
            stream += all.substr(cut);
            REQUIRE(takeFinalStatus(stream) == 200);
        }
        CHECK(stream.rfind("SIP/2.0 200", 0) == 0);  // the final response stays, the 100 is gone
    }
}

TEST_CASE("a stream that is not SIP responses, or too large, is given up", "[sip][restart]") {
    std::string http = "HTTP/1.1 400 Bad Request\r\n\r\n";
    CHECK(takeFinalStatus(http) == -1);
    std::string early = "GARBAGE GARBAGE";  // told before any header end arrives
    CHECK(takeFinalStatus(early) == -1);
    std::string huge = "SIP/2.0 180 Ringing\r\nContent-Length: 99999\r\n\r\n";
    CHECK(takeFinalStatus(huge) == -1);
    std::string badLength = "SIP/2.0 180 Ringing\r\nContent-Length: x\r\n\r\n";
    CHECK(takeFinalStatus(badLength) == -1);
    std::string endless = "SIP/2.0 180 Ringing\r\nX: " + std::string(kMaxResponseBytes, 'a');
    CHECK(takeFinalStatus(endless) == -1);
    std::string partial = "SIP/2.0 18";
    CHECK(takeFinalStatus(partial) == 0);
}
