// Stream ids (msids) are the devices' own (docs/protocol.md `offerSdp`): receivers key a stream by
// its msid (its streamMetadata entry, its remoteMuteChange and activeSpeakerChange), so a device
// may not publish one that another device of its session publishes. Scripted devices against a
// real Janus: the offer reusing another's msid is refused with a JSON-RPC error and changes
// nothing; the owner's stream goes on. What receivers are told is in the Catch2 legs test
// ("an offer reusing another device's stream id is refused, nothing changed").
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSwitchboard, call } from '../support/server.mjs';
import { connectDevice } from '../support/device.mjs';
import { launchJanus } from '../../scripts/janus.mjs';

const offer = (msid, ufrag = 'abcd') => ['v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 't=0 0', 'a=group:BUNDLE 0',
  'm=audio 9 UDP/TLS/RTP/SAVPF 111', 'c=IN IP4 0.0.0.0', 'a=mid:0', 'a=sendonly', 'a=rtcp-mux',
  `a=msid:${msid} track-1`, 'a=rtpmap:111 opus/48000/2', `a=ice-ufrag:${ufrag}`, 'a=ice-pwd:abcdabcdabcdabcdabcdabcd',
  'a=fingerprint:sha-256 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF',
  'a=setup:actpass', ''].join('\r\n');

let janus;
let sb;

before(async () => {
  janus = await launchJanus({});
  sb = await startSwitchboard({ config: { janusUrl: janus.wsUrl, janusAdminKey: janus.adminKey } });
});
after(async () => { await sb?.stop(); sb?.cleanup(); await janus?.stop(); });

const newSession = async () => (await call(`${sb.api()}/sessions`, { method: 'POST', body: {} })).body.id;
async function device(sessionId, participant) {
  let p = participant;
  if (!p) {
    const created = (await call(`${sb.api()}/participants`, { method: 'POST', body: { publishPermissions: ['AUDIO'] } })).body;
    const put = await call(`${sb.api()}/sessions/${sessionId}/participants/${created.participant.id}`, { method: 'PUT', body: { sessionId } });
    assert.equal(put.status, 204);
    p = { id: created.participant.id, token: created.token };
  }
  const d = await connectDevice(sb, p.token);
  d.participant = p;
  assert.deepEqual((await d.rpc('setMediaPreferences', { protocol: 'WEBRTC' })).result, {});
  return d;
}
const publish = (d, msid, ufrag) => d.rpc('offerSdp', { sdpOffer: offer(msid, ufrag) }, undefined);

test('a second device offering the first one\'s msid is refused; the first goes on undisturbed', async () => {
  const s = await newSession();
  const first = await device(s);
  const second = await device(s);
  const published = await publish(first, 'stream-x');
  assert.ok(published.result, JSON.stringify(published.error));
  assert.deepEqual(Object.keys(published.result.streamMetadata), ['stream-x']);
  assert.deepEqual((await first.rpc('setStreamMuted', { endpointId: 'stream-x', kind: 'audio', muted: true })).result, {});

  const refused = await publish(second, 'stream-x');
  assert.equal(refused.error?.code, -32001, JSON.stringify(refused));
  assert.equal(refused.error.message,
    'stream id stream-x is already published in this session by another device: each device publishes stream ids of its own');
  // Nothing changed for the second: it publishes nothing, so it cannot mute (speak for) stream-x.
  const fake = await second.rpc('setStreamMuted', { endpointId: 'stream-x', kind: 'audio', muted: false });
  assert.equal(fake.error?.code, -32001);
  assert.match(fake.error.message, /not a stream this device publishes/);

  // The first's stream is its own still: its mute state holds (unmuting is a change, allowed),
  // and its re-offer of the same msid (an ICE restart) is answered.
  assert.deepEqual((await first.rpc('setStreamMuted', { endpointId: 'stream-x', kind: 'audio', muted: false })).result, {});
  const again = await publish(first, 'stream-x', 'efgh');
  assert.ok(again.result, JSON.stringify(again.error));
  assert.deepEqual(Object.keys(again.result.streamMetadata), ['stream-x']);

  // The second publishes under an id of its own.
  const own = await publish(second, 'stream-y');
  assert.ok(own.result, JSON.stringify(own.error));
  assert.deepEqual((await second.rpc('setStreamMuted', { endpointId: 'stream-y', kind: 'audio', muted: true })).result, {});
  first.ws.close();
  second.ws.close();
});

test('the rule is per session and per device: another device of the same participant is refused too', async () => {
  const s = await newSession();
  const first = await device(s);
  assert.ok((await publish(first, 'stream-z')).result);
  const sibling = await device(s, first.participant);  // same participant, another device
  assert.equal((await publish(sibling, 'stream-z')).error?.code, -32001);
  const elsewhere = await device(await newSession());
  const r = await publish(elsewhere, 'stream-z');
  assert.ok(r.result, `another session may use it: ${JSON.stringify(r.error)}`);
  // Reserved for phone legs.
  const phone = await publish(elsewhere, 'phone-0000');
  assert.equal(phone.error?.code, -32001);
  assert.match(phone.error.message, /reserved: ids beginning with phone- are the server's/);
  // Once its owner is gone, the id is free.
  first.ws.close();
  await first.closed;
  let freed;
  for (let i = 0; i < 40 && !freed?.result; i++) {
    freed = await publish(sibling, 'stream-z');
    if (!freed.result) await new Promise((res) => setTimeout(res, 50));
  }
  assert.ok(freed.result, JSON.stringify(freed.error));
  for (const d of [sibling, elsewhere]) d.ws.close();
});
