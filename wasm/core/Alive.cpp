#include "wasm/core/Alive.hpp"

namespace sb::sdk {

void Alive::unref(Flag* flag) {
    if (flag && --flag->refs == 0) delete flag;
}

}  // namespace sb::sdk
