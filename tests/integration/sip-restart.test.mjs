// A phone call in progress when switchboard is SIGKILLed is not left half-open: the restarted
// process sends the phone a BYE for the dialog its predecessor left (sip-dialogs.json in the data
// dir), and the phone (sipp) answers 200. Over UDP, and over TCP, where the call's connection died
// with the process and the BYE goes over a new one (RFC 3261 §18.1.1).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startSwitchboard, ACCOUNT, OTHER_ACCOUNT, LOOPBACK_CALLBACKS } from '../support/server.mjs';
import { gauge, waitFor } from '../support/api.mjs';
import { sipp } from '../support/phone.mjs';

const NUMBER = '+15550100';
let app;
const servers = [];

before(async () => {
  // The application keeps the call up (a 60 s pause) until switchboard dies.
  app = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.setHeader('Content-Type', 'application/xml');
      res.end(req.url === '/initiate' ? '<Response><Pause duration="60"/></Response>' : '');
    });
  });
  await new Promise((r) => app.listen(0, '127.0.0.1', r));
});
after(async () => {
  for (const [first, second] of servers) {
    await second?.stop();
    await first.kill();
    first.cleanup();
  }
  app?.close();
});

const config = () => ({
  sipListen: '127.0.0.1:0',
  sipTrunk: 'sip:127.0.0.1:5070',
  rtpPortMin: 33200,
  rtpPortMax: 33299,
  voiceNumbers: [{ number: NUMBER, accountId: ACCOUNT.id, initiateUrl: `http://127.0.0.1:${app.address().port}/initiate` }],
  rtpInactivitySeconds: 0,  // the phone sends no RTP: only the restart may end the call
  accounts: [{ ...ACCOUNT, allowedCallbackNetworks: LOOPBACK_CALLBACKS }, OTHER_ACCOUNT],
});
const dialogs = (sb) => {
  try { return JSON.parse(readFileSync(path.join(sb.dataDir, 'sip-dialogs.json'), 'utf8')); } catch { return null; }
};

test('a call in progress during a SIGKILL and restart gets a BYE from the restarted server', async () => {
  const pair = [await startSwitchboard({ config: config() })];
  servers.push(pair);
  const [first] = pair;
  const phone = sipp({ target: `127.0.0.1:${await first.sipPort()}`, scenario: 'number_wait_bye.xml',
    keys: { rtp_port: 40010, se: 1800 }, extra: ['-s', NUMBER], timeoutMs: 30000 });
  await waitFor(async () => (await gauge(first, 'switchboard_sip_active_calls')) === 1, { timeoutMs: 10000 });
  // The confirmed dialog is on disk (written in the background), with both tags.
  await waitFor(() => dialogs(first)?.length === 1, { timeoutMs: 5000 });
  const [dialog] = dialogs(first);
  assert.match(dialog.remote, /tag=/);
  assert.match(dialog.local, /tag=/);
  assert.match(dialog.target, /^sip:sipp@127\.0\.0\.1:\d+/);
  assert.equal(dialog.transport, 'udp');

  assert.equal((await first.kill()).signal, 'SIGKILL');
  const restarted = Date.now();
  const second = await startSwitchboard({ dataDir: first.dataDir, config: config() });
  pair.push(second);
  const r = await phone;
  const took = Date.now() - restarted;
  assert.equal(r.code, 0, `sipp did not get its BYE: ${r.stdout}\n${r.stderr}`);
  assert.ok(took < 5000, `BYE ${took} ms after the restart`);
  console.log(`# BYE answered ${took} ms after the restart began`);
  await waitFor(() => /left by the previous process ended \(BYE: 200\)/.test(second.logs()), { timeoutMs: 5000 });
  // Ended, so not again after the next restart.
  await waitFor(() => dialogs(second)?.length === 0, { timeoutMs: 5000 });
});

// Over TCP the call's connection dies with the process. sipp sets the call up over TCP, but its
// Contact is the test's listener (the phone's side, which sipp cannot play: it answers on its dead
// connection): the BYE must arrive there over a new connection, and is answered on that one
// (RFC 3261 §18.2.2).
test('a TCP call in progress during a SIGKILL and restart gets its BYE over a new connection', async () => {
  const requests = [];
  const phoneSide = net.createServer((sock) => {
    let text = '';
    sock.on('data', (d) => {
      text += d;
      if (!text.includes('\r\n\r\n')) return;
      requests.push(text);
      const echoed = text.split('\r\n').filter((l) => /^(Via|From|To|Call-ID|CSeq):/i.test(l));
      sock.write(`SIP/2.0 200 OK\r\n${echoed.join('\r\n')}\r\nContent-Length: 0\r\n\r\n`);
      text = '';
    });
    sock.on('error', () => {});
  });
  await new Promise((r) => phoneSide.listen(0, '127.0.0.1', r));
  const pair = [await startSwitchboard({ config: config() })];
  servers.push(pair);
  const [first] = pair;
  const phone = sipp({ target: `127.0.0.1:${await first.sipPort()}`, scenario: 'number_call_tcp_contact.xml',
    keys: { rtp_port: 40012, se: 1800, contact_port: phoneSide.address().port }, extra: ['-s', NUMBER, '-t', 't1'],
    timeoutMs: 30000 });
  try {
    await waitFor(async () => (await gauge(first, 'switchboard_sip_active_calls')) === 1, { timeoutMs: 10000 });
    await waitFor(() => dialogs(first)?.length === 1, { timeoutMs: 5000 });
    const [dialog] = dialogs(first);
    assert.equal(dialog.transport, 'tcp');
    assert.equal(dialog.target, `sip:phone@127.0.0.1:${phoneSide.address().port};transport=tcp`);

    assert.equal((await first.kill()).signal, 'SIGKILL');
    const restarted = Date.now();
    const second = await startSwitchboard({ dataDir: first.dataDir, config: config() });
    pair.push(second);
    await waitFor(() => requests.length >= 1, { timeoutMs: 5000 });
    console.log(`# TCP: BYE arrived ${Date.now() - restarted} ms after the restart began`);
    const [bye] = requests;
    assert.equal(requests.length, 1, 'one BYE, sent once over a reliable transport');
    assert.ok(bye.startsWith(`BYE ${dialog.target} SIP/2.0\r\n`), bye);
    assert.match(bye, /\r\nVia: SIP\/2\.0\/TCP 127\.0\.0\.1:\d+;branch=z9hG4bK/);
    assert.ok(bye.includes(`\r\nCall-ID: ${dialog.sipCallId}\r\n`), bye);
    assert.ok(bye.includes(`\r\nTo: ${dialog.remote}\r\n`), bye);
    assert.ok(bye.includes(`\r\nFrom: ${dialog.local}\r\n`), bye);
    await waitFor(() => /left by the previous process ended \(BYE: 200\)/.test(second.logs()), { timeoutMs: 5000 });
    await waitFor(() => dialogs(second)?.length === 0, { timeoutMs: 5000 });
  } finally {
    await phone.kill();
    phoneSide.close();
  }
});
