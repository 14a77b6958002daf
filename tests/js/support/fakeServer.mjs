// A device endpoint (docs/protocol.md): refuses tokens other than "good" (401 + JSON body, also
// on a plain GET), answers setMediaPreferences, records frames; `send(message)` notifies the
// connected device.
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';

export async function fakeServer() {
  const frames = [];
  const sockets = new Set();
  const refuse = { error: 'The token has expired', code: 'token_expired', requestId: 'r1' };
  const http = createServer((req, res) => {
    const good = req.url.includes('token=good');
    res.writeHead(good ? 200 : 401, { 'content-type': 'application/json', 'access-control-allow-origin': '*' });
    res.end(JSON.stringify(good ? { ok: true } : refuse));
  });
  const wss = new WebSocketServer({ noServer: true });
  http.on('upgrade', (req, socket, head) => {
    if (!req.url.includes('token=good')) {
      socket.end('HTTP/1.1 401 Unauthorized\r\ncontent-type: application/json\r\n\r\n' + JSON.stringify(refuse));
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      frames.url = req.url;
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      ws.on('message', (data) => {
        const m = JSON.parse(String(data));
        frames.push(m);
        if (m.method === 'setMediaPreferences') ws.send(JSON.stringify({ jsonrpc: '2.0', id: m.id, result: {} }));
      });
    });
  });
  await new Promise((r) => http.listen(0, '127.0.0.1', r));
  return {
    frames,
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
