#pragma once
// Calling into the page without letting a JavaScript exception unwind through C++ frames. The
// wasm is built with -fno-exceptions (size), so a throw from a browser call would skip
// destructors and leave Emscripten's stack pointer wrong; every browser call that can throw
// synchronously (new WebSocket with a bad URL, JSON.parse of bad text, send() on a closing
// channel, ...) goes through jsTry, which runs it inside the one try/catch of pre.js
// (Module.sbTry: embind cannot express a catch without C++ exceptions).
#include <emscripten/val.h>
#include <utility>

namespace sb::web {

struct JsResult {
    bool ok = false;
    emscripten::val value = emscripten::val::undefined();  // the result, or the exception
};

// self[method](args...), caught.
template <typename... Args>
JsResult jsTry(const emscripten::val& self, const char* method, Args&&... args) {
    emscripten::val list = emscripten::val::array();
    (list.call<void>("push", std::forward<Args>(args)), ...);
    emscripten::val r = emscripten::val::module_property("sbTry")(self[method], self, list);
    return {r[0].as<bool>(), r[1]};
}

// new Ctor(args...), caught (Reflect.construct, ECMA-262 §28.1.2).
template <typename... Args>
JsResult jsTryNew(const emscripten::val& ctor, Args&&... args) {
    emscripten::val list = emscripten::val::array();
    (list.call<void>("push", std::forward<Args>(args)), ...);
    return jsTry(emscripten::val::global("Reflect"), "construct", ctor, list);
}

}  // namespace sb::web
