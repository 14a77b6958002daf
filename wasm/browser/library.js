// The browser half of wasm/browser/ (STYLE.md 1, after datachannel-wasm's webrtc.js and
// websocket.js): every call the C++ adapters make into the page is one function here, linked
// into the wasm's imports with --js-library (declared in JsCallbacks.hpp). The C++ side refers to
// browser objects by integer handles (WebSocket, RTCPeerConnection) or by id (MediaStream.id);
// they live in SB, which pre.js defines with the helpers used here (same scope once linked).
//
// Answers go back through the C++ callback table (JsCallbacks.hpp): sbCall(cb, kind, num, text)
// calls the exported sb_call, later, from a promise reaction or a DOM event, never synchronously
// (the Ports.hpp contract). The wasm is built with -fno-exceptions, so a JavaScript exception must
// never unwind through C++ frames: every browser call that can throw is caught here.
//
// Event names are strings (addEventListener), and dictionaries passed to the browser or read from
// JSON use quoted keys, so Closure's property renaming cannot touch them.

mergeInto(LibraryManager.library, {
  // --- WebSocket (WHATWG HTML §9.3): events to `cb` as kind 0 open, 1 message, 2 close (num = code).
  sb_ws_open: function (url, cb) {
    var ws, h;
    try {
      ws = new WebSocket(UTF8ToString(url));
    } catch (e) {
      // A malformed URL throws SyntaxError (§9.3.1 step 3): reported like a failed connection.
      setTimeout(function () { sbCall(cb, 2, 1006); });
      return 0;
    }
    h = sbAdd(ws);
    // After sb_ws_close the handle is gone and the socket never calls back (Ports.hpp).
    var on = function (type, fn) { ws.addEventListener(type, function (e) { if (SB.o[h] === ws) fn(e); }); };
    on('open', function () { sbCall(cb, 0, 0); });
    // The protocol is JSON text frames only (docs/protocol.md); binary frames are ignored.
    on('message', function (e) { if (typeof e.data == 'string') sbCall(cb, 1, 0, e.data); });
    on('close', function (e) { delete SB.o[h]; sbCall(cb, 2, e.code); });
    return h;
  },
  sb_ws_send: function (h, text) {
    var ws = SB.o[h];
    try {
      if (ws && ws.readyState == 1) ws.send(UTF8ToString(text));  // only when OPEN
    } catch (e) {}
  },
  // Forgets the socket (no more events); closes it too unless code is 0.
  sb_ws_close: function (h, code) {
    var ws = SB.o[h];
    delete SB.o[h];
    try {
      if (ws && code) ws.close(code);
    } catch (e) {}
  },

  // --- One-shot timers (HTML §8.6), keyed by the callback id.
  sb_timer_start: function (cb, ms) {
    SB.timers[cb] = setTimeout(function () {
      delete SB.timers[cb];
      sbCall(cb, 0, 0);
    }, ms);
  },
  sb_timer_cancel: function (cb) {
    clearTimeout(SB.timers[cb]);
    delete SB.timers[cb];
  },

  // --- fetch() GET (WHATWG Fetch §5.1): kind = HTTP status, 0 when the request failed.
  sb_http_get: function (url, cb) {
    var fail = function () { sbCall(cb, 0, 0, ''); };
    try {
      fetch(UTF8ToString(url), { 'cache': 'no-store' }).then(function (r) {
        r.text().then(function (t) { sbCall(cb, r.status, 0, t); }, function () { sbCall(cb, r.status, 0, ''); });
      }, fail);
    } catch (e) {
      Promise.resolve().then(fail);  // fetch() throws only on a malformed URL
    }
  },

  // --- Local media (W3C Media Capture and Streams). A stream is described to C++ as lines:
  // its id, then the id and kind of each track.
  sb_media_get: function (constraints, cb) {
    var devices = globalThis.navigator && navigator.mediaDevices, text = UTF8ToString(constraints);
    var p = devices ? Promise.resolve().then(function () { return devices.getUserMedia(JSON.parse(text)); })
      // mediaDevices is missing outside secure contexts (Media Capture §9.2).
      : Promise.reject('navigator.mediaDevices is not available (a secure context is needed)');
    sbSettle(p, cb, sbAdopt);
  },
  sb_media_stop: function (id) {
    id = UTF8ToString(id);
    var s = SB.local[id];
    if (s) s.getTracks().forEach(function (t) { t.stop(); });
    delete SB.local[id];
  },
  // MediaStreamTrack.enabled on the stream's tracks of one kind (local mute).
  sb_media_enable: function (id, kind, enabled) {
    var s = SB.local[UTF8ToString(id)];
    kind = UTF8ToString(kind);
    if (s) s.getTracks().forEach(function (t) { if (t.kind == kind) t.enabled = !!enabled; });
  },

  // --- RTCPeerConnection (W3C WebRTC 1.0). Events to `cb`: kind 0 track ("trackId\nkind\n
  // streamId…", §5.7), 1 track removed ("streamId\ntrackId": removetrack §4.4.1.6, or ended),
  // 2 connectionState (§4.3.3), 3 data channel message ("label\ntext"), 4 icecandidateerror
  // ("url\nerrorCode\nerrorText", §4.8.2). Returns 0 when the
  // constructor throws (§4.4.1.1: an invalid configuration, such as a bad ICE server URL).
  sb_pc_create: function (config, cb) {
    var pc, r, c = {};
    try {
      c = JSON.parse(UTF8ToString(config));
    } catch (e) {}
    try {
      pc = new RTCPeerConnection(c);
    } catch (e) {
      return 0;
    }
    r = { pc: pc, senders: [], channels: {} };
    var emit = function (kind, text) { if (!r.closed) sbCall(cb, kind, 0, text); };
    pc.addEventListener('track', function (e) {
      var t = e.track, ids = e.streams.map(function (s) { return s.id; });
      e.streams.forEach(function (s) {
        SB.remote[s.id] = s;
        if (s.sbWatched) return;
        s.sbWatched = 1;
        s.addEventListener('removetrack', function (ev) { emit(1, s.id + '\n' + ev.track.id); });
      });
      t.addEventListener('ended', function () { ids.forEach(function (id) { emit(1, id + '\n' + t.id); }); });
      emit(0, [t.id, t.kind].concat(ids).join('\n'));
    });
    pc.addEventListener('connectionstatechange', function () { emit(2, pc.connectionState); });
    pc.addEventListener('icecandidateerror', function (e) {
      emit(4, (e.url || '') + '\n' + (e.errorCode || 0) + '\n' + (e.errorText || ''));
    });
    r.emit = emit;
    return sbAdd(r);
  },
  // A negotiated data channel with a fixed SCTP stream id (§6.2), as the stock SDK's.
  sb_pc_channel: function (h, label, id) {
    var r = SB.o[h];
    label = UTF8ToString(label);
    try {
      var dc = r.pc.createDataChannel(label, { 'negotiated': true, 'id': id, 'protocol': 'udp' });
      dc.addEventListener('message', function (e) { if (typeof e.data == 'string') r.emit(3, label + '\n' + e.data); });
      r.channels[label] = dc;
    } catch (e) {}
  },
  sb_pc_send: function (h, label, text) {
    var dc = SB.o[h].channels[UTF8ToString(label)];
    try {
      if (dc && dc.readyState == 'open') dc.send(UTF8ToString(text));
    } catch (e) {}
  },
  // addTransceiver(track, {direction: "sendonly", streams: [stream]}) (§5.1), then
  // setCodecPreferences (§5.4) with the entries of the track's kind in `prefs` ({audio?, video?}).
  sb_pc_add_track: function (h, trackId, streamId, prefs) {
    var r = SB.o[h], stream = SB.local[UTF8ToString(streamId)];
    trackId = UTF8ToString(trackId);
    prefs = UTF8ToString(prefs);
    try {
      var track = stream.getTrackById(trackId);
      var t = r.pc.addTransceiver(track, { 'direction': 'sendonly', 'streams': [stream] });
      r.senders.push({ id: trackId, stream: stream.id, kind: track.kind, t: t });
      var list = prefs && JSON.parse(prefs)[track.kind];
      if (list) t.setCodecPreferences(list);
    } catch (e) {}
  },
  // Stops the transceiver that sends the track (§5.4 stop()); older browsers: removeTrack (§4.4.1.7).
  sb_pc_remove_track: function (h, trackId) {
    var r = SB.o[h];
    trackId = UTF8ToString(trackId);
    r.senders = r.senders.filter(function (s) {
      if (s.id != trackId) return true;
      try {
        s.t.stop();
      } catch (e) {
        try { r.pc.removeTrack(s.t.sender); } catch (e2) {}
      }
      return false;
    });
  },
  // createOffer with the stock SDK's legacy options (reference §2.4): send-only. Kind 1: the SDP.
  sb_pc_offer: function (h, iceRestart, cb) {
    var pc = SB.o[h].pc;
    sbSettle(Promise.resolve().then(function () {
      return pc.createOffer({ 'iceRestart': !!iceRestart, 'offerToReceiveAudio': false, 'offerToReceiveVideo': false, 'voiceActivityDetection': true });
    }), cb, function (d) { return d.sdp; });
  },
  sb_pc_answer: function (h, cb) {
    var pc = SB.o[h].pc;
    sbSettle(Promise.resolve().then(function () { return pc.createAnswer(); }), cb, function (d) { return d.sdp; });
  },
  // setLocalDescription (remote 0) or setRemoteDescription (remote 1) of {type, sdp}.
  sb_pc_set: function (h, remote, type, sdp, cb) {
    var pc = SB.o[h].pc, d = { 'type': UTF8ToString(type), 'sdp': UTF8ToString(sdp) };
    sbSettle(Promise.resolve().then(function () {
      return remote ? pc.setRemoteDescription(d) : pc.setLocalDescription(d);
    }), cb, function () { return ''; });
  },
  // RTCDTMFSender.insertDTMF on the stream's first audio sender (§7.2); 0 when there is none.
  sb_pc_dtmf: function (h, streamId, tones) {
    streamId = UTF8ToString(streamId);
    var s = SB.o[h].senders.find(function (s) { return s.stream == streamId && s.kind == 'audio'; });
    try {
      s.t.sender.dtmf.insertDTMF(UTF8ToString(tones));  // §7.1: dtmf is null when it cannot send
      return 1;
    } catch (e) {
      return 0;
    }
  },
  // getStats() as a JSON array of the report's dictionaries (§8.2).
  sb_pc_stats: function (h, cb) {
    var pc = SB.o[h].pc;
    sbSettle(Promise.resolve().then(function () { return pc.getStats(); }), cb, function (report) {
      return JSON.stringify(Array.from(report.values()));
    });
  },
  sb_pc_close: function (h) {
    var r = SB.o[h];
    delete SB.o[h];
    r.closed = 1;
    try { r.pc.close(); } catch (e) {}
  },

  // --- The application side (pre.js): listener events and API promises.
  // kind 0 state (a: name, b: error JSON or empty), 1 stream available (a: RtcStream JSON,
  // b: its id, whose MediaStream goes along), 2 stream unavailable (a: id), 3 log (num: level,
  // a: message).
  sb_emit: function (listener, kind, num, a, b) {
    b = UTF8ToString(b);
    SB.listeners[listener](kind, num, UTF8ToString(a), b, kind == 1 ? SB.remote[b] : undefined);
  },
  // Settles promise `id` (pre.js): rejected with `error` (JSON of an Error) unless it is empty,
  // else resolved with `result` (text).
  sb_settle: function (id, error, result) {
    var p = SB.promises[id];
    delete SB.promises[id];
    error = UTF8ToString(error);
    result = UTF8ToString(result);
    if (error) p[1](error);
    else p[0](result);
  },
});
