#pragma once
// Calling into the page without letting a JavaScript exception unwind through C++ frames. The
// wasm is built with -fno-exceptions (size), so a throw from a browser call would skip
// destructors and leave Emscripten's stack pointer wrong; every browser call that can throw
// synchronously (new WebSocket with a bad URL, JSON.parse of bad text, send() on a closing
// channel, ...) goes through jsTry, which runs it inside the one try/catch of pre.js
// (Module.sbTry: embind cannot express a catch without C++ exceptions).
//
// The arguments become emscripten::val here and the call itself is one function (JsTry.cpp) for
// every signature: size (bench/size/), since each distinct val::call signature instantiates its
// own caller.
#include <emscripten/val.h>

#include <initializer_list>
#include <string>
#include <utility>

namespace sb::web {

struct JsResult {
    bool ok = false;
    emscripten::val value = emscripten::val::undefined();  // the result, or the exception
};

// self[method](args...), caught. A null or undefined `self` fails without calling anything.
JsResult jsApply(const emscripten::val& self, const char* method,
                 std::initializer_list<emscripten::val> args);

template <typename... Args>
JsResult jsTry(const emscripten::val& self, const char* method, Args&&... args) {
    return jsApply(self, method, {emscripten::val(std::forward<Args>(args))...});
}

// value[key], value[i], and value[key] as an int when it is a number (else `fallback`): out of
// line, one call instead of embind's inline key conversion at each site (size).
emscripten::val get(const emscripten::val& value, const char* key);
emscripten::val at(const emscripten::val& value, int i);
int intAt(const emscripten::val& value, const char* key, int fallback);
// typeof value === type
bool typeIs(const emscripten::val& value, const char* type);

// JSON.parse(text) (ECMA-262 §25.5.1), caught: ok false for bad text.
JsResult parseJson(const std::string& text);
// JSON.stringify(value) (§25.5.2): "" if it throws or gives no text.
std::string stringifyJson(const emscripten::val& value);

// new Ctor(arg), caught (Reflect.construct, ECMA-262 §28.1.2). The SDK's constructors take one
// argument; one signature is one function (size).
JsResult jsTryNew(const emscripten::val& ctor, const emscripten::val& arg);

}  // namespace sb::web
