// The only hand-written JavaScript of the wasm (--pre-js, compiled by Closure with the glue).
// Everything else reaches the browser through embind (emscripten::val, wasm/browser/*.cpp).
//
// Module.sbTry: [true, result] or [false, exception] of fn.apply(self, args), the one try/catch
// the C++ adapters need (JsTry.hpp). Why it cannot be embind: the wasm is built with
// -fno-exceptions, so C++ cannot catch a JavaScript exception, and embind has no way to express a
// try/catch without C++ exceptions.
Module['sbTry'] = function (fn, self, args) {
  try {
    return [true, fn.apply(self, args)];
  } catch (e) {
    return [false, e];
  }
};
