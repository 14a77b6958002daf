#include <catch2/catch.hpp>
#include <sstream>
#include <stdexcept>

#include "server/app/JanusConfig.hpp"

using namespace sb;

TEST_CASE("fillTemplate fills placeholders and comments out options that render empty",
          "[server][app][janusconfig]") {
    const app::TemplateValues values{{"A", "1"}, {"B", ""}, {"C", "x"}};
    CHECK(app::fillTemplate("t", "a = @A@\nb = \"@B@\"\n", values) == "a = 1\n#b = \"\"\n");
    // One non-empty value keeps the line; comments are left as they are, placeholders and all.
    CHECK(app::fillTemplate("t", "\tab = \"@A@@B@\"", values) == "\tab = \"1\"");
    CHECK(app::fillTemplate("t", "  # see @NOPE@\n", values) == "  # see @NOPE@\n");
    CHECK(app::fillTemplate("t", "plain\n\nline", values) == "plain\n\nline");
    CHECK_THROWS_WITH(app::fillTemplate("f.jcfg", "x = @NOPE@", values),
                      "f.jcfg: unknown placeholder @NOPE@");
    // A value that would end its quoted string is refused, whatever line uses it.
    CHECK_THROWS_AS(app::fillTemplate("t", "x", {{"A", "a\"b"}}), std::runtime_error);
    CHECK_THROWS_AS(app::fillTemplate("t", "x", {{"A", "a\nb"}}), std::runtime_error);
}

TEST_CASE("every compiled-in template fills from the values --write-configs gives",
          "[server][app][janusconfig]") {
    const app::TemplateValues values{{"CONFIGS_FOLDER", "/d"},
                                     {"MODULES_DIR", "/d/modules"},
                                     {"DEBUG_LEVEL", "4"},
                                     {"SESSION_TIMEOUT", "60"},
                                     {"RTP_PORT_RANGE", "20000-20999"},
                                     {"ICE_ENFORCE_LIST", ""},
                                     {"LOCAL_IP", ""},
                                     {"NAT_MAPPING", "203.0.113.10"},
                                     {"KEEP_PRIVATE_HOST", "false"},
                                     {"WS_IP", "127.0.0.1"},
                                     {"WS_PORT", "8188"},
                                     {"ADMIN_KEY", "k"}};
    REQUIRE(app::janusTemplates().size() == 3);
    for (const auto& t : app::janusTemplates()) {
        // No placeholder is left outside comments (comments mention "@...@" themselves).
        std::istringstream text(app::fillTemplate(t.name, t.text, values));
        for (std::string line; std::getline(text, line);) {
            const auto first = line.find_first_not_of(" \t");
            if (first != std::string::npos && line[first] != '#')
                CHECK(line.find('@') == std::string::npos);
        }
    }
    CHECK(app::fillTemplate("j", app::janusTemplates()[0].text, values)
              .find("\tnat_1_1_mapping = \"203.0.113.10\"\n\tkeep_private_host = false\n") !=
          std::string::npos);
}

TEST_CASE("janusListen takes Janus's address from janusUrl", "[server][app][janusconfig]") {
    CHECK(app::janusListen("ws://127.0.0.1:8188").ip == "127.0.0.1");
    CHECK(app::janusListen("ws://127.0.0.1:9000/").port == 9000);
    CHECK(app::janusListen("ws://localhost").ip == "127.0.0.1");
    CHECK(app::janusListen("ws://localhost").port == 8188);
    CHECK(app::janusListen("ws://[::1]:8188").ip == "::1");
    CHECK_THROWS_WITH(app::janusListen("http://127.0.0.1:8188"),
                      "janusUrl: expected ws://IP:PORT, got \"http://127.0.0.1:8188\"");
    CHECK_THROWS_AS(app::janusListen("ws://janus.internal:8188"), std::runtime_error);
    CHECK_THROWS_AS(app::janusListen("ws://127.0.0.1:0"), std::runtime_error);
    CHECK_THROWS_AS(app::janusListen("ws://127.0.0.1:70000"), std::runtime_error);
}
