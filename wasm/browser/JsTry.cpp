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

}  // namespace sb::web
