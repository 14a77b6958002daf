// A publisher whose media goes away while it speaks (docs/protocol.md "Remote mute and active
// speaker"): Janus never says "stopped-talking" of it, so the server tells the devices that were
// told `speaking: true` that it stopped (with, or just after, the sdpOffer without it). Real
// Janus; page A captures a continuous tone (Chromium's default fake microphone is never speech:
// see remote-mute.test.mjs), its signaling is scripted (tests/support/scripted-peer.mjs), so its
// PeerConnection can die (the page closes: Janus hangs its handle up) while its device stays.
// Must run inside the namespace:  scripts/netns.sh exec node --test tests/browser/speaking-reset.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { assertInTestNetns, startJanus } from '../support/media.mjs';
import { startSwitchboard, call } from '../support/server.mjs';
import { launchChromium, startStaticServer, until } from '../support/browser.mjs';
import { tempDir } from '../support/tempdir.mjs';
import { toneWav } from '../support/wav.mjs';
import { scriptedPeer, publishMic, offered, closeAll } from '../support/scripted-peer.mjs';

let janus;
let sb;
let web;
let listener;  // pages that only receive
let talker;    // pages whose microphone is a tone

before(async () => {
  assertInTestNetns();
  janus = await startJanus({ netns: true });
  sb = await startSwitchboard({ config: { janusUrl: janus.wsUrl, janusAdminKey: janus.adminKey } });
  const wav = path.join(tempDir('sb-speaking-reset-'), 'tone.wav');
  writeFileSync(wav, toneWav({ seconds: 4, hz: 440, amplitude: 8000 }));
  [web, listener, talker] = await Promise.all([startStaticServer(), launchChromium(),
    launchChromium({ args: [`--use-file-for-fake-audio-capture=${wav}`] })]);
});
after(async () => {
  await listener?.close();
  await talker?.close();
  await web?.close();
  await sb?.stop();
  await janus?.stop();
  sb?.cleanup();
});

async function participant(sessionId) {
  const r = await call(`${sb.api()}/participants`, { method: 'POST', body: { publishPermissions: ['AUDIO'] } });
  const put = await call(`${sb.api()}/sessions/${sessionId}/participants/${r.body.participant.id}`, { method: 'PUT', body: { sessionId } });
  assert.equal(put.status, 204);
  return { id: r.body.participant.id, token: r.body.token };
}

// The activeSpeakerChange notifications and sdpOffers the device got, in order.
const speakerLog = (d) => d.received.filter((m) => m.method === 'activeSpeakerChange' || m.method === 'sdpOffer')
  .map((m) => (m.method === 'sdpOffer' ? `offer:${Object.keys(m.params.streamMetadata).length}` : `${m.params.endpointId}:${m.params.speaking}`));

test('the talker\'s PeerConnection dies mid-word: the listener is told it stopped speaking', async () => {
  const sessionId = (await call(`${sb.api()}/sessions`, { method: 'POST', body: {} })).body.id;
  const pa = await participant(sessionId);
  const pb = await participant(sessionId);
  const a = await scriptedPeer({ sb, browser: talker, web }, pa);
  const b = await scriptedPeer({ sb, browser: listener, web }, pb);
  const msid = await publishMic(a);
  await offered(b, [msid], 'B receives A');
  const speaking = await b.next((m) => m.method === 'activeSpeakerChange', 15000);
  assert.deepEqual(speaking.params, { endpointId: msid, participantId: pa.id, speaking: true });

  // A's publishing PeerConnection is closed (its DTLS close_notify makes Janus hang up A's
  // publisher handle: a Janus "hangup"); A's device stays connected.
  a.closing = true;
  await a.page.evaluate(() => { for (const pc of window.__pcs) pc.close(); });
  const stopped = await b.next((m) => m.method === 'activeSpeakerChange', 10000);
  assert.deepEqual(stopped.params, { endpointId: msid, participantId: pa.id, speaking: false });
  // Janus takes the stream out of B's offer first (on its own), then hangs A up: B has both.
  await offered(b, [], 'the stream taken away');
  assert.deepEqual(speakerLog(b).filter((e) => e !== 'offer:0'), ['offer:1', `${msid}:true`, `${msid}:false`]);
  assert.deepEqual((await a.rpc('ping', {})).result, {}, 'A\'s device is still connected');
  await closeAll([a, b]);
});

test('the talker\'s device leaves mid-word: the listener is told it stopped speaking', async () => {
  const sessionId = (await call(`${sb.api()}/sessions`, { method: 'POST', body: {} })).body.id;
  const pa = await participant(sessionId);
  const pb = await participant(sessionId);
  const a = await scriptedPeer({ sb, browser: talker, web }, pa);
  const b = await scriptedPeer({ sb, browser: listener, web }, pb);
  const msid = await publishMic(a);
  await offered(b, [msid], 'B receives A');
  await b.next((m) => m.method === 'activeSpeakerChange' && m.params.speaking, 15000);
  a.closing = true;
  a.ws.close();  // a close, not a loss: released at once
  const stopped = await b.next((m) => m.method === 'activeSpeakerChange', 10000);
  assert.deepEqual(stopped.params, { endpointId: msid, participantId: pa.id, speaking: false });
  await until(() => speakerLog(b).at(-1) === 'offer:0', { what: 'the offer without A' });
  await a.page.context().close();
  await closeAll([b]);
});
