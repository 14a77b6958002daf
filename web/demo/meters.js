// Level meters for every participant, the local microphone included: one AudioContext for the
// page, an AnalyserNode per stream, and one timer that sets each <meter> to the stream's RMS level
// (scaled so that speech fills most of the bar). A remote WebRTC stream only feeds Web Audio while
// a media element plays it, which the page does anyway.
let context = null;
const meters = new Map(); // key -> {analyser, source, meter, samples}
let timer = null;

function audioContext() {
  const Context = globalThis.AudioContext || globalThis.webkitAudioContext;
  if (!Context) return null;
  context ||= new Context();
  // Created outside a user gesture, a context starts suspended (HTML autoplay policy).
  if (context.state === 'suspended') context.resume().catch(() => {});
  return context;
}

function tick() {
  for (const m of meters.values()) {
    m.analyser.getFloatTimeDomainData(m.samples);
    let sum = 0;
    for (const s of m.samples) sum += s * s;
    const rms = Math.sqrt(sum / m.samples.length);
    // RMS of speech is around 0.05-0.2: a square root spreads that over the bar.
    m.meter.value = Math.min(1, Math.sqrt(rms * 4));
  }
}

// Shows the level of `mediaStream`'s audio in `meter` under `key`, replacing what it showed.
export function watchLevel(key, mediaStream, meter) {
  stopLevel(key);
  if (!mediaStream?.getAudioTracks().length) return;
  const ctx = audioContext();
  if (!ctx) return;
  const analyser = ctx.createAnalyser();
  analyser.fftSize = 1024;
  const source = ctx.createMediaStreamSource(mediaStream);
  source.connect(analyser);
  meters.set(key, { analyser, source, meter, samples: new Float32Array(analyser.fftSize) });
  timer ||= setInterval(tick, 100);
}

export function stopLevel(key) {
  const m = meters.get(key);
  if (!m) return;
  m.source.disconnect();
  m.meter.value = 0;
  meters.delete(key);
  if (!meters.size) {
    clearInterval(timer);
    timer = null;
  }
}

export function stopAllLevels() {
  for (const key of [...meters.keys()]) stopLevel(key);
}
