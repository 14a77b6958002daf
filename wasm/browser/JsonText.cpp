// Json <-> text in the wasm: the browser's own JSON.parse and JSON.stringify (ECMA-262 2023 §25.5),
// reached through embind. nlohmann/json would add about 35 KB gzip to the wasm; the native build
// uses it instead (wasm/native/JsonText.cpp). Limits and refusals: Json.hpp.
#include <cmath>

#include "wasm/browser/JsTry.hpp"
#include "wasm/browser/JsonVal.hpp"

namespace sb::sdk {

using emscripten::val;

// The value is built where it lies (size): `out` is always a new, null Json, made the kind read
// and filled in place, and each element or member is a null Json appended, then read into.
struct JsonText {
    static double& number(Json& out, Json::Type type) {
        out.type_ = type;
        return out.number_;
    }
    static std::string& string(Json& out) {
        out.type_ = Json::Type::String;
        return out.string_;
    }
    static void container(Json& out, Json::Type type) { out.type_ = type; }
    static Json& element(Json& out) {
        out.values_.push_back(Json());
        return out.values_.back();
    }
    static Json& member(Json& out, std::string key) {
        out.keys_.push_back(std::move(key));
        return element(out);
    }
};

namespace {

// A lone surrogate (an unpaired \ud800-\udfff escape, which JSON.parse accepts): it has no UTF-8
// form (RFC 3629 §3), and Emscripten's UTF-16 -> UTF-8 copy would swallow the code unit after it.
// Refused, as nlohmann refuses it natively. encodeURIComponent throws a URIError for exactly
// these (ECMA-262 2023 §19.2.6.5 Encode, step 3.c.ii: an unpaired surrogate).
bool hasLoneSurrogate(const val& s) {
    return !web::jsTry(val::global(), "encodeURIComponent", s).ok;
}

bool read(const val& v, std::size_t depth, Json& out) {
    if (v.isNull()) {
        // out is null already
    } else if (v.isTrue() || v.isFalse()) {
        JsonText::number(out, Json::Type::Bool) = v.isTrue() ? 1 : 0;
    } else if (v.isNumber()) {
        double n = v.as<double>();
        if (!std::isfinite(n)) return false;  // 1e400 parses to Infinity, which JSON cannot hold
        JsonText::number(out, Json::Type::Number) = n;
    } else if (v.isString()) {
        if (hasLoneSurrogate(v)) return false;
        JsonText::string(out) = v.as<std::string>();
    } else if (depth >= Json::kMaxDepth) {
        return false;  // a container one level too deep
    } else if (v.isArray()) {
        JsonText::container(out, Json::Type::Array);
        for (int i = 0, n = web::intAt(v, "length", 0); i < n; ++i)
            if (!read(web::at(v, i), depth + 1, JsonText::element(out))) return false;
    } else if (web::typeIs(v, "object")) {
        // Object.keys: own enumerable names, each once, in the object's order: integer-like
        // names ascending first, then the others as written (ECMA-262 2023 §20.1.2.18 and
        // OrdinaryOwnPropertyKeys, §10.1.11.1).
        JsonText::container(out, Json::Type::Object);
        val keys = web::jsTry(val::global("Object"), "keys", v).value;
        for (int i = 0, n = web::intAt(keys, "length", 0); i < n; ++i) {
            val key = web::at(keys, i);
            if (hasLoneSurrogate(key) ||
                !read(v[key], depth + 1, JsonText::member(out, key.as<std::string>())))
                return false;
        }
    } else {
        return false;  // undefined, a function, a symbol, a bigint: not JSON
    }
    return true;
}

}  // namespace

std::optional<Json> Json::parse(std::string_view text) {
    if (text.size() > kMaxTextBytes) return std::nullopt;
    // A syntax error is a SyntaxError thrown by JSON.parse: caught in JS (JsTry.hpp).
    auto parsed = web::parseJson(std::string(text));
    if (!parsed.ok) return std::nullopt;
    return web::fromJs(parsed.value);
}

std::string Json::dump() const {
    // JSON.stringify cannot throw on a tree of plain values (no cycles, no bigint; depth is ours).
    std::string text = web::stringifyJson(web::toJs(*this));
    return text.empty() ? "null" : text;
}

}  // namespace sb::sdk

namespace sb::web {

using emscripten::val;

val toJs(const sdk::Json& json) {
    switch (json.type()) {
        case sdk::Json::Type::Null:
            return val::null();
        case sdk::Json::Type::Bool:
            return val(json.asBool());
        case sdk::Json::Type::Number:
            return val(json.asNumber());
        case sdk::Json::Type::String:
            return val(json.asString());
        case sdk::Json::Type::Array: {
            val out = val::array();
            const auto& values = json.values();
            for (const auto& v : values) web::jsTry(out, "push", toJs(v));
            return out;
        }
        case sdk::Json::Type::Object: {
            // No prototype: assigning "__proto__" would otherwise call Object.prototype's setter
            // instead of adding a member (ECMA-262 2023 §B.2.2.1).
            val out = web::jsTry(val::global("Object"), "create", val::null()).value;
            for (std::size_t i = 0; i < json.keys().size(); ++i)
                out.set(json.keys()[i], toJs(json.values()[i]));
            return out;
        }
    }
    return val::null();
}

std::optional<sdk::Json> fromJs(const val& value) {
    sdk::Json out;
    if (!sdk::read(value, 0, out)) return std::nullopt;
    return out;
}

}  // namespace sb::web
