// The dialogs a restarted process ends with BYE: kept on disk (LeftDialogs), read back only when
// well-formed, and the BYE built from them (RFC 3261 §12.2.1.1).
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "server/bridge/LeftDialogs.hpp"
#include "server/sip/endpoint/LeftoverByes.hpp"
#include "tests/unit/state/StateTestSupport.hpp"

using sb::bridge::LeftDialogs;
using sb::sip::LeftoverByes;
using sb::sip::SipDialog;

namespace {
SipDialog sample() {
    SipDialog d;
    d.callId = "c-1";
    d.sipCallId = "abc@phone";
    d.local = "<sip:+15550100@127.0.0.1:5060>;tag=ours";
    d.remote = "sipp <sip:+15550001111@127.0.0.1:5070>;tag=theirs";
    d.remoteTarget = "sip:sipp@127.0.0.1:5070";
    d.routeSet = {"<sip:proxy1.example;lr>", "<sip:proxy2.example;lr>"};
    d.transport = "udp";
    return d;
}
}  // namespace

TEST_CASE("a dialog kept by one process is read back by the next, once", "[bridge][restart]") {
    sb::state::test::TempDir dir;
    auto path = (dir.path() / "sip-dialogs.json").string();
    {
        LeftDialogs first(path);
        CHECK(first.takePrevious().empty());
        first.confirmed(sample());
        auto other = sample();
        other.callId = "c-2";
        first.confirmed(other);
        first.ended("c-2");
    }  // written at the latest when it goes
    {
        LeftDialogs second(path);
        auto previous = second.takePrevious();
        REQUIRE(previous.size() == 1);
        CHECK(previous[0].callId == "c-1");
        CHECK(previous[0].routeSet == sample().routeSet);
        CHECK(previous[0].remote == sample().remote);
    }
    // Being ended by the second process: the third does not send them again.
    LeftDialogs third(path);
    CHECK(third.takePrevious().empty());
}

TEST_CASE("a dialog with a missing field, a line break or too many routes is not read",
          "[bridge][restart]") {
    auto good = LeftDialogs::toJson(sample());
    CHECK(LeftDialogs::fromJson(good));
    auto noTarget = good;
    noTarget.erase("target");
    CHECK_FALSE(LeftDialogs::fromJson(noTarget));
    auto injected = good;
    injected["remote"] = "<sip:x@y>;tag=1\r\nVia: SIP/2.0/UDP evil";
    CHECK_FALSE(LeftDialogs::fromJson(injected));
    auto routes = good;
    routes["routes"] = nlohmann::json::array();
    for (int i = 0; i < 17; ++i) routes["routes"].push_back("<sip:r;lr>");
    CHECK_FALSE(LeftDialogs::fromJson(routes));
    auto wrongType = good;
    wrongType["routes"] = "<sip:r;lr>";
    CHECK_FALSE(LeftDialogs::fromJson(wrongType));
}

TEST_CASE("the BYE of a left dialog: remote target, route set, both tags, a CSeq above any",
          "[sip][restart]") {
    auto bye = LeftoverByes::byeFor(sample(), "127.0.0.1:40000", "0123", "switchboard");
    CHECK(bye.rfind("BYE sip:sipp@127.0.0.1:5070 SIP/2.0\r\n", 0) == 0);
    CHECK(bye.find("Via: SIP/2.0/UDP 127.0.0.1:40000;branch=z9hG4bK0123;rport\r\n") !=
          std::string::npos);
    CHECK(bye.find("Route: <sip:proxy1.example;lr>\r\nRoute: <sip:proxy2.example;lr>\r\n") !=
          std::string::npos);
    CHECK(bye.find("From: <sip:+15550100@127.0.0.1:5060>;tag=ours\r\n") != std::string::npos);
    CHECK(bye.find("To: sipp <sip:+15550001111@127.0.0.1:5070>;tag=theirs\r\n") !=
          std::string::npos);
    CHECK(bye.find("Call-ID: abc@phone\r\n") != std::string::npos);
    CHECK(bye.find("CSeq: 2147483647 BYE\r\n") != std::string::npos);
    CHECK(bye.size() > 4);
    CHECK(bye.substr(bye.size() - 4) == "\r\n\r\n");
}

TEST_CASE("the BYE of a left TCP dialog says TCP in its Via, without rport", "[sip][restart]") {
    auto dialog = sample();
    dialog.transport = "tcp";
    auto bye = LeftoverByes::byeFor(dialog, "127.0.0.1:40001", "0456", "switchboard");
    CHECK(bye.find("Via: SIP/2.0/TCP 127.0.0.1:40001;branch=z9hG4bK0456\r\n") != std::string::npos);
    CHECK(bye.find("rport") == std::string::npos);
}
