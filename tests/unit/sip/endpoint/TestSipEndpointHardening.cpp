// SipEndpoint against hostile or unusual peers on 127.0.0.1: a 40,000-character Request-URI,
// reason phrases the app builds from what the caller sent, a call put on hold and resumed, a call
// that starts sendonly and is refreshed.
#include <catch2/catch.hpp>

#include <boost/asio/io_context.hpp>

#include <algorithm>
#include <optional>

#include "server/sip/endpoint/SipEndpoint.hpp"
#include "unit/sip/endpoint/SipTestSupport.hpp"

using namespace sb::sip;
using namespace sb::sip::test;
using namespace std::chrono_literals;

namespace {

SipConfig loopbackConfig() {
    SipConfig c;
    c.port = 0;
    return c;
}

// A UDP socket on 127.0.0.1 that sends one request and collects responses without blocking.
struct RawUdp {
    int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
    std::uint16_t port = 0;
    RawUdp() {
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t len = sizeof a;
        if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
            ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0)
            port = ntohs(a.sin_port);
    }
    ~RawUdp() { ::close(fd); }
    void send(const std::string& text, std::uint16_t to) const {
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        a.sin_port = htons(to);
        ::sendto(fd, text.data(), text.size(), 0, reinterpret_cast<sockaddr*>(&a), sizeof a);
    }
    // The first final response's status line ("" while none).
    std::string finalStatusLine() {
        std::vector<char> buf(70000);
        for (;;) {
            ssize_t n = ::recv(fd, buf.data(), buf.size(), 0);
            if (n <= 0) return final;
            std::string text(buf.data(), static_cast<std::size_t>(n));
            auto line = text.substr(0, text.find("\r\n"));
            if (final.empty() && line.rfind("SIP/2.0 ", 0) == 0 && line[8] >= '2') final = line;
        }
    }
    std::string final;
};

std::string invite(const std::string& user, std::uint16_t target, std::uint16_t local) {
    const std::string host = "127.0.0.1:" + std::to_string(target);
    const std::string sdp =
        "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
        "m=audio 40000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";
    return "INVITE sip:" + user + "@" + host + " SIP/2.0\r\n" +
           "Via: SIP/2.0/UDP 127.0.0.1:" + std::to_string(local) + ";branch=z9hG4bK" +
           std::to_string(user.size()) + "x\r\n" + "From: <sip:caller@127.0.0.1>;tag=7\r\n" +
           "To: <sip:callee@" + host + ">\r\n" + "Call-ID: raw-" + std::to_string(user.size()) +
           "\r\n" + "CSeq: 1 INVITE\r\nMax-Forwards: 70\r\nContact: <sip:caller@127.0.0.1:" +
           std::to_string(local) + ">\r\n" +
           "Content-Type: application/sdp\r\nContent-Length: " + std::to_string(sdp.size()) +
           "\r\n\r\n" + sdp;
}

}  // namespace

TEST_CASE(
    "A 40,000-character Request-URI user part is parsed by sofia and refused with a fixed phrase",
    "[sip][endpoint][hardening]") {
    boost::asio::io_context io;
    std::vector<InboundInvite> invites;
    SipEndpoint::Events events;
    std::optional<SipEndpoint> ep;
    int status = 403;
    events.onInvite = [&](const InboundInvite& i) {
        invites.push_back(i);
        // An app that quotes what it got: none of it may reach the wire.
        ep->reject(i.callId, status,
                   "Forbidden: " + i.requestUser.substr(0, 500) + "\r\nX-Injected: 1");
    };
    ep.emplace(io.get_executor(), loopbackConfig(), std::move(events));
    ep->start();

    RawUdp phone;
    REQUIRE(phone.port != 0);
    SECTION("a known status gets its RFC 3261 §21 phrase") {
        phone.send(invite(std::string(40000, 'a'), ep->port(), phone.port), ep->port());
        REQUIRE(pump(io, [&] { return !phone.finalStatusLine().empty(); }));
        CHECK(phone.final == "SIP/2.0 403 Forbidden");
        REQUIRE(invites.size() == 1);
        CHECK(invites[0].requestUser == std::string(40000, 'a'));
        CHECK(invites[0].fromUser == "caller");
        CHECK(invites[0].sourceAddress == "127.0.0.1");
    }
    SECTION("a status without a standard phrase becomes 500") {
        status = 499;
        phone.send(invite("+15550100", ep->port(), phone.port), ep->port());
        REQUIRE(pump(io, [&] { return !phone.finalStatusLine().empty(); }));
        CHECK(phone.final == "SIP/2.0 500 Internal Server Error");
        REQUIRE(invites.size() == 1);
        CHECK(invites[0].requestUser == "+15550100");
    }
    CHECK(ep->activeCalls() == 0);
    ep->stop();
}

TEST_CASE(
    "A call put on hold and resumed by re-INVITE: answered with the matching direction, reported",
    "[sip][endpoint][hardening][sipp]") {
    boost::asio::io_context io;
    std::optional<SipEndpoint> ep;
    std::vector<RemoteMedia> changes, initial;
    bool ended = false;
    SipEndpoint::Events events;
    events.onInvite = [&](const InboundInvite& i) {
        initial.push_back(i.remote);
        LocalMedia m;
        m.address = "127.0.0.1";
        m.port = 31010;
        ep->answer(i.callId, m);
    };
    events.onMediaChanged = [&](const std::string&, const RemoteMedia& r) { changes.push_back(r); };
    events.onEnded = [&](const std::string&, const std::string&) { ended = true; };
    ep.emplace(io.get_executor(), loopbackConfig(), std::move(events));
    ep->start();

    TempDir tmp;
    auto args = sippArgs(freePort(), freePort());
    args.insert(args.begin() + 1, "127.0.0.1:" + std::to_string(ep->port()));
    const std::string scenario = scenarioPath("uac_hold.xml");
    for (auto a : {"-sf", scenario.c_str(), "-trace_logs", "-log_file"}) args.emplace_back(a);
    args.push_back(tmp.path + "/log.txt");
    for (auto a : {"-key", "uui", "x;encoding=jwt"}) args.emplace_back(a);
    Child sipp(args, tmp.path);
    pump(
        io, [&] { return sipp.exited() && ended; }, 20s);
    INFO(sipp.output() << readFile(tmp.path + "/log.txt"));
    REQUIRE(sipp.poll() == 0);  // the answers said recvonly, then sendrecv
    REQUIRE(ended);
    REQUIRE(initial.size() == 1);
    CHECK(initial[0].sends);
    CHECK(initial[0].receives);
    REQUIRE(changes.size() == 2);
    CHECK(changes[0].sends);           // the phone sends (music on hold)...
    CHECK_FALSE(changes[0].receives);  // ...and wants nothing back
    CHECK(changes[1].sends);
    CHECK(changes[1].receives);
    ep->stop();
}

TEST_CASE(
    "An outbound call to a callee without session timers is refreshed by re-INVITE with our offer",
    "[sip][endpoint][hardening][sipp]") {
    boost::asio::io_context io;
    std::vector<std::string> answered, ended, failed;
    SipEndpoint::Events events;
    events.onAnswered = [&](const std::string& id, const RemoteMedia&) { answered.push_back(id); };
    events.onEnded = [&](const std::string& id, const std::string&) { ended.push_back(id); };
    events.onFailed = [&](const std::string& id, int, const std::string&) { failed.push_back(id); };
    auto cfg = loopbackConfig();
    cfg.sessionExpiresSeconds = 10;
    cfg.minSessionExpiresSeconds = 10;
    SipEndpoint ep(io.get_executor(), cfg, std::move(events));
    ep.start();

    const auto uasPort = freePort();
    TempDir tmp;
    auto args = sippArgs(uasPort, freePort());
    const std::string scenario = scenarioPath("uas_refresh.xml");
    for (auto a : {"-sf", scenario.c_str(), "-trace_logs", "-log_file"}) args.emplace_back(a);
    args.push_back(tmp.path + "/log.txt");
    *std::find(args.begin(), args.end(), "15s") = "25s";  // -timeout: the refresh comes after ~5 s
    Child sipp(args, tmp.path);
    std::this_thread::sleep_for(300ms);

    OutboundCall call;
    call.toUri = "sip:bob@127.0.0.1:" + std::to_string(uasPort);
    call.local.address = "127.0.0.1";
    call.local.port = 32010;
    auto id = ep.dial(call);
    REQUIRE(pump(
        io, [&] { return !answered.empty() || !failed.empty(); }, 10s));
    REQUIRE(answered.size() == 1);
    // Past the first refresh (at most half of the 10 s), before a second one: still up.
    pump(
        io, [&] { return !ended.empty(); }, 7500ms);
    INFO(readFile(tmp.path + "/log.txt") << sipp.output());
    CHECK(ended.empty());
    CHECK(ep.activeCalls() == 1);
    CHECK(readFile(tmp.path + "/log.txt").find("refresh=m=audio") != std::string::npos);
    ep.hangup(id);
    REQUIRE(pump(
        io, [&] { return sipp.exited(); }, 10s));
    CHECK(sipp.poll() == 0);
    ep.stop();
}

TEST_CASE(
    "A sendonly PCMA offer is answered recvonly, and a session refresh reports no media change",
    "[sip][endpoint][hardening][sipp]") {
    boost::asio::io_context io;
    std::optional<SipEndpoint> ep;
    std::vector<RemoteMedia> changes, initial;
    bool ended = false;
    SipEndpoint::Events events;
    events.onInvite = [&](const InboundInvite& i) {
        initial.push_back(i.remote);
        LocalMedia m;
        m.address = "127.0.0.1";
        m.port = 31012;
        ep->answer(i.callId, m);  // asks for PCMU: the offer has only PCMA, which wins
    };
    events.onMediaChanged = [&](const std::string&, const RemoteMedia& r) { changes.push_back(r); };
    events.onEnded = [&](const std::string&, const std::string&) { ended = true; };
    ep.emplace(io.get_executor(), loopbackConfig(), std::move(events));
    ep->start();

    TempDir tmp;
    auto args = sippArgs(freePort(), freePort());
    args.insert(args.begin() + 1, "127.0.0.1:" + std::to_string(ep->port()));
    const std::string scenario = scenarioPath("uac_sendonly_refresh.xml");
    for (auto a : {"-sf", scenario.c_str(), "-trace_logs", "-log_file"}) args.emplace_back(a);
    args.push_back(tmp.path + "/log.txt");
    for (auto a : {"-key", "uui", "x;encoding=jwt"}) args.emplace_back(a);
    Child sipp(args, tmp.path);
    pump(
        io, [&] { return sipp.exited() && ended; }, 20s);
    INFO(sipp.output() << readFile(tmp.path + "/log.txt"));
    REQUIRE(sipp.poll() == 0);  // both answers said recvonly, the first with PCMA
    REQUIRE(ended);
    REQUIRE(initial.size() == 1);
    CHECK(initial[0].sends);
    CHECK_FALSE(initial[0].receives);
    CHECK(initial[0].codec == G711::Pcma);
    CHECK(changes.empty());  // the same SDP again is a refresh, not a change
    ep->stop();
}
