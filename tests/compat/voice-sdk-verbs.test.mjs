// The IVR, recording, Bridge and Forward verbs (issue 9) as Bandwidth's own BXML builders make
// them — `@bandwidth/voice` 5 and `bandwidth-sdk` 8 — run by switchboard in real calls to sipp
// phones behind the trunk (their media is this test's RTP sockets). Each test asserts what the
// verbs did: digits gathered from the phone, the prompts heard, dtmf/gather/recordComplete/
// recordingAvailable/bridgeTargetComplete callbacks and their fields, the recordings listed with
// the phone's audio in them, audio across a bridge and a forwarded call.
// (tests/compat/voice-sdks.test.mjs builds the other verbs with both SDKs.)
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { startSwitchboard, call, basicAuth, LOOPBACK_CALLBACKS } from '../support/server.mjs';
import { sipp, phoneMedia, freeUdpPort, udpBound } from '../support/phone.mjs';
import { until, sleep } from '../support/api.mjs';
import { tempDir } from '../support/tempdir.mjs';
import { toneWav } from '../support/wav.mjs';
import { startAppServer } from '../support/app-server.mjs';

const require = createRequire(import.meta.url);
const v5 = require('@bandwidth/voice');
const v8 = require('bandwidth-sdk');

const ACCOUNT = { id: '9900000', username: 'test-user', password: 'test-password-1', allowedDestinations: ['\\+1555\\d{7}'],
  maxCallsPerMinute: 120, allowedCallbackNetworks: LOOPBACK_CALLBACKS };
const NUMBER = '+15550100';  // a voice number of the account: its initiate callback is /initiate

// The builders of each SDK behind one interface (each SDK's own constructor shapes).
const SDKS = {
  '@bandwidth/voice 5': {
    response: (verbs) => new v5.Response(...verbs).toBxml(),
    pause: (duration) => new v5.Pause({ duration }),
    hangup: () => new v5.Hangup(),
    speak: (sentence, o = {}) => new v5.SpeakSentence({ sentence, ...o }),
    play: (url) => new v5.PlayAudio({ url }),
    gather: (o, prompts) => new v5.Gather({ ...o, audioProducers: prompts }),
    startGather: (o) => new v5.StartGather(o),
    stopGather: () => new v5.StopGather(),
    record: (o) => new v5.Record(o),
    startRecording: (o) => new v5.StartRecording(o),
    pauseRecording: () => new v5.PauseRecording(),
    resumeRecording: () => new v5.ResumeRecording(),
    stopRecording: () => new v5.StopRecording(),
    bridge: (callId, o) => new v5.Bridge({ callId, ...o }),
    forward: (o) => new v5.Forward({ ...o, callTimeout: String(o.callTimeout) }),  // a string in its typings
  },
  'bandwidth-sdk 8': {
    response: (verbs) => new v8.Bxml.Response(verbs).toBxml(),
    pause: (duration) => new v8.Bxml.Pause({ duration }),
    hangup: () => new v8.Bxml.Hangup(),
    speak: (sentence, o = {}) => new v8.Bxml.SpeakSentence(sentence, o),
    play: (url) => new v8.Bxml.PlayAudio(url),
    gather: (o, prompts) => new v8.Bxml.Gather(o, prompts),
    startGather: (o) => new v8.Bxml.StartGather(o),
    stopGather: () => new v8.Bxml.StopGather(),
    record: (o) => new v8.Bxml.Record(o),
    startRecording: (o) => new v8.Bxml.StartRecording(o),
    pauseRecording: () => new v8.Bxml.PauseRecording(),
    resumeRecording: () => new v8.Bxml.ResumeRecording(),
    stopRecording: () => new v8.Bxml.StopRecording(),
    bridge: (callId, o) => new v8.Bxml.Bridge(callId, o),
    forward: (o) => new v8.Bxml.Forward(o),
  },
};


let sb;
let app;
let trunkPort;
const events = [];  // { path, at, ...body }
let reply = () => '';
const opened = { media: [], sipps: [] };  // closed in after(), also when a test failed

before(async () => {
  app = await startAppServer(({ path: p, event }) => {
    // 1 s of 440 Hz: about 3.3 of the phone's energy measure (0.067 a packet), far more than the
    // short sentences spoken around it.
    if (p === '/tone.wav') return toneWav();
    events.push({ path: p, at: Date.now(), ...event });
    return reply(p, event);
  });
  trunkPort = await freeUdpPort();
  sb = await startSwitchboard({
    config: {
      sipListen: '127.0.0.1:0', sipTrunk: `sip:127.0.0.1:${trunkPort}`, rtpPortMin: 45600, rtpPortMax: 45799, accounts: [ACCOUNT],
      voiceNumbers: [{ number: NUMBER, accountId: ACCOUNT.id, initiateUrl: `${appUrl()}/initiate`, disconnectUrl: `${appUrl()}/disconnect` }],
    },
  });
});
after(async () => {
  for (const uas of opened.sipps) await uas.kill();
  for (const media of opened.media) media.close();
  await sb?.stop();
  const logs = sb?.logs() ?? '';
  sb?.cleanup();
  app?.close();
  assert.doesNotMatch(logs, /Sanitizer|runtime error:/);
});

function appUrl(p = '') { return `http://127.0.0.1:${app.address().port}${p}`; }

// `count` phones behind the trunk: the n-th INVITE is answered with the n-th phone's RTP port;
// each waits for switchboard's BYE.
async function trunkPhones(count) {
  const phones = [];
  for (let i = 0; i < count; i++) phones.push(await phoneMedia());
  opened.media.push(...phones);
  const csv = path.join(tempDir('sb-verbs-'), 'ports.csv');
  writeFileSync(csv, `SEQUENTIAL\n${phones.map((p) => `${p.port};;`).join('\n')}\n`);
  const uas = sipp({ target: '', scenario: 'uas_answer_inf.xml', calls: count, timeoutMs: 60000, extra: ['-p', String(trunkPort), '-inf', csv] });
  opened.sipps.push(uas);
  await udpBound(trunkPort);
  return { phones, uas };
}

async function placeCall(to = '+15551234567') {
  const r = await call(`${sb.base}/api/v2/accounts/${ACCOUNT.id}/calls`, {
    method: 'POST', account: ACCOUNT,
    body: { from: '+15550001111', to, applicationId: 'app-verbs', answerUrl: appUrl('/answer'), disconnectUrl: appUrl('/disconnect') },
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.callId;
}

const eventOf = (callId, p) => events.find((e) => e.callId === callId && e.path === p);
const waitEvent = (callId, p, timeout = 20000) => until(async () => eventOf(callId, p), { timeout, what: `${p} of ${callId}` });
const seconds = (iso) => {
  const m = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?$/.exec(iso);
  assert.ok(m, `ISO 8601 duration: ${iso}`);
  return (Number(m[1] || 0) * 3600) + (Number(m[2] || 0) * 60) + Number(m[3] || 0);
};
// RMS of a WAV's samples (mono 16-bit PCM after the 44-byte header the writer makes).
function rmsOf(wav) {
  const s = new Int16Array(wav.buffer.slice(wav.byteOffset + 44, wav.byteOffset + wav.length));
  return Math.sqrt(s.reduce((a, v) => a + v * v, 0) / Math.max(1, s.length));
}

for (const [name, sdk] of Object.entries(SDKS)) {
  describe(name, () => {
    test('Gather with SpeakSentence and PlayAudio prompts, StartGather/StopGather, SpeakSentence, Record, Start/Pause/Resume/StopRecording', async (t) => {
      const { phones: [phone], uas } = await trunkPhones(1);
      const answer = sdk.response([
        sdk.startRecording({ recordingAvailableUrl: '/available', tag: 'whole-call' }),
        sdk.pauseRecording(),
        sdk.pause(1.5),
        sdk.resumeRecording(),
        sdk.speak('Welcome.', { voice: 'julie' }),
        sdk.gather({ gatherUrl: '/gather', maxDigits: 1, firstDigitTimeout: 10 }, [sdk.speak('Press a key.'), sdk.play('/tone.wav')]),
        sdk.hangup(),
      ]);
      const afterGather = sdk.response([
        sdk.stopRecording(),
        sdk.startGather({ dtmfUrl: '/dtmf' }),
        sdk.pause(2),
        sdk.stopGather(),
        sdk.record({ recordCompleteUrl: '/complete', recordingAvailableUrl: '/available', terminatingDigits: '#', maxDuration: 10, tag: 'message' }),
        sdk.hangup(),
      ]);
      const afterRecord = sdk.response([sdk.speak('Goodbye.'), sdk.hangup()]);
      reply = (p) => ({ '/answer': answer, '/gather': afterGather, '/complete': afterRecord })[p];
      const callId = await placeCall();
      await waitEvent(callId, '/answer');
      await until(async () => phone.stats.peer !== null, { timeout: 10000, what: 'RTP at the phone' });
      phone.stream();  // the phone's tone: what the recordings must hold

      // The Gather's prompts: two short sentences, then the 1 s tone. Only the tone brings the
      // energy heard past 3, so the digit is pressed once the nested <PlayAudio> has played.
      await until(async () => phone.stats.energy > 3, { timeout: 15000, what: `the prompts at the phone (energy ${phone.stats.energy})` });
      t.diagnostic(`energy heard before the digit: ${phone.stats.energy.toFixed(2)}`);
      phone.sendDigit('3');
      const gather = await waitEvent(callId, '/gather');
      assert.equal(gather.eventType, 'gather');
      assert.equal(gather.digits, '3');
      assert.equal(gather.terminatingDigit, '');
      assert.equal(gather.accountId, ACCOUNT.id);

      // <StartGather>: a digit during the <Pause> is reported at once; after <StopGather>, none is.
      await sleep(500);
      phone.sendDigit('5');
      const dtmf = await waitEvent(callId, '/dtmf', 5000);
      assert.equal(dtmf.eventType, 'dtmf');
      assert.equal(dtmf.digit, '5');
      assert.ok(dtmf.at - gather.at < 2000, 'reported while the <Pause> ran');
      await until(async () => Date.now() > gather.at + 2900, { timeout: 5000, what: 'the end of the <Pause>' });
      phone.sendDigit('6');  // <Record> runs now (its terminating digit is #)
      await sleep(1500);
      phone.sendDigit('#');
      const complete = await waitEvent(callId, '/complete');
      const disconnect = await waitEvent(callId, '/disconnect');
      assert.deepEqual(events.filter((e) => e.callId === callId && e.path === '/dtmf').map((e) => e.digit), ['5'],
        'no dtmf event after <StopGather>');
      assert.equal(complete.eventType, 'recordComplete');
      assert.equal(complete.status, 'complete', complete.errorMessage);
      assert.equal(complete.tag, 'message');
      assert.equal(complete.channels, 1);
      const recorded = seconds(complete.duration);
      assert.ok(recorded > 1.5 && recorded < 3.5, `<Record> from the end of the <Pause> to the # (${complete.duration})`);
      assert.equal(disconnect.cause, 'hangup', JSON.stringify(disconnect));

      // Two recordings listed for the call, both complete; recordingAvailable for each.
      const available = await until(async () => {
        const got = events.filter((e) => e.callId === callId && e.path === '/available');
        return got.length === 2 ? got : null;
      }, { timeout: 10000, what: 'two recordingAvailable events' });
      assert.ok(available.every((e) => e.eventType === 'recordingAvailable' && e.status === 'complete'), JSON.stringify(available));
      const listed = await call(`${sb.base}/api/v2/accounts/${ACCOUNT.id}/calls/${callId}/recordings`, { account: ACCOUNT });
      assert.equal(listed.status, 200);
      assert.deepEqual(available.map((e) => e.tag).sort(), ['message', 'whole-call']);
      assert.deepEqual(listed.body.map((r) => r.recordingId).sort(), available.map((e) => e.recordingId).sort());
      assert.ok(listed.body.every((r) => r.status === 'complete'), JSON.stringify(listed.body));
      const whole = listed.body.find((r) => r.recordingId === available.find((e) => e.tag === 'whole-call').recordingId);
      // Paused for the 1.5 s <Pause>: that time is not in the file.
      const wall = (Date.parse(whole.endTime) - Date.parse(whole.startTime)) / 1000;
      const gap = wall - seconds(whole.duration);
      t.diagnostic(`whole-call recording: ${whole.duration} of ${wall.toFixed(2)} s; <Record>: ${complete.duration}`);
      assert.ok(gap > 1.2 && gap < 2.2, `paused ${gap.toFixed(2)} s of ${wall.toFixed(2)} s`);
      // The <Record> file holds the phone's tone.
      const media = await fetch(complete.mediaUrl, { headers: { authorization: basicAuth(ACCOUNT) } });
      assert.equal(media.status, 200);
      const level = rmsOf(Buffer.from(await media.arrayBuffer()));
      assert.ok(level > 3000, `the phone's tone is in the recording (RMS ${level.toFixed(0)})`);
      const done = await uas;
      assert.equal(done.code, 0, done.stderr || done.stdout);
    });

    test('Bridge: two phones hear each other; the bridging call hangs up, the target gets bridgeTargetComplete', async () => {
      const { phones: [phoneA, phoneB], uas } = await trunkPhones(2);
      let aId = null;
      const target = sdk.response([sdk.pause(30), sdk.hangup()]);
      reply = (p, e) => {
        if (p === '/answer') return e.callId === aId ? target : sdk.response([sdk.bridge(aId, { bridgeTargetCompleteUrl: '/btc', tag: 'bridged' }), sdk.hangup()]);
        if (p === '/btc') return sdk.response([sdk.hangup()]);
        return '';
      };
      aId = await placeCall('+15551230001');
      await waitEvent(aId, '/answer');
      await until(async () => phoneA.stats.peer !== null, { timeout: 10000, what: 'RTP at phone A' });
      phoneA.stream();
      const bId = await placeCall('+15551230002');
      await waitEvent(bId, '/answer');
      await until(async () => phoneB.stats.peer !== null, { timeout: 10000, what: 'RTP at phone B' });
      phoneB.stream();
      await until(async () => phoneA.stats.energy > 1 && phoneB.stats.energy > 1,
        { timeout: 10000, what: `audio both ways (energy at A ${phoneA.stats.energy}, at B ${phoneB.stats.energy})` });
      assert.equal((await call(`${sb.base}/api/v2/accounts/${ACCOUNT.id}/calls/${bId}`, { method: 'POST', account: ACCOUNT, body: { state: 'completed' } })).status, 200);
      const btc = await waitEvent(aId, '/btc');
      assert.equal(btc.eventType, 'bridgeTargetComplete');
      assert.equal((await waitEvent(aId, '/disconnect')).cause, 'hangup');
      assert.equal((await waitEvent(bId, '/disconnect')).tag, 'bridged');
      const done = await uas;
      assert.equal(done.code, 0, done.stderr || done.stdout);
    });

    test('Forward: an inbound call reaches the forwarded phone, audio both ways', async () => {
      const start = events.length;
      const { phones: [callee], uas } = await trunkPhones(1);
      reply = (p) => (p === '/initiate' ? sdk.response([sdk.forward({ to: '+15557654321', from: '+15550009999', callTimeout: 10 })]) : '');
      const caller = await phoneMedia();
      opened.media.push(caller);
      const uac = sipp({ target: `127.0.0.1:${await sb.sipPort()}`, scenario: 'dialin_number.xml', keys: { rtp_port: caller.port }, holdMs: 4000,
        extra: ['-s', NUMBER], timeoutMs: 30000 });
      opened.sipps.push(uac);
      await until(async () => caller.stats.peer !== null && callee.stats.peer !== null, { timeout: 15000, what: 'RTP at both phones' });
      caller.stream();
      callee.stream();
      await until(async () => caller.stats.energy > 1 && callee.stats.energy > 1,
        { timeout: 10000, what: `audio both ways (energy at the caller ${caller.stats.energy}, forwarded ${callee.stats.energy})` });
      const [a, b] = await Promise.all([uac, uas]);
      assert.equal(a.code, 0, `the caller's call went through and ended with its BYE: ${a.stderr || a.stdout}`);
      assert.equal(b.code, 0, `the forwarded phone got a BYE: ${b.stderr || b.stdout}`);
      const d = await until(async () => events.slice(start).find((e) => e.path === '/disconnect'), { timeout: 10000, what: 'disconnect callback' });
      assert.equal(d.cause, 'hangup');
      assert.equal(d.direction, 'inbound');
    });
  });
}
