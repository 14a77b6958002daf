// The wasm's Json text conversion (wasm/browser/JsonText.cpp) opened up for
// tests/js/wasm-json.test.mjs: each function takes text or bytes, runs the real Json::parse,
// Json::dump or web::fromJs, and answers with plain JavaScript values the test can compare.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <string>

#include "wasm/browser/JsonVal.hpp"
#include "wasm/core/Json.hpp"

namespace {

using emscripten::val;
using sb::sdk::Json;

// A parsed value as the test sees it, built without Json::dump: strings as their UTF-8 bytes
// (a Uint8Array), so what the C++ side holds is checked byte for byte.
val inspect(const Json& j) {
    val out = val::object();
    switch (j.type()) {
        case Json::Type::Null:
            out.set("null", true);
            break;
        case Json::Type::Bool:
            out.set("bool", j.asBool());
            break;
        case Json::Type::Number:
            out.set("number", j.asNumber());
            break;
        case Json::Type::String: {
            const std::string& s = j.asString();
            val view(emscripten::typed_memory_view(s.size(), s.data()));
            out.set("bytes", val::global("Uint8Array").new_(view));  // a copy, not a view
            break;
        }
        case Json::Type::Array:
        case Json::Type::Object: {
            val values = val::array();
            for (const auto& v : j.values()) values.call<void>("push", inspect(v));
            out.set(j.isArray() ? "array" : "values", values);
            if (j.isObject()) {
                val keys = val::array();
                for (const auto& k : j.keys()) keys.call<void>("push", k);
                out.set("keys", keys);
            }
            break;
        }
    }
    return out;
}

// Json::parse of text (a JS string, or a Uint8Array of raw bytes): the value, or null if refused.
val parse(const std::string& text) {
    auto j = Json::parse(text);
    return j ? inspect(*j) : val::null();
}

// Json::parse then Json::dump: the text, or null if refused.
val reparse(const std::string& text) {
    auto j = Json::parse(text);
    return j ? val(j->dump()) : val::null();
}

// Json::dump of a string holding these bytes (a Uint8Array), and of a number.
std::string dumpString(const std::string& bytes) {
    return Json(bytes).dump();
}
std::string dumpNumber(double n) {
    return Json(n).dump();
}

// web::fromJs of any JavaScript value, then dump: the text, or null if refused.
val fromJs(const val& value) {
    auto j = sb::web::fromJs(value);
    return j ? val(j->dump()) : val::null();
}

}  // namespace

EMSCRIPTEN_BINDINGS(wasm_json_probe) {
    emscripten::function("parse", &parse);
    emscripten::function("reparse", &reparse);
    emscripten::function("dumpString", &dumpString);
    emscripten::function("dumpNumber", &dumpNumber);
    emscripten::function("fromJs", &fromJs);
    emscripten::constant("maxDepth", static_cast<double>(Json::kMaxDepth));
    emscripten::constant("maxTextBytes", static_cast<double>(Json::kMaxTextBytes));
}
