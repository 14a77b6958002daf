// The microphone, camera and speaker pickers. Before joining, the picked microphone and camera
// are what publish() asks getUserMedia for. During a call they switch through the SDK's
// switchMicrophone / switchCamera (replaceTrack: no renegotiation) and the speaker through
// setSpeaker (HTMLMediaElement.setSinkId); an SDK or browser without them leaves the picker
// disabled during the call and says why, rather than pretending.
const $ = (id) => document.getElementById(id);
const KINDS = { audioinput: 'mic', videoinput: 'cam', audiooutput: 'speaker' };
const NAMES = { audioinput: 'Microphone', videoinput: 'Camera', audiooutput: 'Speaker' };

let app = null;
let stopListening = () => {};

function note(lines) {
  $('devicesNote').textContent = lines.filter(Boolean).join(' ');
}

// Fills the three pickers from a device list, keeping each one's selection when it is still there.
function fill(devices) {
  for (const [kind, id] of Object.entries(KINDS)) {
    const select = $(id);
    const previous = select.value;
    const options = devices.filter((d) => d.kind === kind).map((d, i) => {
      const o = document.createElement('option');
      o.value = d.deviceId;
      // Labels are empty until the page may use the devices (W3C Media Capture §9.2.1).
      o.textContent = d.label || `${NAMES[kind]} ${i + 1}`;
      return o;
    });
    if (!options.length) {
      const o = document.createElement('option');
      o.value = '';
      o.textContent = `no ${NAMES[kind].toLowerCase()} found`;
      options.push(o);
    }
    select.replaceChildren(...options);
    if (options.some((o) => o.value === previous)) select.value = previous;
  }
  update();
}

export async function refreshDevices() {
  try {
    fill(await navigator.mediaDevices.enumerateDevices());
  } catch (e) {
    note([`The devices cannot be listed: ${e.message}`]);
  }
}

// Which pickers work now, and the note that says why the others do not.
function update() {
  const rtc = app.rtc();
  const inCall = !!app.published();
  const canMic = typeof rtc?.switchMicrophone === 'function';
  const canCam = typeof rtc?.switchCamera === 'function';
  const SdkClass = rtc?.constructor ?? app.SdkClass;
  const canSpeakerApi = typeof (rtc ?? SdkClass.prototype).setSpeaker === 'function';
  const browserSinks = SdkClass.canSelectSpeaker ?? typeof HTMLMediaElement.prototype.setSinkId === 'function';
  $('mic').disabled = inCall && !canMic;
  $('cam').disabled = inCall && !canCam;
  $('speaker').disabled = !canSpeakerApi || !browserSinks;
  note([
    inCall && !canMic ? 'This SDK cannot switch the microphone during a call: leave and join again to use another one.' : '',
    inCall && !canCam ? 'This SDK cannot switch the camera during a call.' : '',
    !canSpeakerApi ? 'This SDK cannot choose the speaker (no setSpeaker).' : '',
    canSpeakerApi && !browserSinks ? 'This browser cannot choose the speaker (no setSinkId): sound plays on the default output.' : '',
  ]);
}

// The getUserMedia constraints for publish(): the picked devices, or any.
export function publishConstraints(video) {
  const mic = $('mic').value;
  const cam = $('cam').value;
  return {
    audio: mic ? { deviceId: { exact: mic } } : true,
    video: video ? (cam ? { deviceId: { exact: cam } } : true) : false,
  };
}

async function switchInput(kind) {
  const rtc = app.rtc();
  const published = app.published();
  if (!rtc || !published) return; // before a call the pick is used by publish()
  const select = $(KINDS[kind]);
  const method = kind === 'audioinput' ? 'switchMicrophone' : 'switchCamera';
  if (kind === 'videoinput' && !published.mediaTypes.includes('VIDEO')) return;
  select.disabled = true;
  try {
    await rtc[method](select.value, published);
    app.inputSwitched(kind);
    app.notice(`${NAMES[kind]}: ${select.selectedOptions[0]?.textContent}`);
  } catch (e) {
    app.showError(`The ${NAMES[kind].toLowerCase()} was not switched: ${e.message}`);
  } finally {
    update();
  }
}

// Plays every media element of the page (and those added later: applySpeaker) on the picked output.
export async function applySpeaker(...elements) {
  const rtc = app.rtc();
  const id = $('speaker').value;
  if (!rtc || typeof rtc.setSpeaker !== 'function' || !id) return;
  const targets = elements.length ? elements : [...document.querySelectorAll('#media audio, #media video')];
  try {
    await rtc.setSpeaker(id, ...targets);
  } catch (e) {
    if (e.code === 'sink_unsupported') note(['This browser cannot choose the speaker (no setSinkId): sound plays on the default output.']);
    else app.showError(`The speaker was not changed: ${e.message}`);
  }
}

// A new SDK object (joined) or none (left): listens to its device events when it has them.
export function devicesForSdk(rtc) {
  stopListening();
  stopListening = () => {};
  if (!rtc) return update();
  const listeners = {
    devicesChanged: (lists) => fill(Object.keys(KINDS).flatMap((kind) =>
      (lists?.[kind] || []).map((d) => ({ kind, deviceId: d.deviceId, label: d.label })))),
    deviceFallback: ({ kind, lostDeviceId }) => {
      app.notice(`${NAMES[kind] || kind} ${lostDeviceId || ''} was unplugged: using the default one.`);
      refreshDevices();
    },
  };
  const added = [];
  for (const [name, fn] of Object.entries(listeners)) {
    try {
      rtc.on(name, fn);
      added.push([name, fn]);
    } catch { /* an SDK without this event */ }
  }
  stopListening = () => added.forEach(([name, fn]) => rtc.off(name, fn));
  update();
}

// `page`: {rtc(), published(), SdkClass, inputSwitched(kind), notice(text), showError(text)}.
export function setUpDevices(page) {
  app = page;
  $('mic').addEventListener('change', () => switchInput('audioinput'));
  $('cam').addEventListener('change', () => switchInput('videoinput'));
  $('speaker').addEventListener('change', () => applySpeaker());
  // Without the SDK's devicesChanged (or before joining), the browser's own event (W3C Media
  // Capture §9.3 devicechange) keeps the lists current.
  navigator.mediaDevices?.addEventListener?.('devicechange', refreshDevices);
  refreshDevices();
}
