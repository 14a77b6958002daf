// SipEndpoint against a second SipEndpoint (and raw sockets) on 127.0.0.1.
#include <catch2/catch.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>

#include <optional>
#include <set>

#include "server/sip/endpoint/SipEndpoint.hpp"
#include "unit/sip/endpoint/SipTestSupport.hpp"

using namespace sb::sip;
using namespace sb::sip::test;
using namespace std::chrono_literals;

namespace {

struct Peer {
    std::vector<InboundInvite> invites;
    std::vector<std::pair<std::string, RemoteMedia>> answered;
    std::vector<std::tuple<std::string, int, std::string>> failed;
    std::vector<std::pair<std::string, std::string>> ended;
    std::function<void(const InboundInvite&)> onInvite;
    std::optional<SipEndpoint> ep;

    Peer(boost::asio::io_context& io, std::size_t maxCalls = 200) {
        SipConfig c;
        c.port = 0;
        c.maxCalls = maxCalls;
        SipEndpoint::Events e;
        e.onInvite = [this](const InboundInvite& i) {
            invites.push_back(i);
            if (onInvite) onInvite(i);
        };
        e.onAnswered = [this](const std::string& id, const RemoteMedia& m) {
            answered.emplace_back(id, m);
        };
        e.onFailed = [this](const std::string& id, int status, const std::string& reason) {
            failed.emplace_back(id, status, reason);
        };
        e.onEnded = [this](const std::string& id, const std::string& reason) {
            ended.emplace_back(id, reason);
        };
        ep.emplace(io.get_executor(), c, e);
        ep->start();
    }
    std::string uri() const { return "sip:room@127.0.0.1:" + std::to_string(ep->port()); }
};

LocalMedia media(std::uint16_t port, G711 codec = G711::Pcmu) {
    LocalMedia m;
    m.address = "127.0.0.1";
    m.port = port;
    m.codec = codec;
    return m;
}

OutboundCall callTo(const Peer& peer, std::chrono::seconds timeout = 10s) {
    OutboundCall c;
    c.toUri = peer.uri();
    c.userToUser = "eyJ0eXAiOiJKV1QifQ.eyJwIjoicGFydC0xIn0.c2ln;encoding=jwt";
    c.local = media(40000);
    c.timeout = timeout;
    return c;
}

// Local addresses (hex "0100007F:PORT" form) of the sockets on `port` in /proc/net/<proto>.
std::set<std::string> boundAddresses(const std::string& proto, std::uint16_t port) {
    char hexPort[8];
    std::snprintf(hexPort, sizeof hexPort, "%04X", port);
    std::set<std::string> out;
    std::istringstream in(readFile("/proc/net/" + proto));
    std::string line;
    std::getline(in, line);  // header
    while (std::getline(in, line)) {
        std::istringstream fields(line);
        std::string slot, local;
        fields >> slot >> local;
        auto colon = local.find(':');
        if (colon != std::string::npos && local.substr(colon + 1) == hexPort)
            out.insert(local.substr(0, colon));
    }
    return out;
}

}  // namespace

TEST_CASE("Two endpoints: UUI, SDP offer/answer, BYE from the callee", "[sip][endpoint]") {
    boost::asio::io_context io;
    Peer callee(io), caller(io);
    callee.onInvite = [&](const InboundInvite& i) {
        callee.ep->answer(i.callId, media(41000, G711::Pcma));
    };
    auto id = caller.ep->dial(callTo(callee));
    REQUIRE(pump(io, [&] { return !caller.answered.empty() || !caller.failed.empty(); }));
    REQUIRE(caller.answered.size() == 1);
    CHECK(caller.answered[0].first == id);
    // The callee preferred PCMA, which the offer contained.
    CHECK(caller.answered[0].second.codec == G711::Pcma);
    CHECK(caller.answered[0].second.port == 41000);
    CHECK(caller.answered[0].second.telephoneEventPt == 101);
    REQUIRE(callee.invites.size() == 1);
    const auto& inv = callee.invites[0];
    REQUIRE(inv.userToUserValues.size() == 1);
    CHECK(inv.userToUserValues[0].data == "eyJ0eXAiOiJKV1QifQ.eyJwIjoicGFydC0xIn0.c2ln");
    CHECK(inv.userToUserValues[0].encoding == "jwt");
    CHECK(inv.remote.codec == G711::Pcmu);  // PCMU preferred from the offer "0 8 101"
    CHECK(inv.remote.port == 40000);
    CHECK(inv.remote.telephoneEventPt == 101);
    CHECK(inv.from.find("sip:switchboard@127.0.0.1:") != std::string::npos);
    CHECK(caller.ep->activeCalls() == 1);
    CHECK(callee.ep->activeCalls() == 1);

    callee.ep->hangup(inv.callId);
    REQUIRE(pump(io, [&] { return !caller.ended.empty(); }));
    CHECK(caller.ended[0] == std::make_pair(id, std::string("bye")));
    CHECK(pump(io, [&] { return caller.ep->activeCalls() == 0; }));
    CHECK(callee.ep->activeCalls() == 0);
    CHECK(callee.ended.empty());  // its own hangup
    CHECK(caller.failed.empty());
}

TEST_CASE("A malformed or absent User-To-User reaches the app as no values", "[sip][endpoint]") {
    boost::asio::io_context io;
    Peer callee(io), caller(io);
    callee.onInvite = [&](const InboundInvite& i) { callee.ep->reject(i.callId, 403); };
    auto malformed = callTo(callee);
    malformed.userToUser = "a;=jwt";
    caller.ep->dial(malformed);
    auto absent = callTo(callee);
    absent.userToUser.clear();
    caller.ep->dial(absent);
    REQUIRE(pump(io, [&] { return caller.failed.size() == 2; }));
    REQUIRE(callee.invites.size() == 2);
    for (const auto& inv : callee.invites) {
        CHECK(inv.userToUserValues.empty());
        if (inv.userToUser.empty()) {
            CHECK(inv.userToUserError.empty());
        } else {
            CHECK(inv.userToUser == "a;=jwt");
            CHECK_THAT(inv.userToUserError, Catch::Contains("without a name"));
        }
    }
}

TEST_CASE("A call over TCP", "[sip][endpoint]") {
    boost::asio::io_context io;
    Peer callee(io), caller(io);
    callee.onInvite = [&](const InboundInvite& i) { callee.ep->answer(i.callId, media(41006)); };
    auto call = callTo(callee);
    call.toUri += ";transport=tcp";
    auto id = caller.ep->dial(call);
    REQUIRE(pump(io, [&] { return !caller.answered.empty() || !caller.failed.empty(); }));
    REQUIRE(caller.answered.size() == 1);
    caller.ep->hangup(id);
    REQUIRE(pump(io, [&] { return !callee.ended.empty(); }));
    CHECK(callee.ended[0].second == "bye");
}

TEST_CASE("Over capacity an INVITE gets 503 without reaching the app", "[sip][endpoint]") {
    boost::asio::io_context io;
    Peer callee(io, 1), caller(io);
    auto first = caller.ep->dial(callTo(callee));
    REQUIRE(pump(io, [&] { return callee.invites.size() == 1; }));
    auto second = caller.ep->dial(callTo(callee));
    REQUIRE(pump(io, [&] { return !caller.failed.empty(); }));
    CHECK(std::get<0>(caller.failed[0]) == second);
    CHECK(std::get<1>(caller.failed[0]) == 503);
    CHECK(callee.invites.size() == 1);
    CHECK(callee.ep->activeCalls() == 1);
    CHECK(caller.ep->activeCalls() == 1);

    // Outbound calls count too: the callee cannot dial out while full.
    auto out = callee.ep->dial(callTo(caller));
    REQUIRE(pump(io, [&] { return !callee.failed.empty(); }));
    CHECK(callee.failed[0] == std::make_tuple(out, 503, std::string("Too many calls")));
    (void)first;
}

TEST_CASE("CANCEL of an unanswered inbound INVITE ends it", "[sip][endpoint]") {
    boost::asio::io_context io;
    Peer callee(io), caller(io);
    auto id = caller.ep->dial(callTo(callee));
    REQUIRE(pump(io, [&] { return callee.invites.size() == 1; }));
    caller.ep->hangup(id);  // not answered: CANCEL
    REQUIRE(pump(io, [&] { return !callee.ended.empty(); }));
    CHECK(callee.ended[0] == std::make_pair(callee.invites[0].callId, std::string("cancel")));
    CHECK(callee.ep->activeCalls() == 0);
    // Answering afterwards is ignored.
    callee.ep->answer(callee.invites[0].callId, media(41002));
    pump(
        io, [] { return false; }, 300ms);
    CHECK(caller.answered.empty());
    CHECK(caller.failed.empty());  // its own hangup
    CHECK(caller.ep->activeCalls() == 0);
}

TEST_CASE("No answer within the timeout: onFailed(408) and CANCEL", "[sip][endpoint]") {
    boost::asio::io_context io;
    Peer callee(io), caller(io);
    auto id = caller.ep->dial(callTo(callee, 1s));
    REQUIRE(pump(
        io, [&] { return !caller.failed.empty(); }, 5s));
    CHECK(caller.failed[0] == std::make_tuple(id, 408, std::string("Request Timeout")));
    REQUIRE(pump(io, [&] { return !callee.ended.empty(); }));
    CHECK(callee.ended[0].second == "cancel");
    CHECK(caller.ep->activeCalls() == 0);
}

TEST_CASE("dial() with a bad destination fails at once", "[sip][endpoint]") {
    boost::asio::io_context io;
    Peer caller(io);
    OutboundCall c;
    c.toUri = "tel:+15551234";
    auto a = caller.ep->dial(c);
    c.toUri = "sip:x@127.0.0.1";
    c.userToUser = "x\r\nVia: injected";
    auto b = caller.ep->dial(c);
    REQUIRE(pump(io, [&] { return caller.failed.size() == 2; }));
    CHECK(std::get<0>(caller.failed[0]) == a);
    CHECK(std::get<1>(caller.failed[0]) == 400);
    CHECK(std::get<0>(caller.failed[1]) == b);
    CHECK(std::get<1>(caller.failed[1]) == 400);
    CHECK(a != b);
}

TEST_CASE("Malformed SIP is answered or dropped by sofia, never fatal", "[sip][endpoint]") {
    boost::asio::io_context io;
    Peer callee(io);
    boost::asio::io_context raw;
    boost::asio::ip::udp::socket sock(raw, {boost::asio::ip::make_address("127.0.0.1"), 0});
    const boost::asio::ip::udp::endpoint target(boost::asio::ip::make_address("127.0.0.1"),
                                                callee.ep->port());
    const auto local = std::to_string(sock.local_endpoint().port());
    auto exchange = [&](const std::string& msg, std::chrono::milliseconds wait = 2s) {
        if (!msg.empty()) sock.send_to(boost::asio::buffer(msg), target);
        std::string reply;
        const auto deadline = std::chrono::steady_clock::now() + wait;
        sock.non_blocking(true);
        char buf[4096];
        while (reply.empty() && std::chrono::steady_clock::now() < deadline) {
            boost::system::error_code ec;
            auto n = sock.receive(boost::asio::buffer(buf), 0, ec);
            if (!ec)
                reply.assign(buf, n);
            else
                std::this_thread::sleep_for(10ms);
        }
        return reply;
    };
    const std::string via = "Via: SIP/2.0/UDP 127.0.0.1:" + local + ";branch=z9hG4bK";

    // Nothing to answer to: dropped.
    CHECK(exchange(std::string("\x00\xff garbage \r\n\r\n", 16), 300ms).empty());
    CHECK(exchange("INVITE sip:x@127.0.0.1 SIP/2.0\r\nVia: ???\r\n\r\n", 300ms).empty());
    // A request with a usable Via but no Call-ID/CSeq: 400.
    auto bad = exchange("INVITE sip:x@127.0.0.1 SIP/2.0\r\n" + via + "1\r\n" +
                        "From: <sip:a@127.0.0.1>;tag=1\r\nTo: <sip:x@127.0.0.1>\r\n"
                        "Content-Length: 0\r\n\r\n");
    CHECK(bad.rfind("SIP/2.0 400", 0) == 0);
    // A broken Content-Length and SDP in an otherwise fine INVITE.
    exchange("INVITE sip:x@127.0.0.1 SIP/2.0\r\n" + via + "2\r\n" +
                 "From: <sip:a@127.0.0.1>;tag=2\r\nTo: <sip:x@127.0.0.1>\r\nCall-ID: m2\r\n"
                 "CSeq: 1 INVITE\r\nContent-Type: application/sdp\r\nContent-Length: 9999\r\n\r\n"
                 "v=0\r\nm=audio",
             300ms);
    // Still alive: OPTIONS gets 200.
    auto ok = exchange("OPTIONS sip:x@127.0.0.1 SIP/2.0\r\n" + via + "3\r\n" +
                       "From: <sip:a@127.0.0.1>;tag=3\r\nTo: <sip:x@127.0.0.1>\r\nCall-ID: m3\r\n"
                       "CSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n");
    CHECK(ok.rfind("SIP/2.0 200", 0) == 0);
    // An INVITE without SDP: 488 by the endpoint, the app never sees it.
    auto noSdp = exchange("INVITE sip:x@127.0.0.1 SIP/2.0\r\n" + via + "4\r\n" +
                          "From: <sip:a@127.0.0.1>;tag=4\r\nTo: <sip:x@127.0.0.1>\r\n"
                          "Call-ID: m4\r\nCSeq: 1 INVITE\r\nContact: <sip:a@127.0.0.1:" +
                          local + ">\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n");
    if (noSdp.rfind("SIP/2.0 100", 0) == 0) noSdp = exchange("");
    CHECK(noSdp.rfind("SIP/2.0 488", 0) == 0);
    pump(
        io, [] { return false; }, 200ms);
    CHECK(callee.invites.empty());
    CHECK(callee.ep->activeCalls() == 0);
}

TEST_CASE("The endpoint listens on bindAddress only, UDP and TCP on one port", "[sip][endpoint]") {
    boost::asio::io_context io;
    Peer peer(io);
    const auto port = peer.ep->port();
    CHECK(boundAddresses("udp", port) == std::set<std::string>{"0100007F"});
    CHECK(boundAddresses("tcp", port) == std::set<std::string>{"0100007F"});
    CHECK(boundAddresses("udp6", port).empty());
    CHECK(boundAddresses("tcp6", port).empty());

    // A second endpoint on the same port cannot start.
    SipConfig c;
    c.port = port;
    SipEndpoint clash(io.get_executor(), c, {});
    CHECK_THROWS_AS(clash.start(), std::runtime_error);

    peer.ep->stop();
    CHECK(boundAddresses("udp", port).empty());
    CHECK(boundAddresses("tcp", port).empty());
}

TEST_CASE("stop() sends BYE for answered calls and is idempotent", "[sip][endpoint]") {
    boost::asio::io_context io;
    Peer callee(io), caller(io);
    callee.onInvite = [&](const InboundInvite& i) { callee.ep->answer(i.callId, media(41004)); };
    auto id = caller.ep->dial(callTo(callee));
    REQUIRE(pump(io, [&] { return !caller.answered.empty(); }));
    callee.ep->stop();
    callee.ep->stop();
    REQUIRE(pump(io, [&] { return !caller.ended.empty(); }));
    CHECK(caller.ended[0] == std::make_pair(id, std::string("bye")));
    CHECK(callee.ended.empty());  // nothing after stop()
    // dial() after stop() does nothing, and tells nothing: events are closed.
    callee.ep->dial(callTo(caller));
    CHECK_FALSE(pump(
        io, [&] { return !callee.failed.empty(); }, 300ms));
    CHECK(caller.invites.empty());
}
