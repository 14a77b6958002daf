// A device whose signaling is scripted in node (tests/support/device.mjs) and whose media is a bare
// WebRTC page (tests/browser/pages/rtc-peer.html): the test sends exactly the wire it means to,
// and a real browser makes the media go through Janus. Used by browser tests inside the test
// network namespace.
import assert from 'node:assert/strict';
import { connectDevice } from './device.mjs';
import { newPage, audioEnergy, until } from './browser.mjs';

// Answers every sdpOffer the device gets on its page (once `ready`), in order, except a revision
// it already answered (the one a resume sends again: docs/protocol.md "Resuming a device");
// `device.offers` keeps them all, `device.settled` is the answers so far. Offers to a device being
// closed (`device.closing`) are let go.
export function answerOffers(device, ready = Promise.resolve()) {
  device.offers ??= [];
  device.revision ??= 0;
  device.settled = ready;
  const onMessage = (m) => {
    if (m.method !== 'sdpOffer') return;
    device.offers.push(m.params);
    if (m.params.sdpRevision <= device.revision) return;
    device.revision = m.params.sdpRevision;
    device.settled = device.settled.then(async () => {
      if (device.closing) return;
      const sdpAnswer = await device.page.evaluate((sdp) => window.answerOffer(sdp), m.params.sdpOffer);
      const r = await device.rpc('answerSdp', { sdpAnswer });
      assert.ok(r.result !== undefined, `answerSdp: ${JSON.stringify(r.error)}`);
    }).catch((e) => { if (!device.closing) throw e; });
  };
  // One that came in the same read as the upgrade's answer is already there.
  for (const m of device.received) onMessage(m);
  device.ws.on('message', (data) => onMessage(JSON.parse(String(data))));
}

// A resumable device of participant `who` ({id, token}) on switchboard `sb`, with its page in
// `browser` (served by `web`); `query` goes into its /v3/ URL. `device.resume` is what
// setMediaPreferences gave it.
export async function scriptedPeer({ sb, browser, web }, who, query = {}) {
  const d = await connectDevice(sb, who.token, query);
  d.who = who;
  let pageReady;
  answerOffers(d, new Promise((r) => { pageReady = r; }));
  d.page = await newPage(browser);
  await d.page.goto(`${web.url}/rtc-peer.html`);
  pageReady();
  d.resume = (await d.rpc('setMediaPreferences', { protocol: 'WEBRTC', resumable: true })).result.resume;
  return d;
}

// Publishes the page's microphone; resolves to the stream's msid.
export async function publishMic(d) {
  const sdpOffer = await d.page.evaluate(() => window.publishOffer());
  const r = await d.rpc('offerSdp', { sdpOffer, mediaMetadata: { mediaStreams: {} } }, undefined);
  assert.ok(r.result, `offerSdp: ${JSON.stringify(r.error)}`);
  await d.page.evaluate((sdp) => window.applyAnswer(sdp), r.result.sdpAnswer);
  return /a=msid:(\S+)/.exec(sdpOffer)[1];
}

export const lastOffer = (d) => d.offers[d.offers.length - 1];
export const streamsIn = (offer) => Object.keys(offer?.streamMetadata ?? {}).sort();

// Waits until the device's latest sdpOffer carries exactly `msids`.
export const offered = (d, msids, what) => until(
  () => JSON.stringify(streamsIn(lastOffer(d))) === JSON.stringify([...msids].sort()),
  { timeout: 15000, what: `${what}: ${JSON.stringify(streamsIn(lastOffer(d)))}` },
);

// Waits until the page plays a remote stream with decoded audio energy; resolves to its stats.
export const hearsSomething = (d) => until(async () => {
  const s = await audioEnergy(d.page, '#remotes audio');
  return s && s.packetsReceived > 0 && s.totalAudioEnergy > 0 ? s : null;
}, { timeout: 15000, what: 'inbound audio energy' });

export async function closeAll(devices) {
  for (const d of devices) d.closing = true;
  for (const d of devices) { d.ws.close(); await d.page.context().close(); }
}
