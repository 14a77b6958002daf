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
  stack = await startMediaStack({ config: { sipListen: '127.0.0.1:0', rtpPortMin: 41000, rtpPortMax: 41999 } });
  target = `127.0.0.1:${await stack.sb.sipPort()}`;
});
after(async () => { await stack?.stop(); });

const metric = async (name) => {
  const text = await (await fetch(`${stack.sb.base}/metrics`)).text();
  return Number(new RegExp(`^${name} (\\S+)`, 'm').exec(text)?.[1]);
};

test('dial-in: the browser hears the phone and the phone hears the browser', async () => {
  const s = await stack.session();
  const browserP = await stack.participant(s);
  const phoneP = await stack.participant(s);
  const page = await stack.device(browserP.token, { sdk: 'switchboard' });
  await page.evaluate(() => window.rtcPublish({ audio: true, video: false }, 'mic'));

  const media = await phoneMedia();
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
