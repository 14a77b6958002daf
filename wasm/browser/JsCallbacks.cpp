#include "wasm/browser/JsCallbacks.hpp"

#include <cstdlib>

namespace sb::sdk::browser::js {

namespace {

struct Entry {
    int id;
    bool once;
    JsCallback fn;
};

// A handful of entries are live at a time (sockets, connections, timers, pending promises): a
// vector searched linearly is the smallest table.
std::vector<Entry>& table() {
    static std::vector<Entry> entries;
    return entries;
}

Entry* find(int id) {
    for (auto& e : table())
        if (e.id == id) return &e;
    return nullptr;
}

}  // namespace

int add(JsCallback fn, bool once) {
    static int next = 0;
    table().push_back(Entry{++next, once, std::move(fn)});
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

std::string take(char* text) {
    std::string out = text ? text : "";
    std::free(text);
    return out;
}

std::vector<std::string> split(const std::string& text, std::size_t max) {
    std::vector<std::string> out;
    std::size_t start = 0;
    for (;;) {
        std::size_t end = text.find('\n', start);
        if (end == std::string::npos || (max && out.size() + 1 == max)) break;
        out.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    out.push_back(text.substr(start));
    return out;
}

}  // namespace sb::sdk::browser::js

void sb_call(int id, int kind, int num, char* text) {
    using namespace sb::sdk::browser;
    std::string value = js::take(text);
    js::Entry* entry = js::find(id);
    if (!entry) return;  // released: the owner is closed
    // A copy: the callback may remove itself (a socket's close releases its listener).
    JsCallback fn = entry->fn;
    if (entry->once) js::remove(id);
    fn(kind, num, value);
}
