#include "wasm/browser/JsCallbacks.hpp"

#include <map>

namespace sb::sdk::browser {

namespace {

struct Entry {
    JsCallbacks::Callback fn;
    bool once;
};

std::map<int, Entry>& table() {
    static std::map<int, Entry> entries;
    return entries;
}

int add(JsCallbacks::Callback fn, bool once) {
    static int next = 1;
    table()[next] = Entry{std::move(fn), once};
    return next++;
}

val jsFunction(int id, bool ok) {
    return val::module_property("sbFn")(id, ok);
}

}  // namespace

void JsCallbacks::then(const val& promise, Callback fn) {
    int id = add(std::move(fn), true);
    promise.call<void>("then", jsFunction(id, true), jsFunction(id, false));
}

val JsCallbacks::listener(Fn<void(val)> fn, int& id) {
    id = add([fn = std::move(fn)](bool, val value) { fn(value); }, false);
    return jsFunction(id, true);
}

val JsCallbacks::once(Fn<void()> fn, int& id) {
    id = add([fn = std::move(fn)](bool, val) { fn(); }, true);
    return jsFunction(id, true);
}

void JsCallbacks::remove(int id) {
    table().erase(id);
}

void JsCallbacks::invoke(int id, bool ok, val value) {
    auto it = table().find(id);
    if (it == table().end()) return;  // released: the owner is closed
    // A copy: the callback may remove itself (a socket's onclose releases its listeners).
    Callback fn = it->second.fn;
    if (it->second.once) table().erase(it);
    fn(ok, std::move(value));
}

TryResult tryCall(const val& target, const char* method, const val& arguments) {
    val r = val::module_property("sbTry")(target, std::string(method), arguments);
    bool ok = r["ok"].as<bool>();
    return TryResult{ok, ok ? r["value"] : val::undefined(),
                     ok ? std::string() : r["error"].as<std::string>()};
}

TryResult tryNew(const char* constructor, const val& arguments) {
    val r = val::module_property("sbNew")(val::global(constructor), arguments);
    bool ok = r["ok"].as<bool>();
    return TryResult{ok, ok ? r["value"] : val::undefined(),
                     ok ? std::string() : r["error"].as<std::string>()};
}

std::string describe(const val& error) {
    return val::global("String")(error).as<std::string>();
}

val args(const val& a) {
    val out = val::array();
    out.call<void>("push", a);
    return out;
}

val args(const val& a, const val& b) {
    val out = args(a);
    out.call<void>("push", b);
    return out;
}

}  // namespace sb::sdk::browser
