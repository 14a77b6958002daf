// Small helpers for bench/api/run.sh (node >= 18, no dependencies).
//
//   node tools.mjs free-port
//       Prints a free TCP port on 127.0.0.1 (bound, then released).
//   node tools.mjs prepare BASE_URL ACCOUNT_ID AUTH_HEADER
//       Creates one session and one participant, prints JSON
//       {sessionId, getSessionBytes, createParticipantBytes}: the response body sizes the nginx
//       files must match. Fails if either call does not answer 200.
//   node tools.mjs padjson BYTES FILE
//       Writes a JSON object of exactly BYTES bytes to FILE.
//   node tools.mjs rss PID
//       Prints VmRSS of PID in kB.
import net from 'node:net';
import { writeFileSync, readFileSync } from 'node:fs';

const [cmd, ...args] = process.argv.slice(2);

async function call(url, method, auth, body) {
  const headers = { authorization: auth };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const buf = Buffer.from(await res.arrayBuffer());
  if (res.status !== 200) throw new Error(`${method} ${url} answered ${res.status}: ${buf.toString()}`);
  return { json: JSON.parse(buf.toString()), bytes: buf.length };
}

function rssKb(pid) {
  const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+)\s+kB/m);
  if (!m) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(m[1]);
}

if (cmd === 'free-port') {
  const srv = net.createServer();
  srv.listen(0, '127.0.0.1', () => {
    console.log(srv.address().port);
    srv.close();
  });
} else if (cmd === 'prepare') {
  const [base, account, auth] = args;
  const api = `${base}/v1/accounts/${account}`;
  const session = await call(`${api}/sessions`, 'POST', auth, { tag: 'bench' });
  const got = await call(`${api}/sessions/${session.json.id}`, 'GET', auth);
  const participant = await call(`${api}/participants`, 'POST', auth, { publishPermissions: ['AUDIO'], tag: 'bench' });
  console.log(JSON.stringify({
    sessionId: session.json.id,
    getSessionBytes: got.bytes,
    createParticipantBytes: participant.bytes,
  }));
} else if (cmd === 'padjson') {
  const size = Number(args[0]);
  const skeleton = JSON.stringify({ bench: 'static', pad: '' });
  if (!(size >= skeleton.length)) throw new Error(`padjson: ${size} is smaller than ${skeleton.length}`);
  const text = JSON.stringify({ bench: 'static', pad: 'x'.repeat(size - skeleton.length) });
  writeFileSync(args[1], text);
  if (Buffer.byteLength(text) !== size) throw new Error('padjson: size mismatch');
} else if (cmd === 'rss') {
  console.log(rssKb(args[0]));
} else if (cmd !== undefined) {
  console.error(`tools.mjs: unknown command ${cmd}`);
  process.exit(2);
}
