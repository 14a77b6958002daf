// SipEndpoint against sipp (Debian's sip-tester) on 127.0.0.1: real sockets, real SIP.
#include <catch2/catch.hpp>

#include <boost/asio/io_context.hpp>

#include <optional>

#include "server/sip/endpoint/SipEndpoint.hpp"
#include "unit/sip/endpoint/SipTestSupport.hpp"

using namespace sb::sip;
using namespace sb::sip::test;
using namespace std::chrono_literals;

namespace {

constexpr char kUui[] =
    "93d6f3c0be5845960b744fa28015d8ede84bd1a4;encoding=base64,"
    "eyJhbGciOiJIUzI1NiJ9.eyJhIjoiYWNjIiwicCI6InBhcnQtMSIsInYiOiJ2MyJ9.c2lnbmF0dXJl;encoding=jwt";

SipConfig loopbackConfig() {
    SipConfig c;
    c.port = 0;
    return c;
}

struct Recorder {
    std::vector<InboundInvite> invites;
    std::vector<std::pair<std::string, RemoteMedia>> answered;
    std::vector<std::string> ringing;
    std::vector<std::tuple<std::string, int, std::string>> failed;
    std::vector<std::pair<std::string, std::string>> ended;

    SipEndpoint::Events events(std::function<void(const InboundInvite&)> onInvite = {}) {
        SipEndpoint::Events e;
        e.onInvite = [this, onInvite](const InboundInvite& i) {
            invites.push_back(i);
            if (onInvite) onInvite(i);
        };
        e.onAnswered = [this](const std::string& id, const RemoteMedia& m) {
            answered.emplace_back(id, m);
        };
        e.onRinging = [this](const std::string& id) { ringing.push_back(id); };
        e.onFailed = [this](const std::string& id, int status, const std::string& reason) {
            failed.emplace_back(id, status, reason);
        };
        e.onEnded = [this](const std::string& id, const std::string& reason) {
            ended.emplace_back(id, reason);
        };
        return e;
    }
};

LocalMedia localMedia(std::uint16_t port) {
    LocalMedia m;
    m.address = "127.0.0.1";
    m.port = port;
    return m;
}

std::vector<std::string> uacArgs(std::uint16_t target, const std::string& scenario,
                                 const std::string& dir) {
    auto args = sippArgs(freePort(), freePort());
    args.insert(args.begin() + 1, "127.0.0.1:" + std::to_string(target));
    for (auto a : {"-sf", scenario.c_str(), "-trace_logs", "-log_file"}) args.emplace_back(a);
    args.push_back(dir + "/log.txt");
    return args;
}

}  // namespace

TEST_CASE("sipp INVITE with User-To-User is answered with PCMU, then BYE ends it",
          "[sip][endpoint][sipp]") {
    boost::asio::io_context io;
    Recorder rec;
    std::optional<SipEndpoint> ep;
    ep.emplace(io.get_executor(), loopbackConfig(), rec.events([&](const InboundInvite& i) {
        ep->answer(i.callId, localMedia(31000));
    }));
    ep->start();
    REQUIRE(ep->port() != 0);

    TempDir tmp;
    const auto& dir = tmp.path;
    auto args = uacArgs(ep->port(), scenarioPath("uac_uui_pcmu.xml"), dir);
    for (auto a : {"-key", "uui", kUui}) args.emplace_back(a);
    Child sipp(args, dir);

    REQUIRE(pump(
        io, [&] { return sipp.exited() && !rec.ended.empty(); }, 20s));
    INFO(sipp.output());
    CHECK(sipp.poll() == 0);
    REQUIRE(rec.invites.size() == 1);
    const auto& inv = rec.invites[0];
    CHECK(inv.userToUser == kUui);
    REQUIRE(inv.userToUserValues.size() == 2);
    CHECK(inv.userToUserValues[0].data == "93d6f3c0be5845960b744fa28015d8ede84bd1a4");
    CHECK(inv.userToUserValues[0].encoding == "base64");
    CHECK(inv.userToUserValues[1].data.size() > 7);
    CHECK(inv.userToUserValues[1].encoding == "jwt");
    CHECK(inv.codecMatch);
    CHECK(inv.remote.codec == G711::Pcmu);
    CHECK(inv.remote.address == "127.0.0.1");
    CHECK(inv.remote.telephoneEventPt == 101);
    CHECK(inv.requestUri.rfind("sip:service@127.0.0.1:", 0) == 0);
    CHECK(inv.from.find("sip:sipp@127.0.0.1") != std::string::npos);
    CHECK_FALSE(inv.sipCallId.empty());
    CHECK(inv.callId != inv.sipCallId);
    REQUIRE(rec.ended.size() == 1);
    CHECK(rec.ended[0].first == inv.callId);
    CHECK(rec.ended[0].second == "bye");
    CHECK(ep->activeCalls() == 0);
    ep->stop();
}

TEST_CASE("reject() reaches sipp as the final response", "[sip][endpoint][sipp]") {
    boost::asio::io_context io;
    Recorder rec;
    std::optional<SipEndpoint> ep;
    ep.emplace(io.get_executor(), loopbackConfig(), rec.events([&](const InboundInvite& i) {
        if (i.codecMatch)
            ep->reject(i.callId, 403, "Forbidden");
        else
            ep->reject(i.callId, 488, "Not Acceptable Here");
    }));
    ep->start();

    SECTION("403 for a PCMU offer") {
        TempDir tmp;
        const auto& dir = tmp.path;
        auto args = uacArgs(ep->port(), scenarioPath("uac_uui_rejected.xml"), dir);
        for (auto a : {"-key", "uui", "x.y.z;encoding=jwt", "-key", "offer_pt", "0", "-key",
                       "offer_codec", "PCMU/8000"})
            args.emplace_back(a);
        Child sipp(args, dir);
        REQUIRE(pump(
            io, [&] { return sipp.exited(); }, 20s));
        INFO(sipp.output());
        CHECK(sipp.poll() == 0);
        CHECK(readFile(dir + "/log.txt").find("final=403") != std::string::npos);
        REQUIRE(rec.invites.size() == 1);
        CHECK(rec.invites[0].codecMatch);
        REQUIRE(rec.invites[0].userToUserValues.size() == 1);
        CHECK(rec.invites[0].userToUserValues[0].data == "x.y.z");
        CHECK(rec.invites[0].userToUserValues[0].encoding == "jwt");
    }
    SECTION("an offer with only G.729 has codecMatch=false; the app answers 488") {
        TempDir tmp;
        const auto& dir = tmp.path;
        auto args = uacArgs(ep->port(), scenarioPath("uac_uui_rejected.xml"), dir);
        for (auto a : {"-key", "uui", "x.y.z;encoding=jwt", "-key", "offer_pt", "18", "-key",
                       "offer_codec", "G729/8000"})
            args.emplace_back(a);
        Child sipp(args, dir);
        REQUIRE(pump(
            io, [&] { return sipp.exited(); }, 20s));
        INFO(sipp.output());
        CHECK(sipp.poll() == 0);
        CHECK(readFile(dir + "/log.txt").find("final=488") != std::string::npos);
        REQUIRE(rec.invites.size() == 1);
        CHECK_FALSE(rec.invites[0].codecMatch);
        CHECK(rec.invites[0].remote.telephoneEventPt == -1);
    }
    // No event for a call the app itself rejected.
    pump(
        io, [] { return false; }, 200ms);
    CHECK(rec.ended.empty());
    CHECK(ep->activeCalls() == 0);
}

TEST_CASE("dial() to a sipp UAS: User-To-User sent, answered, hangup() sends BYE",
          "[sip][endpoint][sipp]") {
    boost::asio::io_context io;
    Recorder rec;
    SipEndpoint ep(io.get_executor(), loopbackConfig(), rec.events());
    ep.start();

    const auto uasPort = freePort();
    const auto uasMedia = freePort();
    TempDir tmp;
    const auto& dir = tmp.path;
    const bool builtin = GENERATE(false, true);
    auto args = sippArgs(uasPort, uasMedia);
    if (builtin) {
        for (auto a : {"-sn", "uas"}) args.emplace_back(a);
    } else {
        for (auto a : {"-sf", "uas_uui_answer.xml", "-trace_logs", "-log_file"})
            args.emplace_back(a);
        args[args.size() - 3] = scenarioPath("uas_uui_answer.xml");
        args.push_back(dir + "/log.txt");
    }
    Child sipp(args, dir);
    std::this_thread::sleep_for(300ms);  // let sipp bind

    OutboundCall call;
    call.toUri = "sip:bob@127.0.0.1:" + std::to_string(uasPort);
    call.userToUser = "abc.def.ghi;encoding=jwt";
    call.local = localMedia(32000);
    call.timeout = 10s;
    auto id = ep.dial(call);
    CHECK(ep.activeCalls() <= 1);

    REQUIRE(pump(
        io, [&] { return !rec.answered.empty() || !rec.failed.empty(); }, 10s));
    INFO(sipp.output());
    REQUIRE(rec.answered.size() == 1);
    CHECK(rec.answered[0].first == id);
    const auto& remote = rec.answered[0].second;
    CHECK(remote.address == "127.0.0.1");
    CHECK(remote.port == uasMedia);
    CHECK(remote.codec == G711::Pcmu);
    CHECK(remote.telephoneEventPt == (builtin ? -1 : 101));
    CHECK(rec.ringing == std::vector<std::string>{id});
    CHECK(ep.activeCalls() == 1);

    ep.hangup(id);
    REQUIRE(pump(
        io, [&] { return sipp.exited(); }, 10s));
    CHECK(sipp.poll() == 0);
    if (!builtin)
        CHECK(readFile(dir + "/log.txt").find("uui=abc.def.ghi;encoding=jwt") != std::string::npos);
    CHECK(ep.activeCalls() == 0);
    CHECK(rec.failed.empty());
    CHECK(rec.ended.empty());  // our own hangup is not reported
}

TEST_CASE("dial() to a port nobody listens on fails within the timeout", "[sip][endpoint][sipp]") {
    boost::asio::io_context io;
    Recorder rec;
    SipEndpoint ep(io.get_executor(), loopbackConfig(), rec.events());
    ep.start();

    OutboundCall call;
    call.toUri = "sip:nobody@127.0.0.1:" + std::to_string(freePort());
    call.local = localMedia(32002);
    call.timeout = 3s;
    const auto started = std::chrono::steady_clock::now();
    auto id = ep.dial(call);
    REQUIRE(pump(
        io, [&] { return !rec.failed.empty(); }, 5s));
    CHECK(std::chrono::steady_clock::now() - started < 4s);
    CHECK(std::get<0>(rec.failed[0]) == id);
    const int status = std::get<1>(rec.failed[0]);
    CHECK((status == 408 || status == 503));
    CHECK(rec.answered.empty());
    CHECK(ep.activeCalls() == 0);
}

TEST_CASE("A 503 with Retry-After fails the call at once, without a second INVITE",
          "[sip][endpoint][sipp]") {
    boost::asio::io_context io;
    Recorder rec;
    SipEndpoint ep(io.get_executor(), loopbackConfig(), rec.events());
    ep.start();

    const auto uasPort = freePort();
    TempDir tmp;
    const auto& dir = tmp.path;
    auto args = sippArgs(uasPort, freePort());
    args.emplace_back("-sf");
    args.push_back(scenarioPath("uas_busy_retry_after.xml"));
    Child sipp(args, dir);
    std::this_thread::sleep_for(300ms);

    OutboundCall call;
    call.toUri = "sip:busy@127.0.0.1:" + std::to_string(uasPort);
    call.local = localMedia(32004);
    auto id = ep.dial(call);
    REQUIRE(pump(
        io, [&] { return !rec.failed.empty(); }, 3s));
    CHECK(rec.failed[0] == std::make_tuple(id, 503, std::string("Service Unavailable")));
    REQUIRE(pump(
        io, [&] { return sipp.exited(); }, 10s));
    INFO(sipp.output());
    CHECK(sipp.poll() == 0);
    CHECK(rec.failed.size() == 1);
    CHECK(ep.activeCalls() == 0);
}
