#pragma once
// C++ functions that JavaScript can call: promise reactions and event handlers. Each gets an id
// in a table; pre.js's Module.sbFn(id, ok) makes the JS function and Module.sbCall (exported in
// bindings/) routes the call back here. This is the `.then` chaining with embind-exported
// callbacks that toolchain-notes Q5 recommends instead of ASYNCIFY.

#include <emscripten/val.h>

#include <string>
#include "wasm/core/Fn.hpp"

namespace sb::sdk::browser {

using emscripten::val;

class JsCallbacks {
  public:
    using Callback = Fn<void(bool ok, val value)>;

    // promise.then(ok, failed) with one C++ callback; it is dropped after its single call.
    static void then(const val& promise, Callback fn);
    // A persistent JS function (event handler); release it with remove(id).
    static val listener(Fn<void(val)> fn, int& id);
    // A JS function called once (setTimeout); removed after it fires or with remove(id).
    static val once(Fn<void()> fn, int& id);
    static void remove(int id);
    // Called by Module.sbCall.
    static void invoke(int id, bool ok, val value);
};

// The outcome of Module.sbTry / sbNew.
struct TryResult {
    bool ok;
    val value;
    std::string error;
};
TryResult tryCall(const val& target, const char* method, const val& args);
TryResult tryNew(const char* constructor, const val& args);
// String(error) of a rejection or exception, e.g. "NotAllowedError: Permission denied".
std::string describe(const val& error);
// An array of one or two arguments, for tryCall.
val args(const val& a);
val args(const val& a, const val& b);

}  // namespace sb::sdk::browser
