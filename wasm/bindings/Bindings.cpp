// The embind registrations of the wasm (STYLE.md 13: registrations only, conversions elsewhere):
// the class the facade constructs, `new Module.SdkHandle(listener)` (wasm/browser/SdkHandle.hpp),
// and Module.sbCall, through which the browser calls the adapters back (JsCallbacks.hpp).
// The class has no base class and no smart pointer: web/trim-glue.mjs deletes the glue's
// conversions for those.

#include <emscripten/bind.h>

#include "wasm/browser/SdkHandle.hpp"

using sb::sdk::browser::SdkHandle;

// The SdkHandle is never destroyed: web/trim-glue.mjs deletes the handle's delete(), and embind
// gives a handle a finalizer (FinalizationRegistry) only when it holds a smart pointer, which this
// class never does. So the destructor embind registers for the class does nothing, which keeps
// ~SdkHandle (the Client's and every adapter's teardown, inlined) out of the wasm.
template <>
void emscripten::internal::raw_destructor<SdkHandle>(SdkHandle*) {}

EMSCRIPTEN_BINDINGS(switchboard) {
    emscripten::function("sbCall", &sb::sdk::browser::js::call);
    emscripten::class_<SdkHandle>("SdkHandle")
        .constructor<emscripten::val>()
        .function("connect", &SdkHandle::connect)
        .function("publishMedia", &SdkHandle::publishMedia)
        .function("publishStream", &SdkHandle::publishStream)
        .function("unpublish", &SdkHandle::unpublish)
        .function("switchDevice", &SdkHandle::switchDevice)
        .function("sendDtmf", &SdkHandle::sendDtmf)
        .function("setTracksEnabled", &SdkHandle::setTracksEnabled)
        .function("getStats", &SdkHandle::getStats)
        .function("updateToken", &SdkHandle::updateToken)
        .function("networkOnline", &SdkHandle::networkOnline)
        .function("preflight", &SdkHandle::preflight)
        .function("disconnect", &SdkHandle::disconnect);
}
