// A second browser engine: the media scenarios of media.test.mjs with Firefox ESR (puppeteer-core
// over WebDriver BiDi, tests/support/firefox.mjs), with our SDK and with the stock Bandwidth SDK,
// and a Firefox page and a Chromium page in one session hearing each other.
//
// Firefox offers every m-section after its first one (the data channel) with port 0 and
// a=bundle-only (RFC 8843 §7.2); these tests are what proves the server publishes them.
//
// Run inside the test network namespace WITH its default route (Firefox gathers no ICE candidates
// without one; the route leads to an address nobody answers, so nothing leaves):
//   SBNET_DEFAULT_ROUTE=1 scripts/netns.sh up
//   scripts/netns.sh exec node --test tests/browser/firefox-media.test.mjs
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { startMediaStack, until } from './media-fixture.mjs';
import { defaultGateway } from '../support/media.mjs';

let stack;
before(async () => { stack = await startMediaStack({ firefox: true }); });
after(async () => { await stack?.stop(); });

const SDKS = (process.env.SB_SDKS || 'switchboard,stock').split(',');

// Above the noise floor of a silent track (0), well below both fake sources after a second or so:
// Firefox's fake tone adds about 0.01 totalAudioEnergy a second, Chromium's beep about 0.25.
const HEARD = { minEnergy: 0.002 };

for (const sdk of SDKS) {
  describe(`Firefox with the ${sdk} SDK`, () => {
    test('publishes its microphone: the other participant hears it, and it hears back', async () => {
      const { a, pa, pb, pubA, atB } = await stack.twoDevicesHear({
        a: { sdk, browser: 'firefox', alias: 'mic-a' }, b: { sdk, browser: 'firefox', alias: 'mic-b' }, heard: HEARD,
      });
      assert.deepEqual(pubA.mediaTypes, ['AUDIO'], 'the bundle-only audio section is a published track');
      assert.deepEqual(atB.mediaTypes, ['AUDIO']);
      assert.equal(atB.alias, 'mic-a');
      assert.equal(atB.endpointId, pubA.endpointId, 'the stream keeps its publisher msid');

      await pa.evaluate(() => window.rtcUnpublish());
      await until(async () => !(await stack.receives(pb, a.id)), { what: 'unpublish seen by B' });
      await pa.close();
      await pb.close();
    });

    test('a Firefox page and a Chromium page in one session hear each other', async () => {
      const { pa: pf, pb: pc, atA: atFirefox, atB: atChromium } = await stack.twoDevicesHear({
        a: { sdk, browser: 'firefox', alias: 'firefox' }, b: { sdk, browser: 'chromium', alias: 'chromium' }, heard: HEARD,
      });
      assert.equal(atChromium.alias, 'firefox');
      assert.equal(atFirefox.alias, 'chromium');
      await pf.close();
      await pc.close();
    });
  });
}

test('the default route Firefox needs delivers nothing: its gateway never answers', async () => {
  const gateway = defaultGateway();
  assert.ok(gateway, 'a default route');
  // A datagram to TEST-NET-1 (RFC 5737) goes to the gateway, whose address must never resolve:
  // then no frame is ever sent to it and nothing reaches the host side of the veth but ARP
  // requests. Watched through Linux's ARP probes (3 x 1 s): the neighbour entry stays INCOMPLETE or
  // FAILED, never with a link-layer address.
  const socket = createSocket('udp4');
  await new Promise((resolve, reject) => socket.send('x', 9, '192.0.2.1', (e) => (e ? reject(e) : resolve())));
  socket.close();
  const neighbour = () => execFileSync('ip', ['-4', 'neigh', 'show', gateway], { encoding: 'utf8' }).trim();
  const seen = new Set();
  for (const end = Date.now() + 3500; Date.now() < end; await new Promise((r) => setTimeout(r, 200))) seen.add(neighbour());
  assert.ok([...seen].some((n) => /INCOMPLETE|FAILED/.test(n)), `an ARP attempt for ${gateway}: ${[...seen]}`);
  assert.ok([...seen].every((n) => !/lladdr/.test(n)), `the gateway never resolves: ${[...seen]}`);
});

test('the camera of an audio-only participant in Firefox is refused; its microphone is heard',
  { skip: !SDKS.includes('switchboard') }, async () => {
    const s = await stack.session();
    const o = await stack.participant(s, { permissions: ['AUDIO'] });
    const w = await stack.participant(s);
    const po = await stack.device(o.token, { sdk: 'switchboard', browser: 'firefox' });
    const pw = await stack.device(w.token, { sdk: 'switchboard', browser: 'chromium' });
    const pub = await po.evaluate(() => window.rtcPublish({ audio: true, video: true }, 'cam'));
    assert.deepEqual(pub.mediaTypes, ['AUDIO'], 'the server refuses the bundle-only video section');
    const got = await stack.hears(pw, o.id, HEARD);
    assert.deepEqual(got.mediaTypes, ['AUDIO']);
    // Firefox got the video section rejected in its answer: its sender never sends.
    const sent = await po.evaluate(async () => {
      let packets = 0;
      for (const pc of window.__pcs) (await pc.getStats()).forEach((r) => { if (r.type === 'outbound-rtp' && r.kind === 'video') packets += r.packetsSent || 0; });
      return packets;
    });
    assert.equal(sent, 0, 'no video leaves Firefox');
    assert.equal(await pw.evaluate(() => window.anyInboundVideo()), 0, 'nobody receives video');
    await po.close();
    await pw.close();
  });
