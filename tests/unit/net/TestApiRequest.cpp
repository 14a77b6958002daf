// From Beast's parsed request to net::HttpRequest (server/net/ApiRequest): what handlers get
// (decoded path, raw query, the headers they read, the body), and the 400 for text that is not
// UTF-8 (docs/security.md), which names where it was and never quotes the bytes back.
#include <catch2/catch.hpp>

#include <boost/beast/http.hpp>
#include <string>

#include "server/net/ApiRequest.hpp"

namespace http = boost::beast::http;
using sb::net::ErrorCode;
using sb::net::toApiRequest;

namespace {
http::request<http::string_body> make(http::verb verb, const std::string& target,
                                      std::string body = {}) {
    http::request<http::string_body> req{verb, target, 11};
    req.body() = std::move(body);
    req.prepare_payload();
    return req;
}
}  // namespace

TEST_CASE("Method, decoded path and raw query reach the handler", "[server][net][ApiRequest]") {
    sb::net::HttpRequest out;
    auto req = make(http::verb::get, "/accounts/a%20b/sessions?x=%41&y=1+2");
    REQUIRE_FALSE(toApiRequest(req, out));
    CHECK(out.method == "GET");
    CHECK(out.path == "/accounts/a b/sessions");
    CHECK(out.query == "x=%41&y=1+2");  // decoding the query is the reader's business

    SECTION("no '?' means no query; a bare '?' an empty one") {
        sb::net::HttpRequest plain;
        REQUIRE_FALSE(toApiRequest(make(http::verb::delete_, "/x"), plain));
        CHECK(plain.method == "DELETE");
        CHECK(plain.path == "/x");
        CHECK(plain.query.empty());
        REQUIRE_FALSE(toApiRequest(make(http::verb::get, "/x?"), plain));
        CHECK(plain.query.empty());
    }
    SECTION("only the first '?' starts the query") {
        sb::net::HttpRequest q;
        REQUIRE_FALSE(toApiRequest(make(http::verb::get, "/p?a=?b"), q));
        CHECK(q.path == "/p");
        CHECK(q.query == "a=?b");
    }
    SECTION("an encoded '?' stays in the path") {
        sb::net::HttpRequest q;
        REQUIRE_FALSE(toApiRequest(make(http::verb::get, "/p%3Fa=1"), q));
        CHECK(q.path == "/p?a=1");
        CHECK(q.query.empty());
    }
}

TEST_CASE("Authorization, Content-Type, Range and the body are copied",
          "[server][net][ApiRequest]") {
    auto req = make(http::verb::post, "/calls", R"({"to":"+15550001111"})");
    req.set(http::field::authorization, "Basic dXNlcjpwYXNz");
    req.set(http::field::content_type, "application/json; charset=utf-8");
    req.set(http::field::range, "bytes=0-99");
    sb::net::HttpRequest out;
    REQUIRE_FALSE(toApiRequest(req, out));
    CHECK(out.method == "POST");
    CHECK(out.authorization == "Basic dXNlcjpwYXNz");
    CHECK(out.contentType == "application/json; charset=utf-8");
    CHECK(out.range == "bytes=0-99");
    CHECK(out.body == R"({"to":"+15550001111"})");

    SECTION("absent headers are empty, and what the caller set is kept") {
        sb::net::HttpRequest bare;
        bare.requestId = "req-9";
        bare.remoteAddress = "192.0.2.1";
        REQUIRE_FALSE(toApiRequest(make(http::verb::get, "/"), bare));
        CHECK(bare.authorization.empty());
        CHECK(bare.contentType.empty());
        CHECK(bare.range.empty());
        CHECK(bare.requestId == "req-9");
        CHECK(bare.remoteAddress == "192.0.2.1");
    }
}

TEST_CASE("UTF-8 text passes; each place of invalid bytes is a 400 naming it",
          "[server][net][ApiRequest]") {
    sb::net::HttpRequest out;
    auto ok = make(http::verb::post, "/caf%C3%A9?name=%E2%98%8E", "{\"n\":\"\xC3\xA9\"}");
    ok.set("X-Caller", "Jos\xC3\xA9");
    REQUIRE_FALSE(toApiRequest(ok, out));
    CHECK(out.path == "/caf\xC3\xA9");

    auto refused = [](const http::request<http::string_body>& req) {
        sb::net::HttpRequest r;
        auto error = toApiRequest(req, r);
        REQUIRE(error);
        CHECK(error->code() == ErrorCode::InvalidArgument);
        CHECK(sb::net::httpStatus(error->code()) == 400);
        std::string message = error->what();
        CHECK(message.find('\xff') == std::string::npos);  // not quoted back
        CHECK(message.find('\xc3') == std::string::npos);
        return message;
    };
    CHECK(refused(make(http::verb::get, "/a%FFb")).find("path") != std::string::npos);
    CHECK(refused(make(http::verb::get, "/a?x=%C3")).find("query") != std::string::npos);
    CHECK(refused(make(http::verb::post, "/a", "{\"n\":\"\xff\"}")).find("body") !=
          std::string::npos);

    auto header = make(http::verb::get, "/a");
    header.set("X-Caller", "Jos\xC3");
    CHECK(refused(header).find("X-Caller") != std::string::npos);

    // A raw (unencoded) invalid byte in the query counts too.
    CHECK(refused(make(http::verb::get, "/a?x=\xff")).find("query") != std::string::npos);
}

TEST_CASE("An overlong encoding of '/' does not pass as a path separator",
          "[server][net][ApiRequest]") {
    sb::net::HttpRequest out;
    auto error = toApiRequest(make(http::verb::get, "/a%C0%AF..%C0%AFsecret"), out);
    REQUIRE(error);
    CHECK(error->code() == ErrorCode::InvalidArgument);
}
