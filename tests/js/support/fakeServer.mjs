// A device endpoint (docs/protocol.md): refuses tokens other than "good" (or "good.…": 401 + JSON
// body, also on a plain GET), answers setMediaPreferences, records frames; `send(message)`
// notifies the connected device. With `resume`, it keeps the device ("Resuming a device"):
// setMediaPreferences offers {deviceId "dev-1", resumeSecret}, `resume.refusal` (409, 410, 403 or
// 0 to accept) decides a reconnect with resumeDevice, at the upgrade and on the probe GET, and an
// accepted one gets `resumed` with a new secret. `urls`: every URL asked for, upgrade or GET;
// `drop()` destroys the connections without a closing handshake (a lost network).
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';

const REFUSALS = {
  401: { error: 'The token has expired', code: 'token_expired', requestId: 'r1' },
  403: { error: 'The resume secret does not match', code: 'resume_refused', requestId: 'r2' },
  409: { error: 'resume again', code: 'resume_pending', requestId: 'r3' },
  410: { error: 'The device cannot be resumed', code: 'resume_expired', requestId: 'r4' },
};

export async function fakeServer({ resume } = {}) {
  const frames = [];
  const urls = [];
  const sockets = new Set();
  let secret = 1;
  // The status the server answers for this URL: 200, or a refusal.
  const status = (url) => {
    const query = new URLSearchParams(url.slice(url.indexOf('?') + 1));
    if (!/^good\b/.test(query.get('token') ?? '')) return 401;
    if (!query.has('resumeDevice')) return 200;
    if (resume?.refusal) return resume.refusal;
    return query.get('resumeSecret') === `s${secret}` ? 200 : 403;
  };
  const http = createServer((req, res) => {
    urls.push(`GET ${req.url}`);
    const code = status(req.url);
    res.writeHead(code, { 'content-type': 'application/json', 'access-control-allow-origin': '*' });
    res.end(JSON.stringify(code === 200 ? { ok: true } : REFUSALS[code]));
  });
  const wss = new WebSocketServer({ noServer: true });
  http.on('upgrade', (req, socket, head) => {
    urls.push(req.url);
    const code = status(req.url);
    if (code !== 200) {
      socket.end(`HTTP/1.1 ${code} Refused\r\ncontent-type: application/json\r\n\r\n` + JSON.stringify(REFUSALS[code]));
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      frames.url = req.url;
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      ws.on('message', (data) => {
        const m = JSON.parse(String(data));
        frames.push(m);
        if (m.method !== 'setMediaPreferences') return;
        const result = resume ? { resume: { deviceId: 'dev-1', resumeSecret: `s${secret}`, graceSeconds: 30 } } : {};
        ws.send(JSON.stringify({ jsonrpc: '2.0', id: m.id, result }));
      });
      if (req.url.includes('resumeDevice=')) {
        secret += 1;
        ws.send(JSON.stringify({ jsonrpc: '2.0', method: 'resumed', params: { deviceId: 'dev-1', resumeSecret: `s${secret}` } }));
      }
    });
  });
  await new Promise((r) => http.listen(0, '127.0.0.1', r));
  return {
    frames,
    urls,
    drop: () => {
      for (const ws of sockets) ws.terminate();
    },
    resumeAccept: () => {
      resume.refusal = 0;
    },
    url: `ws://127.0.0.1:${http.address().port}`,
    send: (message) => {
      for (const ws of sockets) ws.send(JSON.stringify(message));
    },
    // Also ends the open connections, so that a test that failed half-way does not keep Node running.
    close: () => {
      for (const ws of sockets) ws.terminate();
      wss.close();
      http.close();
      http.closeAllConnections();
    },
  };
}
