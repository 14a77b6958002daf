// Phone calls in the browser (issue 4): sipp dials in with a participant token in User-To-User;
// the browser hears the phone and the phone hears the browser. Refusals allocate nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { startMediaStack, until } from './media-fixture.mjs';
import { phoneMedia, sipp } from '../support/phone.mjs';
import { call } from '../support/server.mjs';

let stack;
let target;
before(async () => {
  stack = await startMediaStack({ config: { sipListen: '127.0.0.1:0', rtpPortMin: 41000, rtpPortMax: 41999, maxParticipantsPerSession: 100 } });
  target = `127.0.0.1:${await stack.sb.sipPort()}`;
});
after(async () => { await stack?.stop(); });

const metric = async (name) => {
  const text = await (await fetch(`${stack.sb.adminBase}/metrics`)).text();
  return Number(new RegExp(`^${name} (\\S+)`, 'm').exec(text)?.[1]);
};

// A session with a publishing browser and a phone participant, and the phone's media socket.
async function browserAndPhone() {
  const s = await stack.session();
  const browserP = await stack.participant(s);
  const phoneP = await stack.participant(s);
  const page = await stack.device(browserP.token, { sdk: 'switchboard' });
  await page.evaluate(() => window.rtcPublish({ audio: true, video: false }, 'mic'));
  return { page, phoneP, media: await phoneMedia() };
}

test('dial-in: the browser hears the phone and the phone hears the browser', async () => {
  const { page, phoneP, media } = await browserAndPhone();
  const uui = `93d6f3c0be5845960b744fa28015d8ede84bd1a4;encoding=base64,${phoneP.token};encoding=jwt`;
  const run = sipp({ target, scenario: 'dialin_hold.xml', keys: { uui, rtp_port: media.port }, holdMs: 12000 });
  await until(async () => media.stats.peer !== null, { timeout: 10000, what: 'RTP from switchboard' });
  media.stream();
  const heard = await stack.hears(page, phoneP.id, { timeout: 15000 });
  assert.deepEqual(heard.mediaTypes, ['AUDIO']);
  await until(async () => media.stats.received > 100 && media.stats.energy > 0.5, { timeout: 10000, what: 'browser audio at the phone' });
  assert.ok(media.stats.receivedPayloadTypes[0] > 100, 'PCMU from the bridge');
  const done = await run;
  assert.equal(done.code, 0, done.stderr || done.stdout);
  await until(async () => !(await stack.receives(page, phoneP.id)), { what: 'phone stream gone after BYE' });
  media.close();
  await page.close();
});

test('refusals: bad, expired, foreign and deleted tokens get 403; no codec 488; no session 404', async () => {
  const s = await stack.session();
  const p = await stack.participant(s);
  const outside = await stack.participant(s, { join: false });
  const gone = await stack.participant(s);
  await call(`${stack.sb.api()}/participants/${gone.id}`, { method: 'DELETE' });
  const forged = p.token.slice(0, -6) + 'AAAAAA';
  const expiredToken = [
    Buffer.from('{"alg":"HS256","typ":"JWT"}').toString('base64url'),
    Buffer.from(JSON.stringify({ a: '9900000', p: p.id, v: 'v3', iat: 1, exp: 2, iss: 'switchboard' })).toString('base64url'),
    'c2lnbmF0dXJl',
  ].join('.');
  const before = await metric('switchboard_media_remote_publishers');
  const cases = [
    ['garbage', 'nonsense', 0, 403],
    ['forged', `${forged};encoding=jwt`, 0, 403],
    ['expired/foreign (other secret)', `${expiredToken};encoding=jwt`, 0, 403],
    ['deleted participant', `${gone.token};encoding=jwt`, 0, 403],
    ['not in a session', `${outside.token};encoding=jwt`, 0, 404],
    ['no common codec', `${p.token};encoding=jwt`, 18, 488],
  ];
  for (const [i, [what, uui, pt, status]] of cases.entries()) {
    const logFile = `/tmp/sipp-refusal-${process.pid}-${i}.log`;
    const r = await sipp({
      target, scenario: 'uac_uui_rejected.xml',
      keys: { uui, offer_pt: pt, offer_codec: pt === 18 ? 'G729/8000' : 'PCMU/8000' },
      extra: ['-trace_logs', '-log_file', logFile],
    });
    assert.equal(r.code, 0, `${what}: ${r.stderr}`);
    const log = readFileSync(logFile, 'utf8');
    rmSync(logFile, { force: true });
    assert.match(log, new RegExp(`final=${status}`), what);
  }
  assert.equal(await metric('switchboard_media_remote_publishers'), before, 'no Janus publisher was created');
  assert.equal(await metric('switchboard_sip_active_calls'), 0);
});

test('teardown from the server side: REST removal, participant deletion, session deletion send BYE', async () => {
  for (const how of ['remove', 'delete-participant', 'delete-session']) {
    const s = await stack.session();
    const browserP = await stack.participant(s);
    const phoneP = await stack.participant(s);
    const page = await stack.device(browserP.token, { sdk: 'switchboard' });
    const media = await phoneMedia();
    const run = sipp({ target, scenario: 'dialin_wait_bye.xml', keys: { uui: `${phoneP.token};encoding=jwt`, rtp_port: media.port }, timeoutMs: 30000 });
    await until(async () => media.stats.peer !== null, { timeout: 10000, what: 'call up' });
    media.stream();
    await stack.hears(page, phoneP.id);
    const url = {
      remove: `${stack.sb.api()}/sessions/${s}/participants/${phoneP.id}`,
      'delete-participant': `${stack.sb.api()}/participants/${phoneP.id}`,
      'delete-session': `${stack.sb.api()}/sessions/${s}`,
    }[how];
    assert.equal((await call(url, { method: 'DELETE' })).status, 204, how);
    const done = await run;
    assert.equal(done.code, 0, `${how}: sipp did not get a BYE: ${done.stderr}`);
    if (how !== 'delete-session') await until(async () => !(await stack.receives(page, phoneP.id)), { what: `${how}: stream gone` });
    media.close();
    await page.close();
  }
  await until(async () => (await metric('switchboard_sip_active_calls')) === 0, { what: 'no calls left' });
  assert.equal(await metric('switchboard_media_forwarders'), 0);
});

test('DTMF both ways: phone digits reach the browser as events, the browser\'s reach the phone as RFC 4733', async () => {
  const { page, phoneP, media } = await browserAndPhone();
  const run = sipp({ target, scenario: 'dialin_hold.xml', keys: { uui: `${phoneP.token};encoding=jwt`, rtp_port: media.port }, holdMs: 8000 });
  await until(async () => media.stats.peer !== null, { timeout: 10000, what: 'call up' });
  media.stream();
  await stack.hears(page, phoneP.id);
  // Browser → phone.
  await page.evaluate(() => window.rtc.sendDtmf('12#'));
  await until(async () => media.stats.digits.map((d) => d.digit).join('') === '12#', { timeout: 8000, what: `digits at the phone (${JSON.stringify(media.stats.digits)})` });
  // Phone → browser.
  media.sendDigit('5');
  await until(async () => (await stack.events(page, 'dtmf')).some((e) => e.tone === '5' && e.participantId === phoneP.id), { timeout: 5000, what: 'digit at the browser' });
  assert.equal((await run).code, 0);
  media.close();
  await page.close();
});

test('50 calls in a row leave no Janus handles, forwarders, RTP ports, descriptors or memory behind', async () => {
  const s = await stack.session();
  const browserP = await stack.participant(s);
  const page = await stack.device(browserP.token, { sdk: 'switchboard' });
  await page.evaluate(() => window.rtcPublish({ audio: true, video: false }, 'mic'));
  const sbPid = stack.sb.proc.pid;
  const janusPid = stack.janus.pid;
  const { readdirSync, readFileSync: rf } = await import('node:fs');
  const fds = (pid) => readdirSync(`/proc/${pid}/fd`).length;
  const rss = (pid) => Number(/VmRSS:\s+(\d+)/.exec(rf(`/proc/${pid}/status`, 'utf8'))[1]);
  const freePortsBefore = await metric('switchboard_sip_free_rtp_ports');
  // Warm-up call so lazily created things (room, remote publisher) exist before measuring.
  const oneCall = async (p) => {
    const media = await phoneMedia();
    const run = sipp({ target, scenario: 'dialin_hold.xml', keys: { uui: `${p.token};encoding=jwt`, rtp_port: media.port }, holdMs: 400 });
    await until(async () => media.stats.peer !== null, { timeout: 10000, what: 'call up' });
    media.stream();
    const r = await run;
    media.close();
    assert.equal(r.code, 0, r.stderr);
  };
  const phones = [];
  for (let i = 0; i < 51; i++) phones.push(await stack.participant(s));
  await oneCall(phones[0]);
  await until(async () => (await metric('switchboard_sip_active_calls')) === 0, { what: 'warm-up ended' });
  const base = { sbFds: fds(sbPid), janusFds: fds(janusPid), sbRss: rss(sbPid), remotes: await metric('switchboard_media_remote_publishers') };
  for (let i = 1; i <= 50; i++) await oneCall(phones[i]);
  await until(async () => (await metric('switchboard_sip_active_calls')) === 0, { what: 'all ended' });
  await until(async () => (await metric('switchboard_media_forwarders')) === 0, { what: 'forwarders stopped' });
  assert.equal(await metric('switchboard_sip_free_rtp_ports'), freePortsBefore, 'every RTP port back');
  assert.equal(await metric('switchboard_media_remote_publishers'), base.remotes, 'the remote publisher is reused, not re-created');
  const after = { sbFds: fds(sbPid), janusFds: fds(janusPid), sbRss: rss(sbPid) };
  assert.ok(after.sbFds <= base.sbFds + 2, `switchboard fds ${base.sbFds} -> ${after.sbFds}`);
  assert.ok(after.janusFds <= base.janusFds + 2, `janus fds ${base.janusFds} -> ${after.janusFds}`);
  assert.ok(after.sbRss - base.sbRss < 8 * 1024, `switchboard RSS grew ${after.sbRss - base.sbRss} kB`);
  await page.close();
});
