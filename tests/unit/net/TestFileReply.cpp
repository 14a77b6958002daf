// Streaming a file range as an HTTP response (server/net/FileReply), checked from a client on
// 127.0.0.1: the bytes of exactly the promised range in several chunks, HEAD without a body, and
// a file that shrank ending the connection instead of sending a short message as complete.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <optional>
#include <string>

#include "server/net/FileReply.hpp"

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::ip::tcp;
using sb::net::FileReply;

namespace {

// A temporary file with `size` bytes of a pattern that differs at every offset modulo 251.
struct TempFile {
    std::string path;
    std::string content;
    explicit TempFile(std::size_t size) {
        char name[] = "/tmp/sb-filereply-XXXXXX";
        int fd = ::mkstemp(name);
        REQUIRE(fd >= 0);
        ::close(fd);
        path = name;
        for (std::size_t i = 0; i < size; ++i) content += static_cast<char>(i % 251);
        std::ofstream(path, std::ios::binary) << content;
    }
    ~TempFile() { std::remove(path.c_str()); }
    std::shared_ptr<sb::net::FileBody> body(std::uint64_t offset, std::uint64_t length) const {
        int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        REQUIRE(fd >= 0);
        return std::make_shared<sb::net::FileBody>(fd, offset, length);
    }
};

// A connected pair on loopback: `server` is what FileReply writes to, `client` reads.
struct Loopback {
    asio::io_context io;
    tcp::acceptor acceptor{io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)};
    beast::tcp_stream client{io};
    std::optional<beast::tcp_stream> server;
    Loopback() {
        client.connect(acceptor.local_endpoint());
        server.emplace(acceptor.accept());
    }
};

struct Outcome {
    std::optional<beast::error_code> done;  // FileReply's result, once it finished
    bool fileClosedAtDone = false;          // no owner of the FileBody was left by then
    beast::error_code readError;
    http::response<http::string_body> response;
};

// Sends `file` with FileReply and reads it as a client would (a HEAD reply's parser skips the
// body). After FileReply finished, the server side is closed, as the session does on error.
Outcome transfer(std::shared_ptr<sb::net::FileBody> file, http::status status, bool head = false) {
    Loopback net;
    Outcome out;
    std::weak_ptr<sb::net::FileBody> watch = file;
    FileReply::Response header(status, 11);
    header.set(http::field::content_type, "audio/wav");
    auto reply = std::make_shared<FileReply>(*net.server, std::move(header), std::move(file), head,
                                             std::chrono::seconds(5));
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(16 * 1024 * 1024);
    parser.skip(head);
    http::async_read(net.client, buffer, parser,
                     [&](beast::error_code ec, std::size_t) { out.readError = ec; });
    reply->start([&](beast::error_code ec) {
        out.done = ec;
        out.fileClosedAtDone = watch.expired();
        if (ec) net.server->socket().close();
    });
    reply.reset();  // the reply keeps itself alive while it writes
    net.io.run_for(std::chrono::seconds(10));
    out.response = parser.release();
    return out;
}

}  // namespace

TEST_CASE("A file larger than a chunk arrives whole with its Content-Length",
          "[server][net][FileReply]") {
    TempFile f(3 * FileReply::kChunkBytes + 1234);
    auto out = transfer(f.body(0, f.content.size()), http::status::ok);
    REQUIRE(out.done);
    CHECK_FALSE(*out.done);
    CHECK_FALSE(out.readError);
    CHECK(out.response.result() == http::status::ok);
    CHECK(out.response[http::field::content_type] == "audio/wav");
    CHECK(out.response[http::field::content_length] == std::to_string(f.content.size()));
    CHECK(out.response.body() == f.content);
}

TEST_CASE("A range sends exactly its bytes, from its offset", "[server][net][FileReply]") {
    TempFile f(200 * 1024);
    const std::uint64_t offset = 1000, length = FileReply::kChunkBytes + 17;
    auto out = transfer(f.body(offset, length), http::status::partial_content);
    REQUIRE(out.done);
    CHECK_FALSE(*out.done);
    CHECK(out.response.result() == http::status::partial_content);
    CHECK(out.response[http::field::content_length] == std::to_string(length));
    CHECK(out.response.body() == f.content.substr(offset, length));

    SECTION("the last byte alone") {
        auto last = transfer(f.body(f.content.size() - 1, 1), http::status::partial_content);
        CHECK(last.response.body() == f.content.substr(f.content.size() - 1));
    }
}

TEST_CASE("HEAD and empty files send the header only", "[server][net][FileReply]") {
    TempFile f(100 * 1024);
    auto head = transfer(f.body(0, f.content.size()), http::status::ok, true);
    REQUIRE(head.done);
    CHECK_FALSE(*head.done);
    CHECK_FALSE(head.readError);
    // The length of what GET would send, and no body.
    CHECK(head.response[http::field::content_length] == std::to_string(f.content.size()));
    CHECK(head.response.body().empty());

    TempFile empty(0);
    auto none = transfer(empty.body(0, 0), http::status::ok);
    REQUIRE(none.done);
    CHECK_FALSE(*none.done);
    CHECK_FALSE(none.readError);
    CHECK(none.response[http::field::content_length] == "0");
    CHECK(none.response.body().empty());
}

TEST_CASE("A file shorter than promised ends the reply with an error", "[server][net][FileReply]") {
    TempFile f(3000);
    auto out = transfer(f.body(0, 10000), http::status::ok);  // 7000 bytes are missing
    REQUIRE(out.done);
    CHECK(*out.done);  // the session must close the connection
    // The client can tell: the message is incomplete, not a short 200.
    CHECK(out.readError);
}

TEST_CASE("The file is closed as soon as the reply finishes", "[server][net][FileReply]") {
    // Not when the connection goes: a kept-alive client would otherwise hold the descriptor.
    TempFile f(1000);
    auto ok = transfer(f.body(0, f.content.size()), http::status::ok);
    REQUIRE(ok.done);
    CHECK(ok.fileClosedAtDone);
    auto failed = transfer(f.body(0, 5000), http::status::ok);
    REQUIRE(failed.done);
    CHECK(failed.fileClosedAtDone);
}
