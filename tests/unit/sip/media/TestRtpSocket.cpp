// UDP on loopback: bound address and port range, receive loop, send, close frees the port.
#include <catch2/catch.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <chrono>
#include <stdexcept>
#include <vector>

#include "server/sip/media/RtpSocket.hpp"

using namespace sb::sip::media;
namespace asio = boost::asio;

namespace {
const auto kLoopback = asio::ip::make_address("127.0.0.1");

template <typename Pred>
bool runUntil(asio::io_context& io, Pred done,
              std::chrono::milliseconds limit = std::chrono::milliseconds(2000)) {
    auto end = std::chrono::steady_clock::now() + limit;
    while (!done() && std::chrono::steady_clock::now() < end) {
        io.restart();
        io.run_for(std::chrono::milliseconds(5));
    }
    return done();
}
}  // namespace

TEST_CASE("RtpSocket exchanges datagrams on loopback", "[sip][media][RtpSocket]") {
    asio::io_context io;
    auto ports = std::make_shared<PortAllocator>(46000, 46019);
    auto a = RtpSocket::open(io.get_executor(), kLoopback, ports);
    auto b = RtpSocket::open(io.get_executor(), kLoopback, ports);
    CHECK(a->localEndpoint().address() == kLoopback);  // never the wildcard
    CHECK(a->port() % 2 == 0);
    CHECK(a->port() >= 46000);
    CHECK(a->port() != b->port());

    std::vector<std::vector<std::uint8_t>> got;
    RtpSocket::Endpoint from;
    b->start([&](ByteView data, const RtpSocket::Endpoint& sender) {
        got.emplace_back(data.begin(), data.end());
        from = sender;
    });
    std::uint8_t hello[] = {1, 2, 3};
    REQUIRE(a->send(ByteView{hello, 3}, b->localEndpoint()));
    REQUIRE(a->send(ByteView{hello, 2}, b->localEndpoint()));
    REQUIRE(runUntil(io, [&] { return got.size() == 2; }));
    CHECK(got[0] == std::vector<std::uint8_t>{1, 2, 3});
    CHECK(got[1].size() == 2);
    CHECK(from == a->localEndpoint());
}

TEST_CASE("RtpSocket close frees the port and stops the loop", "[sip][media][RtpSocket]") {
    asio::io_context io;
    auto ports = std::make_shared<PortAllocator>(46020, 46023);
    REQUIRE(ports->available() == 2);
    std::weak_ptr<RtpSocket> weak;
    {
        auto s = RtpSocket::open(io.get_executor(), kLoopback, ports);
        weak = s;
        s->start([](ByteView, const RtpSocket::Endpoint&) {});
        CHECK(ports->available() == 1);
        s->close();
        io.run_for(std::chrono::milliseconds(20));
        CHECK_FALSE(s->isOpen());
        CHECK(ports->available() == 2);
        std::uint8_t x = 0;
        CHECK_FALSE(s->send(ByteView{&x, 1}, RtpSocket::Endpoint(kLoopback, 46020)));
    }
    io.restart();
    io.run_for(std::chrono::milliseconds(20));
    CHECK(weak.expired());  // the receive loop let go of it
}

TEST_CASE("RtpSocket reports exhaustion and skips ports held elsewhere",
          "[sip][media][RtpSocket]") {
    asio::io_context io;
    auto ports = std::make_shared<PortAllocator>(46030, 46033);
    // Another "process" holds the first port of the range.
    asio::ip::udp::socket squatter(io, asio::ip::udp::endpoint(kLoopback, 46030));
    auto s = RtpSocket::open(io.get_executor(), kLoopback, ports);
    CHECK(s->port() == 46032);
    CHECK_THROWS_AS(RtpSocket::open(io.get_executor(), kLoopback, ports), std::runtime_error);
    s->close();
    io.run_for(std::chrono::milliseconds(10));
    CHECK(ports->available() == 2);
}

TEST_CASE("RtpSocket destroyed without close still frees its port", "[sip][media][RtpSocket]") {
    asio::io_context io;
    auto ports = std::make_shared<PortAllocator>(46040, 46041);
    { auto s = RtpSocket::open(io.get_executor(), kLoopback, ports); }
    CHECK(ports->available() == 1);
}
