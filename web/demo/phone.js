// "Call a phone" and the keypad. The demo application places the call (POST /demo/call); its
// answer callback transfers the call into the demo session, so the phone shows up as one more
// audio stream. The call's state on the page follows that: calling until a new audio-only stream
// arrives, in call while it is there, ended when it goes. The keypad sends DTMF on the published
// microphone stream (sendDtmf; RFC 4733 events at the phone).
const $ = (id) => document.getElementById(id);
const NO_ANSWER_MS = 45000;

let pending = null; // {number, timer} while a call is placed and its stream has not arrived
let phoneStream = null; // endpointId of the phone's stream
let callId = null; // the call "Hang up" ends: the last one placed, until it ends
let app = null;

function setCallState(state, text) {
  $('callState').textContent = text;
  $('callState').className = `state call-${state}`;
  $('callState').dataset.state = state;
}

function setKeypad(enabled) {
  for (const b of $('keypad').querySelectorAll('button')) b.disabled = !enabled;
}

async function callPhone() {
  app.showError('');
  const number = $('phone').value.trim();
  if (!number) {
    app.showError('Enter the number to call, e.g. +15551234567');
    $('phone').focus();
    return;
  }
  $('call').disabled = true;
  try {
    const res = await fetch('/demo/call', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ to: number }),
    });
    const body = await res.json().catch(() => ({}));
    if (!res.ok) throw new Error(body.error || body.message || `call failed (${res.status})`);
    clearTimeout(pending?.timer);
    $('callStatus').dataset.callId = body.callId;
    callId = body.callId;
    $('hangup').disabled = false;
    pending = {
      number,
      timer: setTimeout(() => {
        pending = null;
        callId = null;
        $('hangup').disabled = true;
        setCallState('ended', 'no answer');
        $('callStatus').textContent = `${number} did not answer.`;
        $('call').disabled = !app.connected();
      }, NO_ANSWER_MS),
    };
    setCallState('calling', 'calling…');
    $('callStatus').textContent = `Calling ${number}… (call ${body.callId})`;
  } catch (e) {
    app.showError(e.message);
    $('call').disabled = !app.connected();
  }
}

// The demo application ends the call (POST /demo/calls/{callId}/hangup): BYE to an answered
// phone, CANCEL to a ringing one. The phone's stream then leaves the session.
async function hangUp() {
  if (!callId) return;
  app.showError('');
  $('hangup').disabled = true;
  try {
    const res = await fetch(`/demo/calls/${encodeURIComponent(callId)}/hangup`, { method: 'POST' });
    if (!res.ok) {
      const body = await res.json().catch(() => ({}));
      throw new Error(body.error || body.message || `hang up failed (${res.status})`);
    }
    if (pending) {
      clearTimeout(pending.timer);
      pending = null;
      setCallState('ended', 'call cancelled');
      $('callStatus').textContent = 'You cancelled the call.';
      $('call').disabled = !app.connected();
    }
    callId = null;
  } catch (e) {
    app.showError(e.message);
    $('hangup').disabled = false;
  }
}

function sendDigit(digit) {
  const rtc = app.rtc();
  if (!rtc || !app.published()) return;
  try {
    rtc.sendDtmf(digit, app.published());
    $('dialed').value += digit;
  } catch (e) {
    app.showError(`The digit was not sent: ${e.message}`);
  }
}

// A stream arrived: if a call is waiting for its phone and this is audio only, it is the phone.
// Returns the label to show for the stream, or null when it is not the phone.
export function phoneStreamAvailable(stream) {
  if (!pending || stream.mediaTypes.includes('VIDEO')) return null;
  clearTimeout(pending.timer);
  phoneStream = stream.endpointId;
  const label = `Phone ${pending.number}`;
  pending = null;
  setCallState('active', 'in call');
  $('call').disabled = !app.connected(); // another phone may join the call
  $('callStatus').textContent = `In call with ${label.slice(6)} (call ${$('callStatus').dataset.callId}). The keypad sends tones to it.`;
  return label;
}

export function phoneStreamUnavailable(endpointId) {
  if (endpointId !== phoneStream) return;
  phoneStream = null;
  setCallState('ended', 'call ended');
  $('callStatus').textContent = callId ? 'The phone hung up.' : 'The call ended.';
  callId = null;
  $('hangup').disabled = true;
  $('call').disabled = !app.connected();
}

// The session was joined (true) or left (false).
export function phoneConnected(connected) {
  $('call').disabled = !connected;
  setKeypad(connected);
  if (!connected) {
    clearTimeout(pending?.timer);
    pending = null;
    phoneStream = null;
    setCallState('idle', 'no call');
    $('hangup').disabled = true;
    $('dialed').value = '';
  }
}

// `page`: {rtc(), published(), connected(), showError(message)}.
export function setUpPhone(page) {
  app = page;
  $('call').addEventListener('click', callPhone);
  $('hangup').addEventListener('click', hangUp);
  $('phone').addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !$('call').disabled) callPhone();
  });
  $('keypad').addEventListener('click', (e) => {
    const digit = e.target.closest('button')?.dataset.digit;
    if (digit) sendDigit(digit);
  });
  // Digits typed on a keyboard while the keypad is usable, as on a desk phone.
  document.addEventListener('keydown', (e) => {
    if (e.target.closest?.('input, select, textarea') || !/^[0-9*#]$/.test(e.key)) return;
    const button = $('keypad').querySelector(`button[data-digit="${e.key}"]`);
    if (button && !button.disabled) sendDigit(e.key);
  });
  setCallState('idle', 'no call');
}
