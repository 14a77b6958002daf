// The JavaScript runtime of wasm/browser/ (--pre-js, compiled by Closure with the glue): the
// tables the adapters' imports (library.js) share, and the one object the facade holds
// (STYLE.md 13, after manifold's bindings.js): Module.SdkHandle, whose methods take plain values
// and return promises, over the C functions of wasm/bindings/Bindings.cpp.
//
// Strings go into the wasm as malloc'ed UTF-8 that the callee frees (JsCallbacks::take); the
// wasm answers with sb_call callbacks (adapters) and sb_settle / sb_emit (this handle).

// [true, result] or [false, exception]: the one try/catch the C++ adapters need (JsTry.hpp). The wasm
// is built with -fno-exceptions, and embind cannot express a catch without C++ exceptions.
Module['sbTry'] = function (fn, self, args) {
  try {
    return [true, fn.apply(self, args)];
  } catch (e) {
    return [false, e];
  }
};

// Objects by handle (h: the last handle or promise id), local and remote MediaStreams by id,
// pending timers by callback id, the handle's promises and listeners.
var SB = { h: 0, o: {}, local: {}, remote: {}, timers: {}, promises: {}, listeners: [] };

function sbStr(s) {
  if (s == null) return 0;
  s = String(s);
  var n = lengthBytesUTF8(s) + 1, p = _malloc(n);
  stringToUTF8(s, p, n);
  return p;
}
function sbCall(cb, kind, num, text) {
  _sb_call(cb, kind, num, sbStr(text));
}
// A promise's outcome into callback `cb`: kind 1 and the text `ok(value)` gives, or kind 0 and
// the error as text ("NotAllowedError: Permission denied").
function sbSettle(promise, cb, ok) {
  promise.then(ok).then(function (text) { sbCall(cb, 1, 0, text); }, function (e) { sbCall(cb, 0, 0, String(e)); });
}
function sbAdd(o) {
  SB.o[++SB.h] = o;
  return SB.h;
}
// A local MediaStream, kept by id and described to C++ as lines: its id, then each track's id
// and kind.
function sbAdopt(stream) {
  SB.local[stream.id] = stream;
  return [stream.id].concat(stream.getTracks().map(function (t) { return t.id + '\n' + t.kind; })).join('\n');
}
// A promise that the wasm settles with sb_settle(id, error, result).
function sbPromise(start) {
  return new Promise(function (resolve, reject) {
    SB.promises[++SB.h] = [resolve, reject];
    start(SB.h);
  });
}
// A published stream: its RtcStream JSON plus the local MediaStream.
function sbPublished(json) {
  var s = JSON.parse(json);
  s['mediaStream'] = SB.local[s['endpointId']];
  return s;
}

/**
 * `listener(kind, num, a, b, mediaStream)`: kind 0 state change (a: name, b: error JSON or ''),
 * 1 stream available (a: RtcStream JSON, with its MediaStream), 2 stream unavailable (a: id),
 * 3 log (num: 0 error … 3 debug, a: message), 4 DTMF (a: params JSON), 5 subscribe failed (a: error
 * JSON, b: JSON array of the endpointIds). Rejections carry an error as JSON text
 * ({code, message, rpcCode?, data?}).
 * @constructor
 */
function SdkHandle(listener) {
  this.h = _sb_new(SB.listeners.push(listener) - 1);
}
SdkHandle.prototype['connect'] = function (url, token, uniqueId, sdkVersion, rtcConfigurationJson, timeoutMs, maxIceRestarts, iceRestartDelayMs) {
  var h = this.h;
  return sbPromise(function (p) {
    _sb_connect(h, p, sbStr(url), sbStr(token), sbStr(uniqueId), sbStr(sdkVersion), sbStr(rtcConfigurationJson), timeoutMs, maxIceRestarts, iceRestartDelayMs);
  });
};
// getUserMedia(constraints) then publish; resolves to the RtcStream with its mediaStream.
SdkHandle.prototype['publishMedia'] = function (constraintsJson, alias, codecPreferencesJson) {
  var h = this.h;
  return sbPromise(function (p) {
    _sb_publish_media(h, p, sbStr(constraintsJson), sbStr(alias), sbStr(codecPreferencesJson));
  }).then(sbPublished);
};
SdkHandle.prototype['publishStream'] = function (stream, alias, codecPreferencesJson) {
  var h = this.h;
  return sbPromise(function (p) {
    _sb_publish_stream(h, p, sbStr(sbAdopt(stream)), sbStr(alias), sbStr(codecPreferencesJson));
  }).then(sbPublished);
};
SdkHandle.prototype['unpublish'] = function (streamIds) {
  var h = this.h;
  return sbPromise(function (p) { _sb_unpublish(h, p, sbStr(streamIds.join('\n'))); });
};
SdkHandle.prototype['sendDtmf'] = function (tones, streamId) {
  return !!_sb_send_dtmf(this.h, sbStr(tones), sbStr(streamId));
};
SdkHandle.prototype['setTracksEnabled'] = function (kind, enabled, streamId) {
  _sb_set_tracks_enabled(this.h, sbStr(kind), enabled ? 1 : 0, sbStr(streamId));
};
// Resolves to the JSON text of an array of RTCStats dictionaries.
SdkHandle.prototype['getStats'] = function (which) {
  var h = this.h;
  return sbPromise(function (p) { _sb_get_stats(h, p, sbStr(which)); });
};
SdkHandle.prototype['disconnect'] = function () {
  _sb_disconnect(this.h);
};
Module['SdkHandle'] = SdkHandle;
