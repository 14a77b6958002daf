// Local speaking level of a published stream, as the stock SDK computes it (reference §2.8):
// an AnalyserNode (FFT 2048) sampled every 100 ms; normalised amplitude below 0.2 for 500 ms is
// "silent", 0.5 or more is "high" (reported at once), anything else "low"; changes are reported
// at most every 500 ms. Unlike the stock SDK, stop() releases the AudioContext and the interval.
import { safely } from './events.js';

export const AudioLevel = Object.freeze({ SILENT: 'silent', LOW: 'low', HIGH: 'high' });

// The levels below are AudioLevel's values.
export function watchAudioLevel(mediaStream, handler) {
  const Context = globalThis.AudioContext || globalThis.webkitAudioContext;
  if (!Context || !mediaStream.getAudioTracks().length) return () => {};
  const context = new Context();
  const analyser = context.createAnalyser();
  analyser.fftSize = 2048;
  context.createMediaStreamSource(mediaStream).connect(analyser);
  const samples = new Uint8Array(analyser.fftSize);
  let level = 'silent';
  let quietSince = 0;
  let lastReport = 0;
  const timer = setInterval(() => {
    analyser.getByteTimeDomainData(samples);
    let peak = 0;
    for (const s of samples) peak = Math.max(peak, Math.abs(s - 128) / 128);
    const now = Date.now();
    let next = peak >= 0.5 ? 'high' : 'low';
    if (peak < 0.2) {
      quietSince ||= now;
      if (now - quietSince >= 500) next = 'silent';
      else if (level === 'silent') next = level;
    } else {
      quietSince = 0;
    }
    if (next !== level && (next === 'high' || now - lastReport >= 500)) {
      level = next;
      lastReport = now;
      safely(handler, level);
    }
  }, 100);
  return () => {
    clearInterval(timer);
    context.close();
  };
}
