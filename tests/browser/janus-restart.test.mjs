// If Janus restarts, switchboard reconnects to it, and rooms are rebuilt for new media. With our
// SDK the call comes back by itself (issue 13): switchboard tells each device `mediaReset`, the
// publishing connections re-offer with an ICE restart onto new Janus handles, and new subscriber
// offers follow; the pages do nothing.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { startJanus } from '../support/media.mjs';
import { startMediaStack, until } from './media-fixture.mjs';
import { energyRises } from '../support/media-path.mjs';

let stack;
after(async () => { await stack?.stop(); });

test('after Janus is killed and started again, devices exchange audio again', async () => {
  stack = await startMediaStack();
  const sdk = (process.env.SB_SDKS || 'switchboard,stock').split(',')[0];
  const s1 = await stack.session();
  const a = await stack.participant(s1);
  const b = await stack.participant(s1);
  const pa = await stack.device(a.token, { sdk });
  const pb = await stack.device(b.token, { sdk });
  await pa.evaluate(() => window.rtcPublish({ audio: true, video: false }));
  await stack.hears(pb, a.id);

  const port = Number(new URL(stack.janus.wsUrl).port);
  const adminKey = stack.janus.adminKey;
  stack.janus.proc.kill('SIGKILL');
  await stack.janus.exited;
  await until(async () => /janus: .*reconnecting/.test(stack.sb.logs()), { what: 'switchboard notices Janus is gone' });
  stack.janus = await startJanus({ netns: true, wsPort: port, adminKey });
  await until(async () => (stack.sb.logs().match(/janus: connected/g) || []).length >= 2, { timeout: 15000, what: 'reconnect' });

  await pa.close();
  await pb.close();
  const s2 = await stack.session();
  const c = await stack.participant(s2);
  const d = await stack.participant(s2);
  const pc = await stack.device(c.token, { sdk });
  const pd = await stack.device(d.token, { sdk });
  await pc.evaluate(() => window.rtcPublish({ audio: true, video: false }));
  await pd.evaluate(() => window.rtcPublish({ audio: true, video: false }));
  await stack.hears(pd, c.id);
  await stack.hears(pc, d.id);
  assert.ok(true);
  await pc.close();
  await pd.close();
});

test('our SDK: Janus killed and restarted mid-call, both devices hear each other again without page code (reconnecting → connected)', async (t) => {
  if (!stack.hasOurSdk) return t.skip('web/dist/index.js not built (make wasm)');
  const { a, b, pa, pb } = await stack.twoDevicesHear({ a: { sdk: 'switchboard' }, b: { sdk: 'switchboard' } });
  await energyRises(stack, pb, a.id, { what: 'energy from a at b before' });
  const port = Number(new URL(stack.janus.wsUrl).port);
  const adminKey = stack.janus.adminKey;
  const connects = (stack.sb.logs().match(/janus: connected/g) || []).length;
  const killedAt = Date.now();
  stack.janus.proc.kill('SIGKILL');
  await stack.janus.exited;
  stack.janus = await startJanus({ netns: true, wsPort: port, adminKey });
  await until(async () => (stack.sb.logs().match(/janus: connected/g) || []).length > connects,
    { timeout: 15000, what: 'switchboard reconnects to Janus' });

  await energyRises(stack, pb, a.id, { what: 'energy from a rising at b after the restart' });
  await energyRises(stack, pa, b.id, { what: 'energy from b rising at a after the restart' });
  console.log(`# media back at both sides ${Date.now() - killedAt} ms after the kill`);
  for (const page of [pa, pb]) {
    await until(async () => (await page.evaluate(() => window.rtc.connectionState)) === 'connected',
      { timeout: 15000, what: 'state connected' });
    const states = (await stack.events(page, 'state')).map((e) => e.state);
    const reconnecting = states.lastIndexOf('reconnecting');
    assert.ok(reconnecting > 0, `reconnecting reported: ${states.join(' → ')}`);
    assert.equal(states.at(-1), 'connected', states.join(' → '));
    assert.ok(!states.includes('failed'), states.join(' → '));
    // Nothing was published again by the page: one `published` event.
    assert.equal((await stack.events(page, 'published')).length, 1);
  }
  assert.match(stack.sb.logs(), /janus/);
  await pa.close();
  await pb.close();
});
