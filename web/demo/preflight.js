// The preflight button: SwitchboardRtc.runPreflight({deviceToken}) checks the microphone,
// signaling, ICE (host and relay) and round-trip media, and returns pass/warn/fail per check with
// what it measured. An SDK without it gets a disabled button and a note saying so: the page does
// not imitate the checks.
const $ = (id) => document.getElementById(id);

function figures(check) {
  const parts = [];
  if (typeof check.rttMs === 'number') parts.push(`RTT ${Math.round(check.rttMs)} ms`);
  if (typeof check.jitterMs === 'number') parts.push(`jitter ${Math.round(check.jitterMs)} ms`);
  if (typeof check.packetLoss === 'number') parts.push(`loss ${(check.packetLoss * 100).toFixed(1)} %`);
  if (check.message) parts.push(check.message);
  return parts.join(' · ');
}

// The checks as [{name, status, ...}], whether the result lists them or names them as keys.
function checksOf(result) {
  if (Array.isArray(result?.checks)) return result.checks;
  const source = result?.checks && typeof result.checks === 'object' ? result.checks : result || {};
  return Object.entries(source)
    .filter(([, v]) => v && typeof v === 'object' && 'status' in v)
    .map(([name, v]) => ({ name, ...v }));
}

async function run(SdkClass, getToken, showError) {
  $('preflight').disabled = true;
  $('preflightNote').textContent = 'Running…';
  $('preflightResults').replaceChildren();
  try {
    const result = await SdkClass.runPreflight({ deviceToken: await getToken() });
    const items = checksOf(result).map((check) => {
      const li = document.createElement('li');
      li.className = `result ${check.status}`;
      li.textContent = `${check.name}: ${check.status}${figures(check) ? ` — ${figures(check)}` : ''}`;
      return li;
    });
    $('preflightResults').replaceChildren(...items);
    $('preflightNote').textContent = result?.status ? `Overall: ${result.status}` : 'Done.';
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
    $('preflightNote').textContent = 'This SDK build has no preflight (SwitchboardRtc.runPreflight): the button works once it does.';
    return;
  }
  $('preflight').addEventListener('click', () => run(SdkClass, getToken, showError));
}
