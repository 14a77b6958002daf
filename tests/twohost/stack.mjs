// The whole two-host stack for tests/twohost/ and bench/turn/: on the server (this process's
// namespace) Janus, coturn and switchboard serving HTTPS/WSS on the server's address; on the laptop
// Chromium trusting a test CA. Helpers create participants through the REST API (over HTTPS with
// the same CA) and open devices that run our SDK in a page loaded from the server.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { freePort, janusInfo, launchJanus } from '../../scripts/janus.mjs';
import { root, until } from '../support/browser.mjs';
import { startCoturn } from '../support/coturn.mjs';
import { ACCOUNT, basicAuth, binary, startSwitchboard } from '../support/server.mjs';
import { tempDir } from '../support/tempdir.mjs';
import { TWOHOST, assertInServerNs, launchLaptopChromium, makeBrowserHome, makeTestCa } from './topology.mjs';

export { until };

// Fixed, small ranges: the firewall and the assertions know exactly which ports media uses.
export const MEDIA_PORTS = process.env.SBTWO_MEDIA_PORTS || '20000-20199';
export const TURN_PORT = Number(process.env.SBTWO_TURN_PORT || 3478);
export const RELAY_PORTS = process.env.SBTWO_RELAY_PORTS || '49152-49351';
export const inRange = (port, range) => {
  const [lo, hi] = range.split('-').map(Number);
  return port >= lo && port <= hi;
};

// Whether the binary knows publicAddress/mediaPorts (and so --write-configs): the config parser
// names every key it accepts as a string literal in the binary.
export function hasMediaPorts() {
  return readFileSync(binary).includes(Buffer.from('mediaPorts'));
}

// A web root served by switchboard itself: the test page and the SDK build, so that the page's
// origin is the server's https:// address (the same origin as the API and the WebSocket).
function makeWebRoot(dir) {
  mkdirSync(dir, { recursive: true });
  symlinkSync(path.join(root, 'tests/browser/pages/sdk.html'), path.join(dir, 'sdk.html'));
  symlinkSync(path.join(root, 'web/dist'), path.join(dir, 'dist'));
  return dir;
}

// Starts everything; stop() stops it all, in reverse order.
export async function startTwoHostStack({ logLevel = process.env.SB_LOG || 'info' } = {}) {
  assertInServerNs();
  const have = { nat: hasMediaPorts() };
  const work = tempDir('sb-twohost-');
  const ca = makeTestCa(path.join(work, 'ca'));
  const home = makeBrowserHome(path.join(work, 'home'), ca.caCert);
  const stack = { have, work, ca, home, stoppers: [] };
  const stop = async () => {
    for (const fn of stack.stoppers.reverse()) await fn().catch(() => {});
    stack.stoppers = [];
  };
  try {
    const janus = await startServerJanus(have, work);
    stack.janus = janus;
    stack.stoppers.push(() => janus.stop());

    const secret = 'twohost-turn-secret-' + Math.random().toString(36).slice(2);
    const config = {
      janusUrl: janus.wsUrl, logLevel, ...janus.switchboardConfig,
      webRoot: makeWebRoot(path.join(work, 'www')),
      // In the file as well as on the command line (startSwitchboard passes --http): the TURN
      // URLs devices get are derived from the address of the config file.
      http: `${TWOHOST.serverAddr}:0`,
    };
    config.tls = { certFile: ca.cert, keyFile: ca.key };
    config.turn = {
      secret, listen: `${TWOHOST.serverAddr}:${TURN_PORT}`, relayPorts: RELAY_PORTS, credentialLifetimeSeconds: 600,
    };
    stack.turnConfig = config.turn;
    stack.coturn = await startCoturn({ config });
    stack.stoppers.push(() => stack.coturn.stop());
    stack.config = config;
    const sb = await startSwitchboard({ config, args: ['--http', `${TWOHOST.serverAddr}:0`] });
    stack.sb = sb;
    stack.stoppers.push(async () => { await sb.stop(); sb.cleanup(); });
    stack.origin = `https://${TWOHOST.serverAddr}:${sb.port}`;

    const browser = await launchLaptopChromium({ home, workDir: work });
    stack.browser = browser;
    stack.stoppers.push(() => browser.close());
  } catch (e) {
    await stop();
    throw e;
  }

  // REST call to switchboard over HTTPS, trusting only the test CA.
  stack.call = (method, apiPath, body) => new Promise((resolve, reject) => {
    const url = new URL(`${stack.origin}/v1/accounts/${ACCOUNT.id}${apiPath}`);
    const payload = body === undefined ? '' : JSON.stringify(body);
    const headers = { authorization: basicAuth(ACCOUNT), 'content-length': Buffer.byteLength(payload) };
    if (payload) headers['content-type'] = 'application/json';
    const req = https.request(url, { method, headers, ca: ca.caPem, timeout: 10000 }, (res) => {
      let text = '';
      res.on('data', (d) => { text += d; });
      res.on('end', () => resolve({ status: res.statusCode, body: text ? JSON.parse(text) : null }));
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${apiPath}: timeout`)));
    req.on('error', reject);
    req.end(payload);
  });

  stack.session = async () => (await stack.call('POST', '/sessions', {})).body.id;
  stack.participant = async (sessionId) => {
    const r = await stack.call('POST', '/participants', { publishPermissions: ['AUDIO'] });
    if (r.status !== 200) throw new Error(`createParticipant: ${r.status} ${JSON.stringify(r.body)}`);
    const put = await stack.call('PUT', `/sessions/${sessionId}/participants/${r.body.participant.id}`, { sessionId });
    if (put.status !== 204) throw new Error(`addParticipant: ${put.status}`);
    return { id: r.body.participant.id, token: r.body.token };
  };

  // A page on the laptop, loaded from the server, connected with our SDK. `options` go to
  // connect() (iceTransportPolicy, iceServers, ...); the WebSocket URL is the SDK's default, which
  // follows the page: wss:// on the server's address.
  stack.device = async (token, options = {}) => {
    const page = await stack.browser.newTestPage();
    await page.goto(`${stack.origin}/sdk.html?sdk=switchboard`);
    await page.waitForFunction(() => window.sdkReady);
    const result = await page.evaluate(([t, o]) => window.rtcConnect(t, undefined, o), [token, options]);
    page.connectResult = result;
    return page;
  };

  // Waits until `page` hears `participantId` (audio packets with energy); returns the stream event.
  stack.hears = async (page, participantId, { timeout = 15000 } = {}) => {
    let found;
    await until(async () => {
      const live = new Map();
      for (const e of await page.evaluate(() => window.__events)) {
        if (e.type === 'streamAvailable') live.set(e.endpointId, e);
        if (e.type === 'streamUnavailable') live.delete(e.endpointId);
      }
      found = [...live.values()].find((e) => e.participantId === participantId);
      if (!found) return false;
      const s = await page.evaluate((id) => window.streamStats(id), found.endpointId);
      return s && s.audio.packets > 0 && s.audio.energy > 0;
    }, { timeout, what: `audio from ${participantId}` });
    return found;
  };

  // Restarts coturn with another secret than switchboard's: every credential switchboard mints is
  // then wrong for it (the TURN server answers 401 to every Allocate).
  stack.restartTurnWithSecret = async (otherSecret) => {
    await stack.coturn.stop();
    stack.coturn = await startCoturn({ config: { ...stack.config, turn: { ...stack.turnConfig, secret: otherSecret } } });
  };

  stack.stop = stop;
  return stack;
}

// Janus on the server, answering switchboard on 127.0.0.1, gathering only on the server's veth,
// RTP in MEDIA_PORTS. With publicAddress/mediaPorts in the tree, it runs as production runs it:
// its configs written by `switchboard --write-configs DIR` from switchboard's own config, then
// `janus -C DIR/janus.jcfg -F DIR`. Otherwise from the templates by scripts/janus.mjs.
export async function startServerJanus(have, work) {
  const wsPort = await freePort('127.0.0.1');
  if (!have.nat) {
    const j = await launchJanus({
      wsIp: '127.0.0.1', wsPort, iceEnforceList: TWOHOST.serverIf, localIp: TWOHOST.serverAddr, rtpPortRange: MEDIA_PORTS,
    });
    return Object.assign(j, { switchboardConfig: { janusAdminKey: j.adminKey } });
  }
  const dir = path.join(work, 'janus');
  mkdirSync(dir, { recursive: true });
  const switchboardConfig = {
    publicAddress: TWOHOST.serverAddr, mediaPorts: MEDIA_PORTS, mediaInterfaces: [TWOHOST.serverIf],
    janusAdminKeyFile: path.join(dir, 'admin_key'),
  };
  const cfgFile = path.join(work, 'write-configs.json');
  writeFileSync(cfgFile, JSON.stringify({ janusUrl: `ws://127.0.0.1:${wsPort}`, ...switchboardConfig }));
  execFileSync(binary, ['--config', cfgFile, '--write-configs', dir], { stdio: 'pipe' });
  const log = path.join(dir, 'janus.log');
  // Its working directory is its own folder: a core dump lands there, not in the tree.
  const proc = spawn('janus', ['-C', path.join(dir, 'janus.jcfg'), '-F', dir, '-o', '-L', log, '-N'], { cwd: dir, stdio: 'ignore' });
  const exited = new Promise((resolve) => proc.on('exit', resolve));
  const wsUrl = `ws://127.0.0.1:${wsPort}`;
  const stop = async () => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
    const t = setTimeout(() => proc.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(t);
  };
  try {
    await until(() => proc.exitCode === null && janusInfo(wsUrl, 1000), { timeout: 15000, what: `janus on ${wsUrl}` });
  } catch (e) {
    await stop();
    throw new Error(`${e.message}\n${existsSync(log) ? readFileSync(log, 'utf8').slice(-3000) : ''}`);
  }
  return { wsUrl, dir, logs: () => readFileSync(log, 'utf8'), stop, switchboardConfig };
}

// The selected ICE candidate pair of each of the page's peer connections, with what a relayed
// candidate adds: relayProtocol (udp|tcp|tls, the transport between browser and TURN server) and
// url (which ICE server it came from).
export function selectedPairs(page) {
  return page.evaluate(async () => {
    const out = [];
    for (const pc of window.__pcs || []) {
      if (pc.connectionState === 'closed') continue;
      const stats = await pc.getStats();
      const byId = {};
      stats.forEach((s) => { byId[s.id] = s; });
      let pair;
      stats.forEach((s) => { if (s.type === 'transport' && s.selectedCandidatePairId) pair = byId[s.selectedCandidatePairId]; });
      const pick = (c) => c && {
        address: c.address, port: c.port, candidateType: c.candidateType, protocol: c.protocol,
        relayProtocol: c.relayProtocol, url: c.url,
      };
      out.push({
        state: pc.connectionState, iceTransportPolicy: pc.getConfiguration().iceTransportPolicy,
        local: pick(pair && byId[pair.localCandidateId]), remote: pick(pair && byId[pair.remoteCandidateId]),
        currentRoundTripTime: pair?.currentRoundTripTime,
      });
    }
    return out;
  });
}
