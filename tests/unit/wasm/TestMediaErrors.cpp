// getUserMedia rejections as error codes (W3C Media Capture and Streams §9.2, §10.1): what an
// application shows differs for a refused permission, a missing device and anything else.
#include <catch2/catch.hpp>

#include "wasm/core/Errors.hpp"

using namespace sb::sdk;

SCENARIO("getUserMedia errors are classified by their name", "[wasm][core][Errors]") {
    struct Row {
        const char* name;
        const char* code;
    };
    const std::vector<Row> table{
        {"NotAllowedError", "permission_denied"},
        {"SecurityError", "permission_denied"},
        {"NotFoundError", "no_device"},
        {"OverconstrainedError", "no_device"},
        {"NotReadableError", "media_failed"},
        {"AbortError", "media_failed"},
        {"TypeError", "media_failed"},
        {"", "media_failed"},
    };
    for (const auto& row : table) {
        INFO(row.name);
        Error e = errors::userMedia(row.name, "the browser's words");
        CHECK(e.code == row.code);
        // The name and message stay available to the application (error.data).
        auto data = Json::parse(e.data);
        REQUIRE(data);
        CHECK((*data)["name"].asString() == row.name);
        CHECK((*data)["message"].asString() == "the browser's words");
        CHECK(e.message.find("the browser's words") != std::string::npos);
    }
    SECTION("the message says what to do about it") {
        CHECK(errors::userMedia("NotAllowedError", "Permission denied").message ==
              "Permission to use the microphone or camera was denied (NotAllowedError: "
              "Permission denied)");
        CHECK(errors::userMedia("NotReadableError", "Could not start audio source").message ==
              "The microphone or camera is in use or cannot be read (NotReadableError: Could not "
              "start audio source)");
    }
}
