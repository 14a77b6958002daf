#pragma once
// The seam between the C++ adapters and their JavaScript half (library.js, linked with
// --js-library): the functions it implements, and the table of C++ callbacks through which it
// answers. A callback gets (kind, num, text), whose meaning each import documents; JavaScript
// calls the exported sb_call(id, kind, num, text) from a promise reaction or an event. This is the
// `.then` chaining with exported callbacks that toolchain-notes Q5 recommends, without embind:
// strings cross as UTF-8 (a JS string into the wasm is malloc'ed and freed by the callee), browser
// objects as integer handles or ids.

#include <string>
#include <vector>

#include "wasm/core/Fn.hpp"

namespace sb::sdk::browser {

using JsCallback = Fn<void(int kind, int num, const std::string& text)>;

namespace js {
// Registers `fn`; the id goes to JavaScript. A `once` callback is dropped after its call.
int add(JsCallback fn, bool once);
// Unregisters: a later call with this id is ignored (its owner is closed).
void remove(int id);
// The text of a string JavaScript passed in, which it owned to the wasm (freed here).
std::string take(char* text);
// Fields of a newline-separated list ("a\nb\nc"); `max` > 0 keeps the rest in the last field.
std::vector<std::string> split(const std::string& text, std::size_t max = 0);
}  // namespace js

}  // namespace sb::sdk::browser

// library.js. `cb` is a callback id of the table above; handles are JavaScript's, never 0.
extern "C" {
// WebSocket: cb gets kind 0 open, 1 message (text), 2 close (num = code, also for a failed open).
int sb_ws_open(const char* url, int cb);
void sb_ws_send(int ws, const char* text);
// Forgets the socket (it never calls back again) and closes it with `code` unless that is 0.
void sb_ws_close(int ws, int code);
// setTimeout(cb, ms); cancelled by the same callback id.
void sb_timer_start(int cb, int ms);
void sb_timer_cancel(int cb);
// fetch() GET: cb gets kind = HTTP status (0: the request failed) and the body.
void sb_http_get(const char* url, int cb);
// getUserMedia: cb gets kind 1 and the stream's lines (id, then id and kind of each track), or
// kind 0 and the error.
void sb_media_get(const char* constraintsJson, int cb);
void sb_media_stop(const char* streamId);
void sb_media_enable(const char* streamId, const char* kind, int enabled);
// RTCPeerConnection; 0 when the constructor throws. cb gets its events: kind 0 track (lines:
// track id, kind, stream ids), 1 track removed (lines: stream id, track id), 2 connectionState,
// 3 data channel message (lines: label, text).
int sb_pc_create(const char* configurationJson, int cb);
void sb_pc_channel(int pc, const char* label, int id);
void sb_pc_send(int pc, const char* label, const char* text);
void sb_pc_add_track(int pc, const char* trackId, const char* streamId, const char* prefsJson);
void sb_pc_remove_track(int pc, const char* trackId);
// Promise-returning methods: cb gets kind 1 (and the SDP, or the stats JSON) or kind 0 and the
// error text.
void sb_pc_offer(int pc, int iceRestart, int cb);
void sb_pc_answer(int pc, int cb);
void sb_pc_set(int pc, int remote, const char* type, const char* sdp, int cb);
void sb_pc_stats(int pc, int cb);
int sb_pc_dtmf(int pc, const char* streamId, const char* tones);
void sb_pc_close(int pc);
// To the application (pre.js): listener events and API promise outcomes.
void sb_emit(int listener, int kind, int num, const char* a, const char* b);
void sb_settle(int promise, const char* error, const char* result);

// Exported: JavaScript answers callback `id` (Bindings.cpp lists the exports).
void sb_call(int id, int kind, int num, char* text);
}
