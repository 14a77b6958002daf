// Quality indicators: the call's summary line, a badge per participant, and the list of active
// quality warnings. With an SDK that has getCallStats (the `callStats` event, once a second, with
// a MOS estimate and per-stream figures) the page shows those from its first sample on; until
// then, and with an older SDK, it reads the raw getStats('subscribe' | 'publish') every 2 s and
// shows loss, jitter and RTT without a MOS.
const $ = (id) => document.getElementById(id);
const WARNING_TEXT = {
  'high-rtt': 'High round-trip time',
  'high-jitter': 'High jitter',
  'high-packet-loss': 'Packets are being lost',
  'low-mos': 'Poor call quality',
  'silent-microphone': 'Your microphone sends silence',
  'no-inbound-audio': 'No audio arrives',
};

// "good" | "fair" | "poor" from a MOS when there is one, else from loss, jitter and RTT (the
// limits of ITU-T G.114 for one-way delay and the usual VoIP rules of thumb for loss and jitter).
export function grade({ mos, packetLoss = 0, jitterMs = 0, rttMs = 0 }) {
  if (typeof mos === 'number' && mos > 0) return mos >= 4 ? 'good' : mos >= 3.6 ? 'fair' : 'poor';
  if (packetLoss > 0.05 || jitterMs > 50 || rttMs > 400) return 'poor';
  if (packetLoss > 0.01 || jitterMs > 30 || rttMs > 300) return 'fair';
  return 'good';
}

// A figure that is not known yet may be missing or negative.
const known = (v) => typeof v === 'number' && v >= 0;

function describe(s) {
  const parts = [];
  if (known(s.mos) && s.mos > 0) parts.push(`MOS ${s.mos.toFixed(1)}`);
  if (known(s.rttMs)) parts.push(`RTT ${Math.round(s.rttMs)} ms`);
  if (known(s.jitterMs)) parts.push(`jitter ${Math.round(s.jitterMs)} ms`);
  if (known(s.packetLoss)) parts.push(`loss ${(s.packetLoss * 100).toFixed(1)} %`);
  return parts.join(' · ');
}

// A stream's row by the SDK's endpointId, or by its MediaStream's id (what a stats sample may name).
function entryOf(streams, id) {
  return streams.get(id) ?? [...streams.values()].find((e) => e.mediaStream.id === id);
}

export function showQuality(el, figures) {
  if (!el) return;
  const g = grade(figures);
  el.textContent = `${g} — ${describe(figures) || 'no figures yet'}`;
  el.className = `quality ${g}`;
}

// Watches the call's quality for `rtc`; `streams` maps endpointId -> {mediaStream, quality}.
// Returns stop().
export function watchQuality(rtc, streams) {
  const stops = [];
  const listen = (name, fn) => {
    // An SDK without the event refuses the name (invalid_argument): the feature is not there.
    try {
      rtc.on(name, fn);
      stops.push(() => rtc.off(name, fn));
      return true;
    } catch {
      return false;
    }
  };
  listen('qualityWarning', (name, details) => {
    let li = document.getElementById(`warning-${name}`);
    if (!li) {
      li = document.createElement('li');
      li.id = `warning-${name}`;
      $('warnings').appendChild(li);
    }
    const value = details && typeof details === 'object' ? describe(details) : '';
    li.textContent = `${WARNING_TEXT[name] || name}${value ? ` (${value})` : ''}`;
  });
  listen('qualityWarningCleared', (name) => document.getElementById(`warning-${name}`)?.remove());
  // The raw figures until the SDK's first sample (an SDK without samples keeps them).
  const timer = setInterval(rawStatsPoller(rtc, streams), 2000);
  stops.push(() => clearInterval(timer));
  const fromSample = (sample) => {
    if (!sample) return;
    clearInterval(timer);
    $('quality').textContent = `Call quality: ${grade(sample)} — ${describe(sample)}`;
    for (const s of sample.streams || []) {
      if (s.kind !== 'audio') continue;
      if (s.direction === 'outbound') showQuality($('meQuality'), s);
      else showQuality(entryOf(streams, s.endpointId)?.quality, s);
    }
  };
  if (typeof rtc.getCallStats === 'function' && listen('callStats', fromSample)) fromSample(rtc.getCallStats());
  return () => {
    for (const stop of stops) stop();
    $('warnings').replaceChildren();
    $('quality').textContent = 'Call quality: –';
    $('meQuality').textContent = '–';
    $('meQuality').className = 'quality';
  };
}

// The fallback: W3C webrtc-stats inbound-rtp (jitter in seconds, packetsLost/packetsReceived as
// running totals, so loss is computed over the last interval), remote-inbound-rtp for what we
// send, and the selected candidate pair's currentRoundTripTime.
function rawStatsPoller(rtc, streams) {
  const last = new Map();
  const loss = (key, lost, received) => {
    const prev = last.get(key) || { lost: 0, received: 0 };
    last.set(key, { lost, received });
    const dLost = Math.max(0, lost - prev.lost);
    const total = dLost + Math.max(0, received - prev.received);
    return total ? dLost / total : 0;
  };
  const rttOf = (stats) => {
    const pair = stats.find((s) => s.type === 'candidate-pair' && s.nominated && s.currentRoundTripTime !== undefined);
    return pair ? pair.currentRoundTripTime * 1000 : undefined;
  };
  return async () => {
    let sub = [];
    let pub = [];
    try {
      sub = await rtc.getStats('subscribe');
    } catch { /* not subscribed to anything yet */ }
    try {
      pub = await rtc.getStats('publish');
    } catch { /* not publishing */ }
    const subRtt = rttOf(sub);
    const seen = [];
    const show = (el, figures) => {
      showQuality(el, figures);
      seen.push(figures);
    };
    for (const s of sub) {
      if (s.type !== 'inbound-rtp' || s.kind !== 'audio') continue;
      for (const [id, entry] of streams) {
        if (!entry.mediaStream.getAudioTracks().some((t) => t.id === s.trackIdentifier)) continue;
        show(entry.quality, { packetLoss: loss(id, s.packetsLost || 0, s.packetsReceived || 0), jitterMs: (s.jitter || 0) * 1000, rttMs: subRtt });
      }
    }
    const out = pub.find((s) => s.type === 'remote-inbound-rtp' && s.kind === 'audio');
    if (out) {
      const rttMs = out.roundTripTime !== undefined ? out.roundTripTime * 1000 : rttOf(pub);
      show($('meQuality'), { packetLoss: out.fractionLost || 0, jitterMs: (out.jitter || 0) * 1000, rttMs });
    }
    // The call is as good as its worst stream.
    const order = ['good', 'fair', 'poor'];
    const worst = seen.sort((a, b) => order.indexOf(grade(b)) - order.indexOf(grade(a)))[0];
    if (worst) $('quality').textContent = `Call quality: ${grade(worst)} — ${describe(worst)}`;
  };
}
