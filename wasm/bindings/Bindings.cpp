// embind registrations only (STYLE.md 13): the SdkHandle class and the callback entry point
// that pre.js's Module.sbFn functions call. Conversions live in wasm/browser/.
#include <emscripten/bind.h>

#include "wasm/browser/JsCallbacks.hpp"
#include "wasm/browser/SdkHandle.hpp"

using namespace emscripten;
using sb::sdk::browser::JsCallbacks;
using sb::sdk::browser::SdkHandle;

EMSCRIPTEN_BINDINGS(switchboard) {
    function("sbCall", &JsCallbacks::invoke);
    class_<SdkHandle>("SdkHandle")
        .constructor<val>()
        .function("connect", &SdkHandle::connect)
        .function("publishMedia", &SdkHandle::publishMedia)
        .function("publishStream", &SdkHandle::publishStream)
        .function("unpublish", &SdkHandle::unpublish)
        .function("sendDtmf", &SdkHandle::sendDtmf)
        .function("setTracksEnabled", &SdkHandle::setTracksEnabled)
        .function("getStats", &SdkHandle::getStats)
        .function("disconnect", &SdkHandle::disconnect)
        .function("state", &SdkHandle::state);
}
