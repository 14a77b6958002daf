#include "server/sip/endpoint/LeftoverByes.hpp"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <random>

#include "server/base/Log.hpp"

namespace sb::sip {

namespace {

constexpr auto kT1 = std::chrono::milliseconds(500);
constexpr auto kT2 = std::chrono::seconds(4);
constexpr auto kTimerF = std::chrono::seconds(32);

std::string randomToken() {
    static thread_local std::mt19937_64 rng{std::random_device{}()};
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(rng()));
    return buf;
}

// host and port of a SIP URI such as "<sip:user@10.0.0.1:5070;lr>" or "sip:10.0.0.1";
// false if it has none we can send to. IPv4 literals and names (resolved).
bool destinationOf(const std::string& uriText, sockaddr_in& out) {
    std::string uri = uriText;
    if (!uri.empty() && uri.front() == '<') uri = uri.substr(1, uri.find('>') - 1);
    auto colon = uri.find(':');
    if (colon == std::string::npos) return false;
    std::string rest = uri.substr(colon + 1);
    if (auto at = rest.find('@'); at != std::string::npos) rest = rest.substr(at + 1);
    rest = rest.substr(0, rest.find_first_of(";?>"));
    std::string host = rest;
    std::string port = "5060";
    if (auto c = rest.rfind(':'); c != std::string::npos) {
        host = rest.substr(0, c);
        port = rest.substr(c + 1);
    }
    if (host.empty() || host.size() > 253) return false;
    addrinfo hints{};
    hints.ai_family = AF_INET;
    hints.ai_socktype = SOCK_DGRAM;
    addrinfo* res = nullptr;
    if (::getaddrinfo(host.c_str(), port.c_str(), &hints, &res) != 0 || !res) return false;
    std::memcpy(&out, res->ai_addr, sizeof out);
    ::freeaddrinfo(res);
    return true;
}

struct Pending {
    SipDialog dialog;
    std::string branch;
    std::string text;
    sockaddr_in to{};
    std::chrono::steady_clock::time_point next, giveUp;
    std::chrono::milliseconds interval = kT1;
    int status = 0;
};

}  // namespace

std::string LeftoverByes::byeFor(const SipDialog& d, const std::string& via,
                                 const std::string& branch, const std::string& userAgent) {
    std::string m = "BYE " + d.remoteTarget + " SIP/2.0\r\n";
    m += "Via: SIP/2.0/UDP " + via + ";branch=z9hG4bK" + branch + ";rport\r\n";
    m += "Max-Forwards: 70\r\n";
    for (const auto& route : d.routeSet) m += "Route: " + route + "\r\n";
    m += "From: " + d.local + "\r\n";
    m += "To: " + d.remote + "\r\n";
    m += "Call-ID: " + d.sipCallId + "\r\n";
    m += "CSeq: 2147483647 BYE\r\n";
    // RFC 3326: why the call ended, for the phone's logs.
    m += "Reason: SIP;cause=503;text=\"switchboard restarted\"\r\n";
    m += "User-Agent: " + userAgent + "\r\n";
    m += "Content-Length: 0\r\n\r\n";
    return m;
}

LeftoverByes::LeftoverByes(std::vector<SipDialog> dialogs, std::string bindAddress,
                           std::string advertisedHost, std::string userAgent)
    : bindAddress_(std::move(bindAddress)),
      advertisedHost_(std::move(advertisedHost)),
      userAgent_(std::move(userAgent)),
      thread_([this, d = std::move(dialogs)]() mutable { run(std::move(d)); }) {}

LeftoverByes::~LeftoverByes() {
    stopping_ = true;
    thread_.join();
}

void LeftoverByes::run(std::vector<SipDialog> dialogs) {
    if (dialogs.empty()) return;
    int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_in local{};
    local.sin_family = AF_INET;
    socklen_t len = sizeof local;
    if (fd < 0 || ::inet_pton(AF_INET, bindAddress_.c_str(), &local.sin_addr) != 1 ||
        ::bind(fd, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &len) != 0) {
        base::log(base::LogLevel::Error,
                  "sip: cannot send BYE to the calls left by the previous "
                  "process: no UDP socket on " +
                      bindAddress_);
        if (fd >= 0) ::close(fd);
        return;
    }
    const std::string via = advertisedHost_ + ":" + std::to_string(ntohs(local.sin_port));
    auto now = std::chrono::steady_clock::now();
    std::vector<Pending> pending;
    for (auto& d : dialogs) {
        Pending p;
        if (d.transport != "udp" || d.remoteTarget.empty() ||
            !destinationOf(d.routeSet.empty() ? d.remoteTarget : d.routeSet.front(), p.to)) {
            base::log(base::LogLevel::Warn, "sip: call " + d.callId +
                                                " left by the previous "
                                                "process cannot be sent a BYE (" +
                                                d.transport + ")");
            continue;
        }
        p.branch = randomToken();
        p.text = byeFor(d, via, p.branch, userAgent_);
        p.dialog = std::move(d);
        p.next = now;
        p.giveUp = now + kTimerF;
        pending.push_back(std::move(p));
    }
    std::size_t open = pending.size();
    while (open > 0 && !stopping_) {
        now = std::chrono::steady_clock::now();
        for (auto& p : pending) {
            if (p.status != 0) continue;
            if (now >= p.giveUp) {
                p.status = 408;  // §17.1.2.2 Timer F
                --open;
                base::log(base::LogLevel::Warn, "sip: no answer to the BYE of call " +
                                                    p.dialog.callId +
                                                    " left by the previous process");
                continue;
            }
            if (now < p.next) continue;
            ::sendto(fd, p.text.data(), p.text.size(), 0, reinterpret_cast<sockaddr*>(&p.to),
                     sizeof p.to);
            p.next = now + p.interval;
            p.interval = std::min<std::chrono::milliseconds>(p.interval * 2, kT2);
        }
        pollfd pfd{fd, POLLIN, 0};
        if (::poll(&pfd, 1, 50) <= 0) continue;
        char buf[4096];
        auto n = ::recv(fd, buf, sizeof buf - 1, 0);
        if (n <= 12) continue;
        std::string response(buf, static_cast<std::size_t>(n));
        if (response.compare(0, 8, "SIP/2.0 ") != 0) continue;
        int status = std::atoi(response.c_str() + 8);
        if (status < 200) continue;  // provisional: wait on (§17.1.2.2)
        for (auto& p : pending) {
            if (p.status != 0 || response.find(p.branch) == std::string::npos) continue;
            p.status = status;
            --open;
            base::log(base::LogLevel::Info, "sip: call " + p.dialog.callId +
                                                " left by the previous process ended (BYE: " +
                                                std::to_string(status) + ")");
        }
    }
    ::close(fd);
}

}  // namespace sb::sip
