#include "wasm/browser/JsTry.hpp"

namespace sb::web {

using emscripten::val;

JsResult jsApply(const val& self, const char* method, std::initializer_list<val> args) {
    if (self.isUndefined() || self.isNull()) return {false, val("no object to call")};
    val list = val::array();
    int i = 0;
    for (const val& a : args) list.set(i++, a);
    val r = val::module_property("sbTry")(self[method], self, list);
    return {r[0].as<bool>(), r[1]};
}

JsResult parseJson(const std::string& text) {
    return jsTry(val::global("JSON"), "parse", text);
}

std::string stringifyJson(const val& value) {
    JsResult r = jsTry(val::global("JSON"), "stringify", value);
    return r.ok && r.value.isString() ? r.value.as<std::string>() : std::string();
}

JsResult jsTryNew(const val& ctor, const val& arg) {
    val list = val::array();
    list.set(0, arg);
    return jsApply(val::global("Reflect"), "construct", {ctor, list});
}

val get(const val& value, const char* key) {
    return value[key];
}

val at(const val& value, int i) {
    return value[i];
}

bool typeIs(const val& value, const char* type) {
    return value.typeOf().as<std::string>() == type;
}

int intAt(const val& value, const char* key, int fallback) {
    val member = get(value, key);
    return member.isNumber() ? member.as<int>() : fallback;
}

}  // namespace sb::web
