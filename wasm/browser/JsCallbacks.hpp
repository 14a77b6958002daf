#pragma once
// How JavaScript calls the C++ adapters back: a table of C++ callbacks, each reached from the page
// through one embind-bound function, Module.sbCall(id, a, b) (wasm/bindings/Bindings.cpp). A
// callback's JavaScript side is made with Function.prototype.bind (ECMA-262 §20.2.3.2) on sbCall,
// so no hand-written JavaScript is needed: `js::on(id)` is `(x) => sbCall(id, true, x)`, good for
// an event listener or a promise's fulfilment, `js::onError(id)` the same with false, and so on.
// This is the `.then` chaining with embind-exported callbacks that toolchain-notes Q5 recommends.
//
// Lifetimes: JavaScript holds only the callback's id, never a C++ pointer. An owner that closes
// removes its callbacks (removeAll), and a later call with a removed id is ignored, so a listener
// left on a closed WebSocket or a promise that settles after its RTCPeerConnection was closed never
// reaches a destroyed object (the Ports.hpp contract).

#include <emscripten/val.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "wasm/browser/JsTry.hpp"
#include "wasm/core/Fn.hpp"

namespace sb::sdk::browser {

using emscripten::val;
// (a, b): for events and promise reactions a is true (fulfilled) or false (rejected) and b the
// event or value; for a promise executor, a and b are resolve and reject.
using JsCallback = Fn<void(const val& a, const val& b)>;

namespace js {
// Registers `fn` for `owner` (may be null); the id goes to JavaScript. A `once` callback is
// dropped after its call.
int add(JsCallback fn, bool once, const void* owner = nullptr);
// Unregisters: a later call with this id is ignored (its owner is closed).
void remove(int id);
// Unregisters every callback of `owner` (it is closed).
void removeAll(const void* owner);
// A value kept with callback `id` (a timer's handle) while it is registered; take() unregisters
// the callback and returns the value (undefined when there is none or the callback is gone).
void keep(int id, val value);
val take(int id);
// Module.sbCall: runs callback `id`, unless it was removed.
void call(int id, val a, val b);

// JavaScript functions that call callback `id`, for callers that pass one argument (events,
// then()), no argument (setTimeout) or two (the Promise executor): embind checks the count.
val on(int id);
val onError(int id);
val onNothing(int id);
val onTwo(int id);

// A callback that runs `dispatch(self, kind, a, b)`: an adapter's callbacks that need nothing but
// the adapter and which event it is share one function, instead of a lambda (an Fn Impl) each.
using Dispatch = void (*)(void* self, int kind, const val& a, const val& b);
JsCallback to(void* self, Dispatch dispatch, int kind);

// target.addEventListener(type, callback) with a new callback of `owner`, which removes it when
// it closes (removeAll). The callback gets (true, event).
void listen(const val& target, const char* type, JsCallback fn, const void* owner);
// The outcome of a call that returns a promise (or threw, or returned a plain value), delivered
// later, always from a promise reaction (never synchronously, Ports.hpp): (true, the value), or
// (false, the reason). The callback is `owner`'s, if any (removeAll).
void settle(const web::JsResult& call, JsCallback done, const void* owner = nullptr);

using web::at;
using web::get;
using web::intAt;
// object[key] = value (out of line, as get).
void set(val& object, const char* key, const val& value);
// A new object from constant JSON text (a literal of ours, so it parses).
val object(const char* json);

// String(value): the text of a value or of an error ("NotAllowedError: Permission denied").
std::string text(const val& value);
// A string from outside (a server's frame or body) as UTF-8, when it fits in `maxBytes`; else
// nullopt without copying it into the wasm's memory, which never shrinks. A UTF-16 code unit is
// at least one UTF-8 byte, so a `length` over the bound is always too long.
std::optional<std::string> boundedString(const val& value, std::size_t maxBytes);
// value[key] when value is an object (a function, too) and the member is a string, else "".
std::string stringAt(const val& value, const char* key);
// (JSON text <-> value: web::parseJson and web::stringifyJson, JsTry.hpp, shared with JsonText.)

// The length of a JavaScript array (or array-like: getTracks(), e.streams), 0 for anything
// else; its elements are at(list, i).
int length(const val& list);
}  // namespace js

// Browser objects kept by the id the core knows them by (MediaStream.id): the local streams
// (captured or given by the application) and the remote ones the subscribing connection received.
// A handful at a time, so a list searched linearly is the smallest table.
class JsObjects {
  public:
    JsObjects() = default;
    ~JsObjects() { clear(); }
    JsObjects(const JsObjects&) = delete;
    JsObjects& operator=(const JsObjects&) = delete;

    void put(const std::string& id, val object);
    // undefined when absent.
    val get(const std::string& id) const;
    void erase(const std::string& id);
    void clear();

  private:
    // A list: smaller code than a vector's growth.
    struct Node {
        std::string id;
        val object;
        Node* next;
    };
    Node* find(const std::string& id) const;
    Node* head_ = nullptr;
};

}  // namespace sb::sdk::browser
