#include "server/sip/endpoint/LeftoverByes.hpp"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <random>

#include "server/base/Log.hpp"
#include "server/sip/endpoint/ResponseStream.hpp"

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
    int status = 0;     // the final response's, 408 at Timer F, -1 when it could not be sent
    int tcp = -1;       // a TCP dialog's own connection
    bool sent = false;  // over TCP: once, when the connection is up (§17.1.2.2: no retransmission)
    std::string received;
};

// A socket on `bindAddress` (port chosen by the kernel) with `local` its address; -1 on failure.
// TCP sockets are non-blocking and start connecting to `to` (RFC 3261 §18.1.1: a client may open
// a new connection to the destination; the response comes back on it, §18.2.2).
int openSocket(int type, const std::string& bindAddress, const sockaddr_in* to,
               sockaddr_in& local) {
    int fd = ::socket(AF_INET, type | SOCK_CLOEXEC | (to ? SOCK_NONBLOCK : 0), 0);
    local = {};
    local.sin_family = AF_INET;
    socklen_t len = sizeof local;
    if (fd < 0 || ::inet_pton(AF_INET, bindAddress.c_str(), &local.sin_addr) != 1 ||
        ::bind(fd, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &len) != 0 ||
        (to && ::connect(fd, reinterpret_cast<const sockaddr*>(to), sizeof *to) != 0 &&
         errno != EINPROGRESS)) {
        if (fd >= 0) ::close(fd);
        return -1;
    }
    return fd;
}

std::string sentBy(const std::string& host, const sockaddr_in& local) {
    return host + ":" + std::to_string(ntohs(local.sin_port));
}

// One datagram: the UDP BYE it answers is found by its Via branch (§17.1.3).
template <typename Finish>
void readDatagram(int fd, std::vector<Pending>& pending, Finish& finish) {
    char buf[4096];
    auto n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) return;
    std::string_view response(buf, static_cast<std::size_t>(n));
    if (statusOf(response) < 200) return;  // not a response, or provisional: wait on (§17.1.2.2)
    for (auto& p : pending)
        if (p.status == 0 && p.tcp < 0 && response.find(p.branch) != std::string_view::npos)
            finish(p, statusOf(response));
}

// A TCP BYE's next step once poll() says its connection is ready: the BYE is sent when the
// connection is up, then responses are read until a final one. Returns its status when done (-1 on
// a failure), else 0.
int advanceTcp(Pending& p) {
    if (!p.sent) {
        int error = 0;
        socklen_t len = sizeof error;
        if (::getsockopt(p.tcp, SOL_SOCKET, SO_ERROR, &error, &len) != 0 || error != 0) return -1;
        // A BYE is far below a socket buffer: one send takes it whole or the connection is useless.
        if (::send(p.tcp, p.text.data(), p.text.size(), MSG_NOSIGNAL) !=
            static_cast<ssize_t>(p.text.size()))
            return -1;
        p.sent = true;
        return 0;
    }
    char buf[4096];
    auto n = ::recv(p.tcp, buf, sizeof buf, 0);
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) return 0;
    if (n <= 0) return -1;  // closed before a final response
    p.received.append(buf, static_cast<std::size_t>(n));
    return takeFinalStatus(p.received);
}

}  // namespace

std::string LeftoverByes::byeFor(const SipDialog& d, const std::string& via,
                                 const std::string& branch, const std::string& userAgent) {
    const bool tcp = d.transport == "tcp";
    std::string m = "BYE " + d.remoteTarget + " SIP/2.0\r\n";
    // rport (RFC 3581) only where responses could miss us behind a NAT: over UDP.
    m += std::string("Via: SIP/2.0/") + (tcp ? "TCP " : "UDP ") + via + ";branch=z9hG4bK" + branch +
         (tcp ? "\r\n" : ";rport\r\n");
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
    sockaddr_in local{};
    int udp = openSocket(SOCK_DGRAM, bindAddress_, nullptr, local);
    if (udp < 0) {
        base::log(base::LogLevel::Error,
                  "sip: cannot send BYE to the calls left by the previous process: no UDP "
                  "socket on " +
                      bindAddress_);
        return;
    }
    const std::string udpVia = sentBy(advertisedHost_, local);
    auto now = std::chrono::steady_clock::now();
    std::vector<Pending> pending;
    for (auto& d : dialogs) {
        Pending p;
        const bool tcp = d.transport == "tcp";
        if (d.remoteTarget.empty() ||
            !destinationOf(d.routeSet.empty() ? d.remoteTarget : d.routeSet.front(), p.to) ||
            (tcp && (p.tcp = openSocket(SOCK_STREAM, bindAddress_, &p.to, local)) < 0)) {
            base::log(base::LogLevel::Warn, "sip: call " + d.callId +
                                                " left by the previous process cannot be sent a "
                                                "BYE (" +
                                                d.transport + ")");
            continue;
        }
        p.branch = randomToken();
        p.text = byeFor(d, tcp ? sentBy(advertisedHost_, local) : udpVia, p.branch, userAgent_);
        p.dialog = std::move(d);
        p.next = now;
        p.giveUp = now + kTimerF;
        pending.push_back(std::move(p));
    }
    std::size_t open = pending.size();
    auto finish = [&open](Pending& p, int status) {
        p.status = status;
        --open;
        if (status == 408)
            base::log(base::LogLevel::Warn, "sip: no answer to the BYE of call " + p.dialog.callId +
                                                " left by the previous process");
        else if (status < 0)
            base::log(base::LogLevel::Warn, "sip: the BYE of call " + p.dialog.callId +
                                                " left by the previous process failed (" +
                                                p.dialog.transport + " connection)");
        else
            base::log(base::LogLevel::Info, "sip: call " + p.dialog.callId +
                                                " left by the previous process ended (BYE: " +
                                                std::to_string(status) + ")");
    };
    std::vector<pollfd> fds;
    std::vector<Pending*> owners;  // fds[i + 1] is owners[i]'s TCP connection
    while (open > 0 && !stopping_) {
        now = std::chrono::steady_clock::now();
        fds.assign(1, pollfd{udp, POLLIN, 0});
        owners.clear();
        for (auto& p : pending) {
            if (p.status != 0) continue;
            if (now >= p.giveUp) {
                finish(p, 408);  // §17.1.2.2 Timer F
            } else if (p.tcp >= 0) {
                fds.push_back(pollfd{p.tcp, static_cast<short>(p.sent ? POLLIN : POLLOUT), 0});
                owners.push_back(&p);
            } else if (now >= p.next) {
                ::sendto(udp, p.text.data(), p.text.size(), 0, reinterpret_cast<sockaddr*>(&p.to),
                         sizeof p.to);
                p.next = now + p.interval;
                p.interval = std::min<std::chrono::milliseconds>(p.interval * 2, kT2);
            }
        }
        if (::poll(fds.data(), fds.size(), 50) <= 0) continue;
        if (fds[0].revents & POLLIN) readDatagram(udp, pending, finish);
        for (std::size_t i = 0; i < owners.size(); ++i)
            if (fds[i + 1].revents != 0 && owners[i]->status == 0)
                if (int status = advanceTcp(*owners[i]); status != 0) finish(*owners[i], status);
    }
    for (auto& p : pending)
        if (p.tcp >= 0) ::close(p.tcp);
    ::close(udp);
}

}  // namespace sb::sip
