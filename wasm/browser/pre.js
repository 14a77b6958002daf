// Helpers the browser adapters (wasm/browser/*.cpp) call through emscripten::val. The wasm is
// built with -fno-exceptions, so a JavaScript exception must never unwind through C++ frames:
// every call that may throw (W3C WebRTC and WebSocket APIs throw on bad input or state) goes
// through sbTry/sbNew, which turn it into a result object.
Module['sbTry'] = function (target, method, args) {
  try {
    return { 'ok': true, 'value': target[method].apply(target, args) };
  } catch (e) {
    return { 'ok': false, 'error': String(e) };
  }
};
Module['sbNew'] = function (ctor, args) {
  try {
    return { 'ok': true, 'value': Reflect.construct(ctor, args) };
  } catch (e) {
    return { 'ok': false, 'error': String(e) };
  }
};
// A JS function that calls the C++ callback `id` (JsCallbacks) with `ok` and its argument.
Module['sbFn'] = function (id, ok) {
  return function (value) {
    Module['sbCall'](id, ok, value);
  };
};
// {id, tracks: [{id, kind}]} of a MediaStream as JSON: one call instead of one per property.
Module['sbDescribe'] = function (stream) {
  return JSON.stringify({
    'id': stream.id,
    'tracks': stream.getTracks().map(function (t) { return { 'id': t.id, 'kind': t.kind }; }),
  });
};
