// A TCP relay in front of switchboard, standing in for the network between a page and the server:
// cut() destroys every connection through it with a reset (no WebSocket close frame, as a network
// change does: switchboard keeps a resumable device); while `state.refusing`, new connections are
// dropped at once (the network is away); while `state.holding`, they wait, their WebSocket
// handshake unanswered, until release().
import net from 'node:net';

export async function startRelay(port, host = '127.0.0.1') {
  const pairs = new Set();
  const held = [];
  const state = { refusing: false, holding: false };
  const relay = (client) => {
    const upstream = net.connect(port, host);
    const pair = [client, upstream];
    pairs.add(pair);
    const end = () => { client.destroy(); upstream.destroy(); pairs.delete(pair); };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    client.pipe(upstream);
    upstream.pipe(client);
  };
  const server = net.createServer((client) => {
    if (state.refusing) return client.destroy();
    if (!state.holding) return relay(client);
    client.pause();
    held.push(client);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `ws://127.0.0.1:${server.address().port}`,
    state,
    release() {
      state.holding = false;
      for (const client of held.splice(0)) relay(client);
    },
    cut() {
      for (const [a, b] of pairs) { a.resetAndDestroy?.() ?? a.destroy(); b.resetAndDestroy?.() ?? b.destroy(); }
      pairs.clear();
    },
    close: () => new Promise((r) => {
      for (const [a, b] of pairs) { a.destroy(); b.destroy(); }
      for (const c of held.splice(0)) c.destroy();
      server.close(r);
    }),
  };
}
