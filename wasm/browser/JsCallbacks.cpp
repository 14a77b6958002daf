#include "wasm/browser/JsCallbacks.hpp"

namespace sb::sdk::browser {

namespace js {

namespace {

struct Entry {
    int id;
    bool once;
    JsCallback fn;
    val kept = val::undefined();
};

// A handful of entries are live at a time (sockets, connections, timers, pending promises): a
// vector searched linearly is the smallest table.
std::vector<Entry>& table() {
    static std::vector<Entry> entries;
    return entries;
}

// Module.sbCall.bind(null, id, extra...): what JavaScript calls for callback `id`.
template <typename... Extra>
val bound(int id, Extra&&... extra) {
    return web::jsTry(val::module_property("sbCall"), "bind", val::null(), id,
                      std::forward<Extra>(extra)...)
        .value;
}

bool isObject(const val& v) {
    std::string type = v.typeOf().as<std::string>();
    return (type == "object" && !v.isNull()) || type == "function";
}

}  // namespace

int add(JsCallback fn, bool once) {
    static int next = 0;
    table().push_back(Entry{++next, once, std::move(fn), val::undefined()});
    return next;
}

void remove(int id) {
    auto& entries = table();
    for (auto it = entries.begin(); it != entries.end(); ++it) {
        if (it->id == id) {
            entries.erase(it);
            return;
        }
    }
}

Entry* find(int id) {
    for (auto& e : table())
        if (e.id == id) return &e;
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

bool has(int id) {
    for (const auto& e : table())
        if (e.id == id) return true;
    return false;
}

void call(int id, val a, val b) {
    for (auto& e : table()) {
        if (e.id != id) continue;
        // A copy: the callback may remove itself (a socket's close releases its listeners).
        JsCallback fn = e.fn;
        if (e.once) remove(id);
        fn(a, b);
        return;
    }
    // Not found: removed, its owner is closed.
}

val on(int id) {
    return bound(id, true);
}
val onError(int id) {
    return bound(id, false);
}
val onNothing(int id) {
    return bound(id, true, val::undefined());
}
val onTwo(int id) {
    return bound(id);
}

JsCallback to(void* self, Dispatch dispatch, int kind) {
    return [self, dispatch, kind](const val& a, const val& b) { dispatch(self, kind, a, b); };
}

void listen(const val& target, const char* type, JsCallback fn, std::vector<int>& ids) {
    int id = add(std::move(fn), false);
    ids.push_back(id);
    web::jsTry(target, "addEventListener", val(type), on(id));
}

int settle(const web::JsResult& call, JsCallback done) {
    // Promise.resolve / reject (ECMA-262 §27.2.4.7, §27.2.4.6) make every outcome a promise, so
    // `done` runs from a reaction job even when the call threw or returned a plain value.
    val promise =
        web::jsTry(val::global("Promise"), call.ok ? "resolve" : "reject", call.value).value;
    int id = add(std::move(done), true);
    web::jsTry(promise, "then", on(id), onError(id));
    return id;
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

std::string stringify(const val& value) {
    web::JsResult r = web::jsTry(val::global("JSON"), "stringify", value);
    return r.ok && r.value.isString() ? r.value.as<std::string>() : std::string();
}

web::JsResult parse(const std::string& text) {
    return web::jsTry(val::global("JSON"), "parse", text);
}

int length(const val& list) {
    return isObject(list) ? intAt(list, "length", 0) : 0;
}

}  // namespace js

void JsObjects::put(const std::string& id, val object) {
    for (auto& e : entries_) {
        if (e.first == id) {
            e.second = std::move(object);
            return;
        }
    }
    entries_.emplace_back(id, std::move(object));
}

val JsObjects::get(const std::string& id) const {
    for (const auto& e : entries_)
        if (e.first == id) return e.second;
    return val::undefined();
}

void JsObjects::erase(const std::string& id) {
    for (auto it = entries_.begin(); it != entries_.end(); ++it) {
        if (it->first == id) {
            entries_.erase(it);
            return;
        }
    }
}

}  // namespace sb::sdk::browser
