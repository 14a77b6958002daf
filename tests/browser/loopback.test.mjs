// Loopback devices (docs/protocol.md "Loopback (preflight)") through a real Janus: a device that
// connected with `loopback=1` gets its own microphone back in its subscriber sdpOffer, like any
// other participant's stream, and its page really plays it (inbound audio energy on the stream
// that went page → Janus → page); devices without it, and every other participant, get what they
// always got. Each device is a scripted signaling client driving a bare WebRTC page
// (tests/support/scripted-peer.mjs), so the wire is exactly what the test sends.
// Must run inside the namespace:  scripts/netns.sh exec node --test tests/browser/loopback.test.mjs
import { test, before, beforeEach, after } from 'node:test';
import assert from 'node:assert/strict';
import { assertInTestNetns, startJanus } from '../support/media.mjs';
import { startSwitchboard, call } from '../support/server.mjs';
import { connectDevice } from '../support/device.mjs';
import { launchChromium, startStaticServer, until } from '../support/browser.mjs';
import {
  answerOffers, scriptedPeer, publishMic, lastOffer, offered, hearsSomething, closeAll,
} from '../support/scripted-peer.mjs';

let janus;
let sb;
let web;
let browser;
let sessionId;

before(async () => {
  assertInTestNetns();
  janus = await startJanus({ netns: true });
  sb = await startSwitchboard({ config: { janusUrl: janus.wsUrl, janusAdminKey: janus.adminKey, deviceResumeGraceSeconds: 20 } });
  [web, browser] = await Promise.all([startStaticServer(), launchChromium()]);
});
// Each test in a session of its own: what one leaves cannot reach the next.
beforeEach(async () => {
  sessionId = (await call(`${sb.api()}/sessions`, { method: 'POST', body: {} })).body.id;
});
after(async () => {
  await browser?.close();
  await web?.close();
  await sb?.stop();
  await janus?.stop();
  sb?.cleanup();
});

// A participant of the session, subscribed to all of it.
async function participant() {
  const r = await call(`${sb.api()}/participants`, { method: 'POST', body: { publishPermissions: ['AUDIO'] } });
  const put = await call(`${sb.api()}/sessions/${sessionId}/participants/${r.body.participant.id}`, { method: 'PUT', body: { sessionId } });
  assert.equal(put.status, 204);
  return { id: r.body.participant.id, token: r.body.token };
}

const device = (who, query) => scriptedPeer({ sb, browser, web }, who, query);
const publish = publishMic;

test('a loopback device receives its own microphone through Janus; nobody else is changed', async () => {
  const pl = await participant();
  const pn = await participant();
  const po = await participant();  // only listens
  const loop = await device(pl, { loopback: '1' });
  const normal = await device(pn);
  const observer = await device(po);

  const own = await publish(loop);
  await offered(loop, [own], 'the loopback device offered its own stream');
  const meta = lastOffer(loop).streamMetadata[own];
  assert.equal(meta.participantId, pl.id);
  assert.deepEqual(meta.mediaTypes, ['AUDIO']);
  assert.match(lastOffer(loop).sdpOffer, /m=audio .*\r\n[\s\S]*a=sendonly/);
  // The round trip: the page plays what it published, decoded.
  const stats = await hearsSomething(loop);
  assert.match(stats.tracks[0].codec, /opus/i);

  const other = await publish(normal);
  await offered(loop, [own, other], 'the loopback device: its own stream and the other');
  // The others get what they always got: never their own stream, everyone else's.
  await offered(normal, [own], 'the normal device: the loopback device\'s stream only');
  await offered(observer, [own, other], 'the observer: both');
  assert.ok(normal.offers.every((o) => !(other in o.streamMetadata)), 'a normal device never receives itself');
  await hearsSomething(normal);

  // Its own mute comes back to it, as to every receiver of the stream.
  assert.deepEqual((await loop.rpc('setStreamMuted', { endpointId: own, kind: 'audio', muted: true })).result, {});
  for (const d of [loop, normal, observer]) {
    const n = await d.next((m) => m.method === 'remoteMuteChange', 5000);
    assert.deepEqual(n.params, { endpointId: own, participantId: pl.id, kind: 'audio', muted: true });
  }
  await closeAll([loop, normal, observer]);
});

test('loopback is kept across a resume: the device still receives its own stream afterwards', async () => {
  const pl = await participant();
  const loop = await device(pl, { loopback: '1' });
  const own = await publish(loop);
  await offered(loop, [own], 'its own stream');
  await loop.settled;
  loop.closing = true;
  loop.ws.terminate();  // lost: parked for a resume, media kept
  await until(() => /lost its connection: kept/.test(sb.logs()), { what: 'the park' });
  const back = await connectDevice(sb, pl.token, { resumeDevice: loop.resume.deviceId, resumeSecret: loop.resume.resumeSecret });
  Object.assign(back, { who: pl, offers: [], revision: loop.revision, page: loop.page });
  answerOffers(back);
  await back.next((m) => m.method === 'resumed');
  // A new publisher makes a new offer: it still carries the device's own stream.
  const newcomer = await device(await participant());
  const theirs = await publish(newcomer);
  await offered(back, [own, theirs], 'after the resume: its own stream and the newcomer\'s');
  await offered(newcomer, [own], 'the newcomer hears the loopback device, not itself');
  await hearsSomething(back);
  await closeAll([back, newcomer]);
});
