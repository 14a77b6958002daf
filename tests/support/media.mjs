// Media side of the tests: Janus inside the project's test network namespace, a small Janus
// WebSocket API client, and SDP helpers.
//
// THE NETWORK RULE: media tests (anything that runs Janus or a browser peer connection) must run
// inside the namespace that scripts/netns.sh creates, the whole test process included:
//
//     scripts/netns.sh up
//     scripts/netns.sh exec node --test --test-concurrency=1 tests/browser/
//     scripts/netns.sh down
//
// Then switchboard (HTTP/WS on 127.0.0.1), Janus (WS API on 127.0.0.1, ICE host candidate on the
// veth address) and Chromium all share the namespace's loopback and its one veth, which has no
// default route: no packet can leave it. startJanus({netns: true}) refuses to run outside it.
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import os from 'node:os';
import WebSocket from 'ws';
import { launchJanus, janusInfo } from '../../scripts/janus.mjs';

export { janusInfo };

// Must match scripts/netns.sh (same environment variables, same defaults).
export const NETNS = {
  name: process.env.SBNET_NAME || 'sbnet',
  nsIf: process.env.SBNET_NS_IF || 'sbveth1',
  nsAddr: (process.env.SBNET_NS_ADDR || '10.203.0.2/24').split('/')[0],
};

// True when this process runs inside the test namespace (`ip netns exec sbnet ...`).
export function inTestNetns() {
  try {
    const mine = statSync('/proc/self/ns/net');
    const ns = statSync(`/run/netns/${NETNS.name}`);
    return mine.ino === ns.ino && mine.dev === ns.dev;
  } catch {
    return false;
  }
}

export function assertInTestNetns() {
  if (!inTestNetns()) {
    throw new Error(`media tests must run inside the "${NETNS.name}" network namespace: ` +
      'scripts/netns.sh up && scripts/netns.sh exec node --test tests/browser/');
  }
}

// The gateway of this namespace's default route (`SBNET_DEFAULT_ROUTE=1 scripts/netns.sh up`), or
// null when there is none.
export function defaultGateway() {
  const route = execFileSync('ip', ['-4', 'route', 'show', 'default'], { encoding: 'utf8' });
  return /^default via (\S+)/m.exec(route)?.[1] ?? null;
}

// Firefox gathers no ICE candidates at all without a default route; fail at once with the fix
// rather than after every test's ICE timeout.
export function assertDefaultRoute() {
  assertInTestNetns();
  if (!defaultGateway()) {
    throw new Error(`Firefox needs a default route in the "${NETNS.name}" namespace: ` +
      'SBNET_DEFAULT_ROUTE=1 scripts/netns.sh up (adds it to an existing namespace; make browser sets it)');
  }
}

// The IPv4 address of the namespace's veth (as seen from inside).
export function netnsAddress() {
  const a = (os.networkInterfaces()[NETNS.nsIf] || []).find((x) => x.family === 'IPv4');
  if (!a) throw new Error(`no IPv4 address on ${NETNS.nsIf}; is this process inside ${NETNS.name}?`);
  return a.address;
}

// Starts Janus with config/janus templates. netns: true (the default) requires this process to be
// inside the test namespace, binds the WS API to 127.0.0.1 there and restricts ICE to the veth.
// Other options go to scripts/janus.mjs launchJanus (rtpPortRange, adminKey, debugLevel, ...).
// Resolves to {wsUrl, adminKey, info, logs(), stop(), ...}.
export async function startJanus({ netns = true, ...opts } = {}) {
  if (netns) {
    assertInTestNetns();
    const addr = netnsAddress();
    opts = { wsIp: '127.0.0.1', iceEnforceList: NETNS.nsIf, localIp: addr, ...opts };
  }
  return launchJanus(opts);
}

// Janus WebSocket API client (janus-protocol)
// request(msg) sends one Janus API message with a fresh transaction and resolves with the first
// reply that is not an "ack" (for plugin messages that is the asynchronous "event"); it rejects on
// {janus:"error"} and on a plugin-level {error_code}. Messages without a pending transaction
// (webrtcup, media, hangup, slowlink, plugin notifications) are emitted as 'event'.
export class JanusClient extends EventEmitter {
  constructor(ws) {
    super();
    this.ws = ws;
    this.pending = new Map();
    this.sessionId = null;
    this.keepalive = null;
    ws.on('message', (data) => this.#onMessage(JSON.parse(String(data))));
    ws.on('close', () => {
      clearInterval(this.keepalive);
      for (const { reject } of this.pending.values()) reject(new Error('janus websocket closed'));
      this.pending.clear();
      this.emit('close');
    });
  }

  static connect(wsUrl) {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(wsUrl, 'janus-protocol');
      ws.once('open', () => resolve(new JanusClient(ws)));
      ws.once('error', reject);
    });
  }

  #onMessage(msg) {
    const p = msg.transaction && this.pending.get(msg.transaction);
    if (p && msg.janus !== 'ack') {
      this.pending.delete(msg.transaction);
      const data = msg.plugindata?.data;
      if (msg.janus === 'error') p.reject(Object.assign(new Error(`janus error ${msg.error?.code}: ${msg.error?.reason}`), { reply: msg }));
      else if (data && (data.error_code || data.error)) p.reject(Object.assign(new Error(`plugin error ${data.error_code}: ${data.error}`), { reply: msg }));
      else p.resolve(msg);
      return;
    }
    if (!p) this.emit('event', msg);
  }

  request(msg, timeoutMs = 10000) {
    const transaction = randomBytes(8).toString('hex');
    const full = { ...msg, transaction };
    if (this.sessionId && full.session_id === undefined && msg.janus !== 'info') full.session_id = this.sessionId;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => { this.pending.delete(transaction); reject(new Error(`janus timeout: ${JSON.stringify(msg).slice(0, 200)}`)); }, timeoutMs);
      this.pending.set(transaction, {
        resolve: (v) => { clearTimeout(timer); resolve(v); },
        reject: (e) => { clearTimeout(timer); reject(e); },
      });
      this.ws.send(JSON.stringify(full));
    });
  }

  async createSession() {
    const r = await this.request({ janus: 'create' });
    this.sessionId = r.data.id;
    this.keepalive = setInterval(() => this.request({ janus: 'keepalive' }).catch(() => {}), 20000);
    this.keepalive.unref?.();
    return this.sessionId;
  }

  async attach(plugin = 'janus.plugin.videoroom') {
    const r = await this.request({ janus: 'attach', plugin });
    return r.data.id;
  }

  // Sends a plugin message; resolves with {data: plugindata.data, jsep, reply}.
  async message(handleId, body, jsep) {
    const msg = { janus: 'message', handle_id: handleId, body };
    if (jsep) msg.jsep = jsep;
    const reply = await this.request(msg);
    return { data: reply.plugindata?.data, jsep: reply.jsep, reply };
  }

  // Resolves with the first event (no transaction) for which pred(msg) is true.
  waitEvent(pred, timeoutMs = 10000) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => { this.off('event', on); reject(new Error('janus: timed out waiting for an event')); }, timeoutMs);
      const on = (msg) => { if (pred(msg)) { clearTimeout(timer); this.off('event', on); resolve(msg); } };
      this.on('event', on);
    });
  }

  close() {
    clearInterval(this.keepalive);
    this.ws.close();
  }
}

// SDP helpers
// Every a=candidate line as {foundation, component, transport, priority, address, port, type}.
export function sdpCandidates(sdp) {
  return sdp.split(/\r?\n/).filter((l) => l.startsWith('a=candidate:')).map((l) => {
    const f = l.slice('a=candidate:'.length).split(' ');
    return { foundation: f[0], component: Number(f[1]), transport: f[2], priority: Number(f[3]), address: f[4], port: Number(f[5]), type: f[7] };
  });
}

// Every address in c= lines (session and media level).
export function sdpConnectionAddresses(sdp) {
  return sdp.split(/\r?\n/).filter((l) => l.startsWith('c=')).map((l) => l.split(' ')[2]);
}
