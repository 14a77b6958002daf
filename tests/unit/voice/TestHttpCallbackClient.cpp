// The real HTTP callback client against a tiny blocking HTTP server on 127.0.0.1.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>
#include <catch2/catch.hpp>
#include <thread>

#include "server/voice/CallbackEvents.hpp"
#include "server/voice/HttpCallbackClient.hpp"

using namespace sb::voice;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

// Serves one connection per entry of `responses` (raw HTTP replies; empty = never answer),
// recording each raw request.
class TinyServer {
  public:
    explicit TinyServer(std::vector<std::string> responses)
        : acceptor_(io_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)),
          responses_(std::move(responses)) {
        thread_ = std::thread([this] { serve(); });
    }
    ~TinyServer() { thread_.join(); }
    unsigned short port() const { return acceptor_.local_endpoint().port(); }
    std::vector<std::string> requests;

  private:
    void serve() {
        for (const auto& response : responses_) {
            tcp::socket s(io_);
            acceptor_.accept(s);
            asio::streambuf buf;
            asio::read_until(s, buf, "\r\n\r\n");
            std::string data(asio::buffers_begin(buf.data()), asio::buffers_end(buf.data()));
            auto headerEnd = data.find("\r\n\r\n") + 4;
            std::size_t length = 0;
            auto cl = data.find("Content-Length: ");
            if (cl != std::string::npos) length = std::stoul(data.substr(cl + 16));
            boost::system::error_code ec;
            if (data.size() < headerEnd + length) {
                buf.consume(buf.size());
                asio::read(s, buf, asio::transfer_exactly(headerEnd + length - data.size()), ec);
                data += std::string(asio::buffers_begin(buf.data()), asio::buffers_end(buf.data()));
            }
            requests.push_back(data);
            if (response.empty()) {
                std::this_thread::sleep_for(std::chrono::milliseconds(400));
                continue;
            }
            asio::write(s, asio::buffer(response), ec);
            s.shutdown(tcp::socket::shutdown_both, ec);
        }
    }
    asio::io_context io_;
    tcp::acceptor acceptor_;
    std::vector<std::string> responses_;
    std::thread thread_;
};

std::string reply(int status, const std::string& body) {
    return "HTTP/1.1 " + std::to_string(status) +
           " X\r\nContent-Type: application/xml\r\nContent-Length: " + std::to_string(body.size()) +
           "\r\nConnection: close\r\n\r\n" + body;
}

CallbackResult deliver(const std::string& url, const std::string& method, nlohmann::json body,
                       HttpCallbackOptions options) {
    asio::io_context io;
    HttpCallbackClient client(io.get_executor(), options);
    CallbackResult result;
    int calls = 0;
    client.post({"acct", "call-1"}, url, method, std::move(body), [&](CallbackResult r) {
        result = std::move(r);
        ++calls;
    });
    io.run();
    CHECK(calls == 1);
    return result;
}

HttpCallbackOptions fast() {
    HttpCallbackOptions o;
    auto policy = std::make_shared<OutboundPolicy>();
    policy->allow("acct", {"127.0.0.1"});
    o.policy = policy;
    o.firstBackoff = std::chrono::milliseconds(10);
    o.timeout = std::chrono::milliseconds(2000);
    return o;
}

}  // namespace

TEST_CASE("HttpCallbackClient retries after a 500 and returns the BXML",
          "[voice][HttpCallbackClient]") {
    std::string result;
    std::vector<std::string> requests;
    {
        TinyServer server({reply(500, "busy"), reply(200, "<Response><Hangup/></Response>")});
        auto r = deliver("http://127.0.0.1:" + std::to_string(server.port()) + "/answer?x=1",
                         "POST", {{"eventType", "answer"}, {"callId", "c-1"}}, fast());
        CHECK(r.ok());
        CHECK(r.status == 200);
        result = r.body;
        requests = server.requests;
    }
    CHECK(result == "<Response><Hangup/></Response>");
    REQUIRE(requests.size() == 2);
    CHECK(requests[0] == requests[1]);
    CHECK_THAT(requests[1], Catch::StartsWith("POST /answer?x=1 HTTP/1.1\r\n"));
    CHECK_THAT(requests[1], Catch::Contains("Content-Type: application/json"));
    CHECK_THAT(requests[1], Catch::EndsWith("{\"callId\":\"c-1\",\"eventType\":\"answer\"}"));
}

TEST_CASE("HttpCallbackClient sends GET callbacks as query parameters and does not retry 4xx",
          "[voice][HttpCallbackClient]") {
    std::vector<std::string> requests;
    CallbackResult r;
    {
        TinyServer server({reply(404, "nope")});
        r = deliver("http://127.0.0.1:" + std::to_string(server.port()) + "/cb", "GET",
                    {{"eventType", "redirect"}, {"tag", "a b&c"}, {"answerTime", nullptr}}, fast());
        requests = server.requests;
    }
    CHECK(r.status == 404);
    CHECK_FALSE(r.ok());
    REQUIRE(requests.size() == 1);
    CHECK_THAT(requests[0],
               Catch::StartsWith("GET /cb?eventType=redirect&tag=a%20b%26c HTTP/1.1\r\n"));
}

TEST_CASE("HttpCallbackClient gives up after its attempts with the reason",
          "[voice][HttpCallbackClient]") {
    SECTION("connection refused") {
        unsigned short port = 0;
        {
            asio::io_context io;
            tcp::acceptor a(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
            port = a.local_endpoint().port();
        }
        auto o = fast();
        o.maxAttempts = 2;
        auto r = deliver("http://127.0.0.1:" + std::to_string(port) + "/x", "POST", {{"a", 1}}, o);
        CHECK(r.status == 0);
        CHECK_THAT(r.error, Catch::Contains("connecting"));
        CHECK_THAT(describeFailure(r, "http://x"), Catch::Contains("(http://x)"));
    }
    SECTION("no response in time") {
        TinyServer server({""});
        auto o = fast();
        o.maxAttempts = 1;
        o.timeout = std::chrono::milliseconds(100);
        auto r = deliver("http://127.0.0.1:" + std::to_string(server.port()) + "/slow", "POST",
                         {{"a", 1}}, o);
        CHECK(r.error == "no response within 100 ms");
    }
    SECTION("an https:// URL whose server does not speak TLS fails the handshake") {
        // Answers any connection with a plain HTTP reply at once (where the ServerHello should be).
        asio::io_context serverIo;
        tcp::acceptor acceptor(serverIo, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
        std::thread plain([&] {
            tcp::socket s(serverIo);
            acceptor.accept(s);
            boost::system::error_code ec;
            asio::write(s, asio::buffer(reply(200, "plain")), ec);
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
        });
        auto o = fast();
        o.maxAttempts = 1;
        auto r =
            deliver("https://127.0.0.1:" + std::to_string(acceptor.local_endpoint().port()) + "/x",
                    "POST", {{"a", 1}}, o);
        plain.join();
        CHECK(r.status == 0);
        CHECK_THAT(r.error, Catch::Contains("while the TLS handshake"));
    }
    SECTION("other schemes are refused without a connection") {
        auto r = deliver("ftp://127.0.0.1/x", "POST", {{"a", 1}}, fast());
        CHECK(r.error == "not an http:// or https:// URL");
    }
}

// callbacks (issue 9)
TEST_CASE(
    "HttpCallbackClient sends the scope's credentials as Basic and bounds attempts by its timeout",
    "[voice][HttpCallbackClient][callbacks]") {
    std::vector<std::string> requests;
    {
        TinyServer server({reply(200, "ok"), ""});
        auto url = "http://127.0.0.1:" + std::to_string(server.port()) + "/cb";
        asio::io_context io;
        auto o = fast();
        o.maxAttempts = 1;
        HttpCallbackClient client(io.get_executor(), o);
        CallbackScope withCredentials{"acct", "c1"};
        withCredentials.credentials = BasicCredentials{"Aladdin", "open sesame"};
        CallbackResult first;
        CallbackResult second;
        client.post(withCredentials, url, "POST", {{"n", 1}},
                    [&](CallbackResult r) { first = std::move(r); });
        io.run();
        CallbackScope quick{"acct", "c1"};
        quick.timeout = std::chrono::milliseconds(150);
        client.post(quick, url, "POST", {{"n", 2}},
                    [&](CallbackResult r) { second = std::move(r); });
        io.restart();
        io.run();
        CHECK(first.ok());
        CHECK(second.error == "no response within 150 ms");  // not the client's 2000 ms
        requests = server.requests;
    }
    REQUIRE(requests.size() == 2);
    // RFC 7617's own example.
    CHECK_THAT(requests[0],
               Catch::Contains("Authorization: Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==\r\n"));
    CHECK_THAT(requests[1], !Catch::Contains("Authorization"));
}

TEST_CASE("HttpCallbackClient refuses to start with a CA file it cannot read",
          "[voice][HttpCallbackClient][callbacks]") {
    asio::io_context io;
    auto o = fast();
    o.caFile = "/nonexistent/ca.pem";
    CHECK_THROWS_WITH(HttpCallbackClient(io.get_executor(), o),
                      Catch::StartsWith("callbackCaFile /nonexistent/ca.pem"));
}

TEST_CASE("formEncode flattens scalars", "[voice][HttpCallbackClient]") {
    CHECK(formEncode({{"a", "x y"}, {"b", 2}, {"c", true}, {"d", nullptr}, {"e", {1, 2}}}) ==
          "a=x%20y&b=2&c=true");
}

TEST_CASE("HttpCallbackClient connects to non-public addresses only where the account allows them",
          "[voice][HttpCallbackClient][outbound]") {
    TinyServer server({reply(200, "<Response/>")});
    auto url = "http://127.0.0.1:" + std::to_string(server.port()) + "/answer";
    auto o = fast();
    o.policy = std::make_shared<OutboundPolicy>();  // nobody may reach loopback
    auto refused = deliver(url, "POST", {{"a", 1}}, o);
    // Refused before any connection: a connection would have waited for the first reply.
    CHECK(refused.status == 0);
    CHECK(refused.error ==
          "refused: 127.0.0.1 resolves to a loopback address, which this account may not reach "
          "(accounts[].allowedCallbackNetworks)");
    // "localhost" is a name: refused after resolution, whatever it resolves to.
    auto byName = deliver("http://localhost:" + std::to_string(server.port()) + "/answer", "POST",
                          {{"a", 1}}, o);
    CHECK_THAT(byName.error,
               Catch::StartsWith("refused: localhost resolves to a loopback address"));
    auto allowed = deliver(url, "POST", {{"a", 1}}, fast());  // 127.0.0.1 allowed for "acct"
    CHECK(allowed.ok());
}

TEST_CASE("HttpCallbackClient bounds the callbacks pending per call and in all",
          "[voice][HttpCallbackClient][outbound]") {
    TinyServer server({reply(200, "a"), reply(200, "b")});
    auto url = "http://127.0.0.1:" + std::to_string(server.port()) + "/cb";
    auto o = fast();
    o.maxPendingPerCall = 1;
    o.maxPending = 2;
    asio::io_context io;
    HttpCallbackClient client(io.get_executor(), o);
    std::vector<CallbackResult> results(4);
    client.post({"acct", "c1"}, url, "POST", {{"n", 1}},
                [&](CallbackResult r) { results[0] = std::move(r); });
    client.post({"acct", "c1"}, url, "POST", {{"n", 2}},
                [&](CallbackResult r) { results[1] = std::move(r); });
    client.post({"acct", "c2"}, url, "POST", {{"n", 3}},
                [&](CallbackResult r) { results[2] = std::move(r); });
    CHECK(client.pending() == 2);
    client.post({"acct", "c3"}, url, "POST", {{"n", 4}},
                [&](CallbackResult r) { results[3] = std::move(r); });
    io.run();
    CHECK(results[0].ok());
    CHECK(results[1].error == "refused: too many callbacks pending for this call");
    CHECK(results[2].ok());
    CHECK(results[3].error == "refused: too many callbacks pending on this server");
    CHECK(client.pending() == 0);  // places are given back
}

TEST_CASE("HttpCallbackClient: a request without call id counts against the global bound only",
          "[voice][HttpCallbackClient][outbound]") {
    TinyServer server({reply(200, "a"), reply(200, "b")});
    auto url = "http://127.0.0.1:" + std::to_string(server.port()) + "/cb";
    auto o = fast();
    o.maxPendingPerCall = 1;
    asio::io_context io;
    HttpCallbackClient client(io.get_executor(), o);
    std::vector<CallbackResult> results(2);
    client.post({"acct", ""}, url, "POST", {{"n", 1}},
                [&](CallbackResult r) { results[0] = std::move(r); });
    client.post({"acct", ""}, url, "POST", {{"n", 2}},
                [&](CallbackResult r) { results[1] = std::move(r); });
    io.run();
    CHECK(results[0].ok());
    CHECK(results[1].ok());
    CHECK(client.pending() == 0);
}
