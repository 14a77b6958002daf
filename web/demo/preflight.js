// The preflight button: SwitchboardRtc.runPreflight({deviceToken}) checks the microphone,
// signaling, ICE (host and relay through the server's TURN) and round-trip media through the
// server, and resolves to {status, checks: {signaling, microphone, iceHost, media, iceRelay}}
// (docs/sdk.md "Preflight"): one row per check with its status, time, measured figures and, when
// it warns, fails or was skipped, why. An SDK without it gets a disabled button and a note saying
// so: the page does not imitate the checks.
const $ = (id) => document.getElementById(id);

const LABELS = {
  signaling: 'Server (signaling)',
  microphone: 'Microphone',
  iceHost: 'Direct network path',
  media: 'Audio through the server and back',
  iceRelay: 'Relayed path (TURN)',
};

const round = (v) => (v < 10 ? v.toFixed(1) : Math.round(v));

// "RTT 2 ms · jitter 0.8 ms · loss 0.0 % · MOS 4.4 · 61 ms · why" for one check.
function figures(check) {
  const parts = [];
  if (typeof check.rttMs === 'number') parts.push(`RTT ${round(check.rttMs)} ms`);
  if (typeof check.jitterMs === 'number') parts.push(`jitter ${round(check.jitterMs)} ms`);
  if (typeof check.packetLoss === 'number') parts.push(`loss ${(check.packetLoss * 100).toFixed(1)} %`);
  if (typeof check.mos === 'number') parts.push(`MOS ${check.mos.toFixed(1)}`);
  if (typeof check.ms === 'number') parts.push(`${Math.round(check.ms)} ms`);
  if (check.error) parts.push(`${check.error.message} (${check.error.code})`);
  return parts.join(' · ');
}

async function run(SdkClass, getToken, showError) {
  $('preflight').disabled = true;
  $('preflightNote').textContent = 'Running… (about 15 s)';
  $('preflightResults').replaceChildren();
  try {
    const result = await SdkClass.runPreflight({ deviceToken: await getToken() });
    const items = Object.entries(result.checks).map(([name, check]) => {
      const li = document.createElement('li');
      li.className = `result ${check.status}`;
      li.dataset.check = name;
      li.dataset.status = check.status;
      const text = figures(check);
      li.textContent = `${LABELS[name] ?? name}: ${check.status}${text ? ` — ${text}` : ''}`;
      return li;
    });
    $('preflightResults').replaceChildren(...items);
    $('preflightNote').textContent = `Overall: ${result.status}`;
    $('preflightNote').dataset.status = result.status;
  } catch (e) {
    $('preflightNote').textContent = '';
    showError(`Preflight did not run: ${e.message}`);
  } finally {
    $('preflight').disabled = false;
  }
}

// `getToken()`: a device token for the checks (the demo application hands one out).
export function setUpPreflight(SdkClass, getToken, showError) {
  if (typeof SdkClass.runPreflight !== 'function') {
    $('preflight').disabled = true;
    $('preflightNote').textContent = 'This SDK build has no preflight (SwitchboardRtc.runPreflight).';
    return;
  }
  $('preflight').addEventListener('click', () => run(SdkClass, getToken, showError));
}
