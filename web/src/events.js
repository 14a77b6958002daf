// The SDK's events: for each name, the stock SDK's single callback (onStreamAvailable(cb) and the
// other setters, where a new callback replaces the old one) plus any number of listeners added
// with on(name, fn) and removed with off(name, fn). A setter's callback runs first, then the
// listeners in the order they were added.
import { BandwidthRtcError } from './errors.js';

const EVENT_NAMES = ['streamAvailable', 'streamUnavailable', 'connectionStateChange', 'dtmf', 'subscribeFailed', 'tokenWillExpire',
  'remoteMuteChange', 'activeSpeakerChange',
  // Call quality (docs/sdk.md "Call quality").
  'callStats', 'qualityWarning', 'qualityWarningCleared',
  // Devices (docs/sdk.md "Devices").
  'devicesChanged', 'deviceFallback'];

// Application callbacks run from inside the wasm's event dispatch: an exception must not unwind
// through it (it is built without exception support), so it is reported here, and the other
// callbacks of the same event still run.
export function safely(fn, ...args) {
  try {
    fn?.(...args);
  } catch (error) {
    console.error('[switchboard] an event handler threw', error);
  }
}

function checkName(name) {
  if (!EVENT_NAMES.includes(name)) {
    throw new BandwidthRtcError(`Unknown event '${name}'`, 'invalid_argument');
  }
}

export class Events {
  constructor() {
    this._callback = {};
    this._listeners = {};
  }

  // What a setter such as onStreamAvailable(cb) stores; undefined or null clears it.
  setCallback(name, fn) {
    this._callback[name] = typeof fn === 'function' ? fn : undefined;
  }

  // As EventTarget.addEventListener (DOM §2.7): adding a listener that is already there does nothing.
  add(name, fn) {
    checkName(name);
    if (typeof fn !== 'function') throw new BandwidthRtcError(`The '${name}' listener is not a function`, 'invalid_argument');
    const list = (this._listeners[name] ||= []);
    if (!list.includes(fn)) list.push(fn);
  }

  remove(name, fn) {
    checkName(name);
    const list = this._listeners[name];
    const index = list ? list.indexOf(fn) : -1;
    if (index >= 0) list.splice(index, 1);
  }

  // The listeners are those present when the event starts: one added or removed by a callback of
  // this event takes effect from the next event on.
  emit(name, ...args) {
    const listeners = this._listeners[name]?.slice() ?? [];
    safely(this._callback[name], ...args);
    for (const fn of listeners) safely(fn, ...args);
  }
}
