#include "wasm/browser/JsCallbacks.hpp"

namespace sb::sdk::browser {

namespace js {

namespace {

struct Entry {
    int id;
    bool once;
    JsCallback fn;
    val kept;
    const void* owner;
    Entry* next;
};

// A handful of entries are live at a time (sockets, connections, timers, pending promises): a
// list searched linearly is the smallest table (smaller code than a vector's growth).
Entry* head = nullptr;

// Module.sbCall.bind(null, id, extra...): what JavaScript calls for callback `id`; `extra` is
// how many of (ok, undefined) are bound after it.
val bound(int id, bool ok, int extra) {
    val sbCall = val::module_property("sbCall");
    if (extra == 0) return web::jsApply(sbCall, "bind", {val::null(), val(id)}).value;
    if (extra == 1) return web::jsApply(sbCall, "bind", {val::null(), val(id), val(ok)}).value;
    return web::jsApply(sbCall, "bind", {val::null(), val(id), val(ok), val::undefined()}).value;
}

bool isObject(const val& v) {
    return (web::typeIs(v, "object") && !v.isNull()) || web::typeIs(v, "function");
}

}  // namespace

int add(JsCallback fn, bool once, const void* owner) {
    static int next = 0;
    head = new Entry{++next, once, std::move(fn), val::undefined(), owner, head};
    return next;
}

void remove(int id) {
    for (Entry** link = &head; *link; link = &(*link)->next) {
        Entry* e = *link;
        if (e->id == id) {
            *link = e->next;
            delete e;
            return;
        }
    }
}

void removeAll(const void* owner) {
    for (Entry** link = &head; *link;) {
        Entry* e = *link;
        if (e->owner == owner) {
            *link = e->next;
            delete e;
        } else {
            link = &e->next;
        }
    }
}

Entry* find(int id) {
    for (Entry* e = head; e; e = e->next)
        if (e->id == id) return e;
    return nullptr;
}

void keep(int id, val value) {
    if (Entry* e = find(id)) e->kept = std::move(value);
}

val take(int id) {
    Entry* e = find(id);
    val kept = e ? e->kept : val::undefined();
    remove(id);
    return kept;
}

void call(int id, val a, val b) {
    Entry* e = find(id);
    if (!e) return;  // removed: its owner is closed
    // A copy: the callback may remove itself (a socket's close releases its listeners).
    JsCallback fn = e->fn;
    if (e->once) remove(id);
    fn(a, b);
}

val on(int id) {
    return bound(id, true, 1);
}
val onError(int id) {
    return bound(id, false, 1);
}
val onNothing(int id) {
    return bound(id, true, 2);
}
val onTwo(int id) {
    return bound(id, true, 0);
}

JsCallback to(void* self, Dispatch dispatch, int kind) {
    return [self, dispatch, kind](const val& a, const val& b) { dispatch(self, kind, a, b); };
}

void listen(const val& target, const char* type, JsCallback fn, const void* owner) {
    web::jsTry(target, "addEventListener", val(type), on(add(std::move(fn), false, owner)));
}

void settle(const web::JsResult& call, JsCallback done, const void* owner) {
    // Promise.resolve / reject (ECMA-262 §27.2.4.7, §27.2.4.6) make every outcome a promise, so
    // `done` runs from a reaction job even when the call threw or returned a plain value.
    val promise =
        web::jsTry(val::global("Promise"), call.ok ? "resolve" : "reject", call.value).value;
    int id = add(std::move(done), true, owner);
    web::jsTry(promise, "then", on(id), onError(id));
}

void set(val& object, const char* key, const val& value) {
    object.set(key, value);
}

val object(const char* json) {
    return web::jsTry(val::global("JSON"), "parse", json).value;
}

std::string text(const val& value) {
    // String() throws only for an object whose toString throws.
    web::JsResult r = web::jsTry(val::global(), "String", value);
    return r.ok && r.value.isString() ? r.value.as<std::string>() : std::string("(unprintable)");
}

std::optional<std::string> boundedString(const val& value, std::size_t maxBytes) {
    if (!value.isString() || get(value, "length").as<double>() > static_cast<double>(maxBytes))
        return std::nullopt;
    std::string text = value.as<std::string>();
    if (text.size() > maxBytes) return std::nullopt;
    return text;
}

std::string stringAt(const val& value, const char* key) {
    if (!isObject(value)) return {};
    val member = get(value, key);
    return member.isString() ? member.as<std::string>() : std::string();
}

int length(const val& list) {
    return isObject(list) ? intAt(list, "length", 0) : 0;
}

}  // namespace js

JsObjects::Node* JsObjects::find(const std::string& id) const {
    for (Node* n = head_; n; n = n->next)
        if (n->id == id) return n;
    return nullptr;
}

void JsObjects::put(const std::string& id, val object) {
    if (Node* n = find(id))
        n->object = std::move(object);
    else
        head_ = new Node{id, std::move(object), head_};
}

val JsObjects::get(const std::string& id) const {
    Node* n = find(id);
    return n ? n->object : val::undefined();
}

void JsObjects::erase(const std::string& id) {
    for (Node** link = &head_; *link; link = &(*link)->next) {
        Node* n = *link;
        if (n->id == id) {
            *link = n->next;
            delete n;
            return;
        }
    }
}

void JsObjects::clear() {
    while (Node* n = head_) {
        head_ = n->next;
        delete n;
    }
}

}  // namespace sb::sdk::browser
