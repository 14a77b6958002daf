// Quality indicators: the call's summary line, a badge per participant, and the list of active
// quality warnings, all from the SDK's own measure (the `callStats` event, once a second, with a
// MOS estimate and per-stream figures; docs/sdk.md "Call quality"). Until the first sample the
// page says it is measuring: the figures come from one place, the SDK's core.
const $ = (id) => document.getElementById(id);
const WARNING_TEXT = {
  'high-rtt': 'High round-trip time',
  'high-jitter': 'High jitter',
  'high-packet-loss': 'Packets are being lost',
  'low-mos': 'Poor call quality',
  'silent-microphone': 'Your microphone sends silence',
  'no-inbound-audio': 'No audio arrives',
};

// "good" | "fair" | "poor" from the SDK's MOS estimate (ITU-T G.107 E-model), by the user
// satisfaction categories of ITU-T G.109: R 80 (MOS 4.0) "satisfied", R 70 (MOS 3.6) "some users
// dissatisfied"; "measuring" until the SDK has a figure.
export function grade({ mos }) {
  if (!known(mos) || mos === 0) return 'measuring';
  return mos >= 4 ? 'good' : mos >= 3.6 ? 'fair' : 'poor';
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
  const fromSample = (sample) => {
    if (!sample) return;
    $('quality').textContent = `Call quality: ${grade(sample)} — ${describe(sample)}`;
    for (const s of sample.streams || []) {
      if (s.kind !== 'audio') continue;
      if (s.direction === 'outbound') showQuality($('meQuality'), s);
      else showQuality(entryOf(streams, s.endpointId)?.quality, s);
    }
  };
  if (listen('callStats', fromSample)) fromSample(rtc.getCallStats());
  else $('quality').textContent = 'Call quality: not measured by this SDK';
  return () => {
    for (const stop of stops) stop();
    $('warnings').replaceChildren();
    $('quality').textContent = 'Call quality: –';
    $('meQuality').textContent = '–';
    $('meQuality').className = 'quality';
  };
}
