#pragma once
// The SDK core's Json as a JavaScript value and back, through embind (wasm/browser/JsonText.cpp,
// which also gives Json::parse and Json::dump their browser implementation). For adapters that
// hand a Json to a browser API, or read a plain browser value into one, without going through text.
#include <emscripten/val.h>

#include <optional>

#include "wasm/core/Json.hpp"

namespace sb::web {

// A plain value: null, boolean, number, string, array, or object (with no prototype, so a member
// named "__proto__" is a member like any other, as JSON.parse makes it).
emscripten::val toJs(const sdk::Json& json);

// What JSON.parse can return, as a Json: object members in Object.keys order. nullopt for anything
// else (undefined, functions, ...), a number that is not finite, a string with a lone surrogate
// (not UTF-8 expressible, RFC 8259 §8.2), or nesting deeper than Json::kMaxDepth.
std::optional<sdk::Json> fromJs(const emscripten::val& value);

}  // namespace sb::web
