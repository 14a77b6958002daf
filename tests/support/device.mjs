// A scripted device on /v3/ (docs/protocol.md): a WebSocket client speaking JSON-RPC, for tests that
// need a connected device without a browser or a media server.
import WebSocket from 'ws';

// The device URL of `token` on switchboard `sb` (startSwitchboard); `query`: more parameters
// (e.g. {resumeDevice, resumeSecret}).
export function deviceUrl(sb, token, query = {}) {
  const extra = Object.entries(query).map(([k, v]) => `&${k}=${encodeURIComponent(v)}`).join('');
  return `ws://127.0.0.1:${sb.port}/v3/?token=${token}&client=test&sdkVersion=1.0&uniqueId=u-1${extra}`;
}

// Opens a device socket; resolves with a small client: rpc(), raw(), next(), closed, ws, received
// (every message in the order it arrived, from the first on). Rejects with
// {status, body} when the upgrade is refused.
export function connectDevice(sb, token, query = {}) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(deviceUrl(sb, token, query));
    const inbox = [];
    const received = [];
    const waiters = [];
    let nextId = 1;
    const closed = new Promise((r) => ws.on('close', (code, reason) => r({ code, reason: String(reason) })));
    ws.on('message', (data) => {
      const msg = JSON.parse(String(data));
      received.push(msg);
      const w = waiters.findIndex((x) => x.match(msg));
      if (w >= 0) waiters.splice(w, 1)[0].resolve(msg);
      else inbox.push(msg);
    });
    const next = (match, ms = 3000) => new Promise((res, rej) => {
      const i = inbox.findIndex(match);
      if (i >= 0) return res(inbox.splice(i, 1)[0]);
      const t = setTimeout(() => rej(new Error('no matching message')), ms);
      waiters.push({ match, resolve: (m) => { clearTimeout(t); res(m); } });
    });
    const client = {
      ws, closed, next, received,
      raw: (text) => ws.send(text),
      rpc: (method, params, id = nextId++) => {
        ws.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
        return next((m) => m.id === id);
      },
    };
    ws.on('open', () => resolve(client));
    ws.on('unexpected-response', (req, res) => {
      let body = '';
      res.on('data', (d) => { body += d; });
      res.on('end', () => reject(Object.assign(new Error('refused'), { status: res.statusCode, body: JSON.parse(body) })));
    });
    ws.on('error', (e) => { if (!e.status) reject(e); });
  });
}
