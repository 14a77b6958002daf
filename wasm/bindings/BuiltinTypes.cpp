// The builtin types embind converts, registered here instead of by Emscripten's libembind
// (system/lib/embind/bind.cpp). Size is the reason (bench/size/): that file registers every
// builtin type (wide strings, 64-bit integers, 19 memory views), whose JavaScript converters then
// ship in the glue, and names unbound types with sprintf("%p"), which links printf into the wasm
// (about 4 KB); together about 2.5 KB gzip. Defining __getTypeName, the one symbol the embind
// glue needs from that file, here keeps the linker from pulling it out of libembind.a at all.
//
// Only the types the SDK's bindings and emscripten::val calls use are registered; a call with any
// other type fails with embind's "unbound type" error, which tests/js and tests/browser would show.

#include <emscripten/bind.h>
#include <emscripten/em_macros.h>

#include <climits>
#include <cstdlib>
#include <cstring>
#include <string>
#include <typeinfo>

namespace {

using namespace emscripten::internal;

template <typename T>
void registerInteger(const char* name, long min, unsigned long max) {
    _embind_register_integer(TypeID<T>::get(), name, sizeof(T), min, max);
}

}  // namespace

extern "C" {

// What embind's error messages call a type: "type 0x…" (the address of its TypeID; with
// EMSCRIPTEN_HAS_UNBOUND_TYPE_NAMES=0 there are no names). The glue frees the string.
EMSCRIPTEN_KEEPALIVE char* __getTypeName(const std::type_info* type) {
    static const char digits[] = "0123456789abcdef";
    char text[] = "type 0x00000000";
    auto bits = reinterpret_cast<unsigned long>(type);
    for (int i = 0; i < 8; ++i) text[sizeof text - 2 - i] = digits[(bits >> (4 * i)) & 15];
    return strdup(text);
}

// A global constructor, as libembind's: it runs before the EMSCRIPTEN_BINDINGS of Bindings.cpp
// register anything that uses these types (embind resolves registrations in any order anyway).
__attribute__((constructor)) void sb_register_builtin_types() {
    _embind_register_void(TypeID<void>::get(), "void");
    _embind_register_bool(TypeID<bool>::get(), "bool", sizeof(bool), true, false);
    // int is the one integer type that crosses (unsigned, long and size_t never do).
    registerInteger<int>("int", INT_MIN, INT_MAX);
    _embind_register_float(TypeID<double>::get(), "double", sizeof(double));
    _embind_register_std_string(TypeID<std::string>::get(), "std::string");
    _embind_register_emval(TypeID<emscripten::val>::get(), "emscripten::val");
}

}  // extern "C"
