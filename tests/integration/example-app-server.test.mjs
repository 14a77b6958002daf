// examples/app-server (C++) against a real switchboard: it creates a session with two
// participants and answers the voice API's answer callback with Bandwidth-shaped transfer BXML.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { startSwitchboard, call, ACCOUNT } from '../support/server.mjs';

const bin = path.join(path.dirname(process.env.SWITCHBOARD_BIN || 'build/switchboard'), 'app-server');
let sb;
let app;
after(async () => { app?.kill(); await sb?.stop(); sb?.cleanup(); });

const freePort = () => new Promise((resolve) => {
  const s = net.createServer().listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
});

test('the example app server sets up a session and answers with transfer BXML', async () => {
  sb = await startSwitchboard();
  const port = await freePort();
  app = spawn(bin, ['--api', `http://127.0.0.1:${sb.port}`, '--account', ACCOUNT.id, '--user', ACCOUNT.username,
    '--password', ACCOUNT.password, '--listen', `127.0.0.1:${port}`, '--sip', 'sip:127.0.0.1:5060'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  app.stdout.on('data', (d) => { out += d; });
  app.stderr.on('data', (d) => { out += d; });
  for (let i = 0; i < 100 && !/answer callback on/.test(out); i++) await new Promise((r) => setTimeout(r, 50));
  assert.match(out, /answer callback on/, out);
  const sessionId = /session (\S+)/.exec(out)[1];
  const members = await call(`${sb.api()}/sessions/${sessionId}/participants`);
  assert.equal(members.body.length, 2);

  const res = await fetch(`http://127.0.0.1:${port}/answer`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ eventType: 'answer', callId: 'c-93d6f3c0-be584596-0b74-4fa2-8015-d8ede84bd1a4' }),
  });
  const bxml = await res.text();
  assert.equal(res.headers.get('content-type'), 'application/xml');
  assert.match(bxml, /^<\?xml version="1.0" encoding="UTF-8" \?>\n<Response><Transfer>\n\t<SipUri uui="93d6f3c0be5845960b744fa28015d8ede84bd1a4;encoding=base64,[\w-]+\.[\w-]+\.[\w-]+;encoding=jwt">sip:127.0.0.1:5060<\/SipUri>\n<\/Transfer><\/Response>$/);
  const token = /base64,([^;]+);encoding=jwt/.exec(bxml)[1];
  const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
  assert.ok(members.body.some((p) => p.id === claims.p), 'the token is a member of the session');
});
