// Browsers hear each other through switchboard and Janus (issue 3). Every scenario runs with our
// SDK and with the stock Bandwidth SDK, which must work unchanged against our server.
// Run inside the test network namespace: scripts/netns.sh exec node --test tests/browser/
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startMediaStack, until } from './media-fixture.mjs';

let stack;
before(async () => { stack = await startMediaStack(); });
after(async () => { await stack?.stop(); });

const SDKS = (process.env.SB_SDKS || 'switchboard,stock').split(',');

for (const sdk of SDKS) {
  describe(`with the ${sdk} SDK`, () => {
    test('two participants hear each other; stream events carry participantId, mediaTypes and alias', async () => {
      const { a, b, pa, pb, pubA, atA, atB } = await stack.twoDevicesHear({ a: { sdk, alias: 'mic-a' }, b: { sdk, alias: 'mic-b' } });
      assert.deepEqual(pubA.mediaTypes, ['AUDIO']);
      assert.deepEqual(atB.mediaTypes, ['AUDIO']);
      assert.equal(atB.alias, 'mic-a');
      assert.equal(atB.endpointId, pubA.endpointId, 'the stream keeps its publisher msid');
      assert.equal(atA.alias, 'mic-b');

      // Unpublish on A: B loses A's stream. Leave on B: A loses B's stream.
      await pa.evaluate(() => window.rtcUnpublish());
      await until(async () => !(await stack.receives(pb, a.id)), { what: 'unpublish seen by B' });
      await pb.evaluate(() => window.rtcDisconnect());
      await until(async () => !(await stack.receives(pa, b.id)), { what: 'leave seen by A' });
      await pa.close();
      await pb.close();
    });

    test('subscriptions: only A, then a live PUT adds B; alias filter; removal stops media', async () => {
      const s = await stack.session();
      const a = await stack.participant(s);
      const b = await stack.participant(s);
      const c = await stack.participant(s, { subscriptions: { sessionId: s, participants: [{ participantId: a.id }] } });
      const pa = await stack.device(a.token, { sdk });
      const pb = await stack.device(b.token, { sdk });
      const pc = await stack.device(c.token, { sdk });
      await pa.evaluate(() => window.rtcPublish({ audio: true, video: false }, 'main'));
      await pb.evaluate(() => window.rtcPublish({ audio: true, video: false }, 'side'));
      await stack.hears(pc, a.id);
      await stack.hears(pa, b.id);  // B is live, so C's not hearing it below is the subscription
      await new Promise((r) => setTimeout(r, 1000));
      assert.equal(await stack.receives(pc, b.id), false, 'C is subscribed to A only');

      await stack.setSubscriptions(s, c.id, { participants: [{ participantId: a.id }, { participantId: b.id }] });
      await stack.hears(pc, b.id);

      // Alias filtering: only B's "side" alias, and A's non-existent "nope".
      await stack.setSubscriptions(s, c.id, { participants: [{ participantId: a.id, streamAliases: ['nope'] }, { participantId: b.id, streamAliases: ['side'] }] });
      await until(async () => !(await stack.receives(pc, a.id)), { what: 'alias filter drops A' });
      assert.equal(await stack.receives(pc, b.id), true);

      // Removing A from the session stops its media to everyone.
      await stack.setSubscriptions(s, c.id, { sessionId: s });
      await stack.hears(pc, a.id);
      const del = await fetch(`${stack.sb.api()}/sessions/${s}/participants/${a.id}`, { method: 'DELETE', headers: { authorization: 'Basic ' + Buffer.from('test-user:test-password-1').toString('base64') } });
      assert.equal(del.status, 204);
      await until(async () => !(await stack.receives(pc, a.id)) && !(await stack.receives(pb, a.id)), { what: 'A removed everywhere' });
      for (const p of [pa, pb, pc]) await p.close();
    });

    test('video: camera and microphone are decoded; an audio-only participant\'s camera is never forwarded', async () => {
      const s = await stack.session();
      const v = await stack.participant(s, { permissions: ['AUDIO', 'VIDEO'] });
      const o = await stack.participant(s, { permissions: ['AUDIO'] });
      const w = await stack.participant(s);
      const pv = await stack.device(v.token, { sdk });
      const po = await stack.device(o.token, { sdk });
      const pw = await stack.device(w.token, { sdk });
      const pubV = await pv.evaluate(() => window.rtcPublish({ audio: true, video: true }, 'cam'));
      assert.deepEqual([...pubV.mediaTypes].sort(), ['AUDIO', 'VIDEO']);
      const pubO = await po.evaluate(() => window.rtcPublish({ audio: true, video: true }, 'cam'));
      assert.deepEqual(pubO.mediaTypes, ['AUDIO'], 'the server refuses the camera of an audio-only participant');
      const got = await stack.hears(pw, v.id);
      assert.deepEqual([...got.mediaTypes].sort(), ['AUDIO', 'VIDEO']);
      await until(async () => (await pw.evaluate((id) => window.streamStats(id), got.endpointId)).video.framesDecoded > 5, { what: 'frames decoded' });
      const fromO = await stack.hears(pw, o.id);
      assert.deepEqual(fromO.mediaTypes, ['AUDIO']);
      const videoAtV = await pv.evaluate(() => window.anyInboundVideo());
      assert.equal(videoAtV, 0, 'nobody receives video from the audio-only participant');
      for (const p of [pv, po, pw]) await p.close();
    });

    test('five participants all hear all others', async () => {
      const s = await stack.session();
      const people = [];
      for (let i = 0; i < 5; i++) people.push(await stack.participant(s));
      const pages = [];
      for (const p of people) {
        const page = await stack.device(p.token, { sdk });
        await page.evaluate(() => window.rtcPublish({ audio: true, video: false }));
        pages.push(page);
      }
      for (const [i, page] of pages.entries())
        for (const [j, other] of people.entries()) if (i !== j) await stack.hears(page, other.id, { timeout: 20000 });
      for (const p of pages) await p.close();
    });
  });
}

test('the stock SDK and our SDK exchange audio', { skip: !SDKS.includes('switchboard') }, async () => {
  const { pa, pb } = await stack.twoDevicesHear({ a: { sdk: 'stock' }, b: { sdk: 'switchboard' } });
  await pa.close();
  await pb.close();
});
