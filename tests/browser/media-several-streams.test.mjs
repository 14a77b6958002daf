// Several streams per participant (issue 10, item 7): a microphone, a camera and a second camera
// standing in for a screen share, each with its own alias, published one after another on one
// connection, then one unpublished and re-published on its own. A subscriber to the whole session
// gets each with its alias (audio energy on the microphone, decoded frames on the cameras); a
// subscriber to one alias gets that stream only. With our SDK and with the stock SDK.
// Run inside the test network namespace: scripts/netns.sh exec node --test tests/browser/
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startMediaStack, until } from './media-fixture.mjs';

let stack;
before(async () => { stack = await startMediaStack(); });
after(async () => { await stack?.stop(); });

const SDKS = (process.env.SB_SDKS || 'switchboard,stock').split(',');

// The aliases of `participantId`'s streams live at `page`, sorted.
async function aliases(page, participantId) {
  return (await stack.liveStreams(page)).filter((e) => e.participantId === participantId).map((e) => e.alias).sort();
}

// Waits until every live stream of `participantId` at `page` carries media: audio energy for
// AUDIO, decoded frames for VIDEO.
async function flowing(page, participantId, want) {
  await until(async () => {
    const live = (await stack.liveStreams(page)).filter((e) => e.participantId === participantId);
    if (JSON.stringify(live.map((e) => e.alias).sort()) !== JSON.stringify(want)) return false;
    for (const e of live) {
      const s = await page.evaluate((id) => window.streamStats(id), e.endpointId);
      if (!s) return false;
      if (e.mediaTypes.includes('AUDIO') && !(s.audio.energy > 0)) return false;
      if (e.mediaTypes.includes('VIDEO') && !(s.video.framesDecoded > 0)) return false;
    }
    return true;
  }, { timeout: 20000, what: `${want.join(', ')} of ${participantId} flowing` });
}

for (const sdk of SDKS) {
  test(`${sdk} SDK: microphone, camera and screen as three streams of one participant, each on its own`, async () => {
    const s = await stack.session();
    const a = await stack.participant(s, { permissions: ['AUDIO', 'VIDEO'] });
    const b = await stack.participant(s);
    const c = await stack.participant(s, { subscriptions: { participants: [{ participantId: a.id, streamAliases: ['cam'] }] } });
    const pa = await stack.device(a.token, { sdk });
    const pb = await stack.device(b.token, { sdk });
    const pc = await stack.device(c.token, { sdk });

    const mic = await pa.evaluate(() => window.rtcPublish({ audio: true, video: false }, 'mic'));
    const cam = await pa.evaluate(() => window.rtcPublish({ audio: false, video: true }, 'cam'));
    const screen = await pa.evaluate(() => window.rtcPublish({ audio: false, video: true }, 'screen'));
    assert.deepEqual([mic.mediaTypes, cam.mediaTypes, screen.mediaTypes], [['AUDIO'], ['VIDEO'], ['VIDEO']]);
    assert.equal(new Set([mic.endpointId, cam.endpointId, screen.endpointId]).size, 3);
    await flowing(pb, a.id, ['cam', 'mic', 'screen']);
    await flowing(pc, a.id, ['cam']);

    // The camera alone goes: the others stay.
    await pa.evaluate((id) => window.rtcUnpublishOne(id), cam.endpointId);
    await until(async () => JSON.stringify(await aliases(pb, a.id)) === '["mic","screen"]', { timeout: 15000, what: 'camera gone at b' });
    await until(async () => (await aliases(pc, a.id)).length === 0, { timeout: 15000, what: 'camera gone at c' });
    await flowing(pb, a.id, ['mic', 'screen']);

    // And comes back on its own.
    const cam2 = await pa.evaluate(() => window.rtcPublish({ audio: false, video: true }, 'cam'));
    assert.deepEqual(cam2.mediaTypes, ['VIDEO']);
    await flowing(pb, a.id, ['cam', 'mic', 'screen']);
    await flowing(pc, a.id, ['cam']);
    const atC = (await stack.events(pc, 'streamAvailable')).filter((e) => e.participantId === a.id);
    assert.ok(atC.every((e) => e.alias === 'cam'), `c subscribed to the camera only: ${JSON.stringify(atC)}`);
    for (const p of [pa, pb, pc]) await p.close();
  });
}
