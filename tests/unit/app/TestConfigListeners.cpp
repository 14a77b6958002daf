// The listener keys of the config file: tls (certFile, keyFile, redirectHttp) and adminHttp.
#include <catch2/catch.hpp>
#include <fstream>
#include <string>

#include "server/app/Config.hpp"
#include "tests/unit/state/StateTestSupport.hpp"

using sb::app::Config;
using sb::app::loadConfigFile;

namespace {
Config load(const std::string& json) {
    static sb::state::test::TempDir dir;
    auto path = (dir.path() / "config.json").string();
    std::ofstream(path) << json;
    return loadConfigFile(path);
}
std::string failure(const std::string& json) {
    try {
        load(json);
    } catch (const std::runtime_error& e) {
        // "config: FILE: key: why": the file's name is left out here.
        std::string what = e.what();
        const auto file = what.find("config.json: ");
        return file == std::string::npos ? what : "config: " + what.substr(file + 13);
    }
    return "accepted";
}
}  // namespace

TEST_CASE("adminHttp defaults to 127.0.0.1:9090 and can be moved or turned off", "[config]") {
    CHECK(load("{}").adminHttp == std::string("127.0.0.1:9090"));
    CHECK(load(R"({"adminHttp": "127.0.0.1:0"})").adminHttp == std::string("127.0.0.1:0"));
    CHECK_FALSE(load(R"({"adminHttp": ""})").adminHttp.has_value());
    CHECK_FALSE(load(R"({"adminHttp": null})").adminHttp.has_value());
    CHECK(failure(R"({"adminHttp": "9090"})").find("config: adminHttp: expected ADDRESS:PORT") ==
          0);
    CHECK(failure(R"({"adminHttp": "127.0.0.1:70000"})").find("config: adminHttp: port") == 0);
    CHECK(failure(R"({"adminHttp": 9090})") == "config: adminHttp: wrong type (number)");
}

TEST_CASE("tls needs certFile and keyFile; redirectHttp is an address", "[config]") {
    CHECK_FALSE(load("{}").tls.has_value());
    auto c = load(
        R"({"tls": {"certFile": "/c.pem", "keyFile": "/k.pem", "redirectHttp": "0.0.0.0:80"}})");
    REQUIRE(c.tls);
    CHECK(c.tls->certFile == "/c.pem");
    CHECK(c.tls->keyFile == "/k.pem");
    CHECK(c.tls->redirectHttp == std::string("0.0.0.0:80"));
    CHECK_FALSE(load(R"({"tls": {"certFile": "/c", "keyFile": "/k"}})").tls->redirectHttp);
    CHECK(failure(R"({"tls": {"keyFile": "/k.pem"}})") ==
          "config: tls.certFile: is required (a PEM certificate chain)");
    CHECK(failure(R"({"tls": {"certFile": "/c.pem"}})") ==
          "config: tls.keyFile: is required (a PEM private key)");
    CHECK(failure(R"({"tls": {"certFile": "/c", "keyFile": "/k", "cert": 1}})") ==
          "config: tls.cert: unknown key");
    CHECK(failure(R"({"tls": {"certFile": "/c", "keyFile": "/k", "redirectHttp": "80"}})")
              .find("config: tls.redirectHttp: expected ADDRESS:PORT") == 0);
    CHECK(failure(R"({"tls": "/c.pem"})") ==
          "config: tls: must be an object with certFile and keyFile");
}
