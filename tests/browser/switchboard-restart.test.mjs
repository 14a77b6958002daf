// switchboard SIGKILLed and started again mid-call (docs/protocol.md "Resuming across a restart"):
// with our SDK, two devices hear each other again without any page code. Each resumes with the
// secret it had (the restarted server read kept-devices.json), is told `mediaReset`
// {reason: "server-restarted"}, publishes its tracks again on a new RTCPeerConnection (an ICE
// restart of the old one would keep the DTLS association of Janus's same certificate) onto a new
// Janus handle and gets new subscriber offers; its state goes reconnecting → connected, never
// failed.
//   scripts/netns.sh exec node --test --test-concurrency=1 tests/browser/switchboard-restart.test.mjs
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSwitchboard } from '../support/server.mjs';
import { startMediaStack, until } from './media-fixture.mjs';
import { energyRises } from '../support/media-path.mjs';

let stack;
let restarted;
after(async () => {
  await restarted?.stop();
  await stack?.stop();
});

// The same data dir, configuration and HTTP port: the devices reconnect to the URL they know.
async function restartSwitchboard(s) {
  const { code, signal } = await s.sb.kill();
  assert.equal(signal, 'SIGKILL', `exit ${code}`);
  const at = Date.now();
  const sb = await startSwitchboard({
    dataDir: s.sb.dataDir,
    config: { janusUrl: s.janus.wsUrl, janusAdminKey: s.janus.adminKey, logLevel: process.env.SB_LOG || 'info' },
    args: ['--http', `127.0.0.1:${s.sb.port}`],
  });
  return { sb, at };
}

test('our SDK: switchboard killed and restarted mid-call, both devices hear each other again without page code (reconnecting → connected)', async (t) => {
  stack = await startMediaStack();
  if (!stack.hasOurSdk) return t.skip('web/dist/index.js not built (make wasm)');
  const { a, b, pa, pb } = await stack.twoDevicesHear({ a: { sdk: 'switchboard' }, b: { sdk: 'switchboard' } });
  await energyRises(stack, pb, a.id, { what: 'energy from a at b before' });
  // Written in the background at most every 200 ms after the devices asked to be resumable.
  await new Promise((r) => setTimeout(r, 500));

  // Each page's streams from the other, announced so far: the old subscribing connection keeps
  // playing what Janus still sends until mediaReset closes it, so audio counts only on a stream
  // announced after the restart (the new connection).
  const announced = async (page, pid) => (await stack.events(page, 'streamAvailable')).filter((e) => e.participantId === pid).length;
  const before = { atB: await announced(pb, a.id), atA: await announced(pa, b.id) };
  const { sb, at } = await restartSwitchboard(stack);
  restarted = sb;
  assert.match(sb.logs(), /kept devices: 2 of 2 restored/);
  try {
    await until(async () => await announced(pb, a.id) > before.atB && await announced(pa, b.id) > before.atA,
      { timeout: 30000, what: 'each stream announced again on a new subscribing connection' });
    await energyRises(stack, pb, a.id, { what: 'energy from a rising at b after the restart' });
    await energyRises(stack, pa, b.id, { what: 'energy from b rising at a after the restart' });
  } catch (e) {
    console.log(sb.logs().split('\n').filter((l) => /media|device|WARN|ERROR|janus|kept/.test(l)).join('\n'));
    console.log(stack.janus.logs().split('\n').filter((l) => /DTLS|dtls|ICE|handshake|fingerprint/i.test(l)).slice(-40).join('\n'));
    for (const page of [pa, pb]) console.log(JSON.stringify((await stack.events(page)).map((x) => [x.type, x.state ?? x.code ?? x.endpointId])));
    throw e;
  }
  console.log(`# audio back at both sides ${Date.now() - at} ms after the restart`);
  for (const page of [pa, pb]) {
    await until(async () => (await page.evaluate(() => window.rtc.connectionState)) === 'connected',
      { timeout: 15000, what: 'state connected' });
    const states = (await stack.events(page, 'state')).map((e) => e.state);
    assert.ok(states.lastIndexOf('reconnecting') > 0, `reconnecting reported: ${states.join(' → ')}`);
    assert.equal(states.at(-1), 'connected', states.join(' → '));
    assert.ok(!states.includes('failed'), states.join(' → '));
    // Nothing was published again by the page: one `published` event.
    assert.equal((await stack.events(page, 'published')).length, 1);
  }
  assert.match(sb.logs(), /resumed/);
  assert.match(sb.logs(), /destroying 1 rooms left by a previous process/);
  await pa.close();
  await pb.close();
});
