// Starts coturn for a test with the turnserver.conf that switchboard renders from its own config
// (`switchboard --config FILE --print-turnserver-conf`, a flag left out of --help for this use), so
// the test exercises the same file `--write-configs` installs. coturn runs where the test runs: on
// loopback for the integration tests, inside the test namespace for the browser tests.
import { spawn, execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import dgram from 'node:dgram';
import net from 'node:net';
import path from 'node:path';
import { binary } from './server.mjs';
import { tempDir } from './tempdir.mjs';
import { stunBinding } from './turn-client.mjs';

// A port free for both TCP and UDP on `host` (coturn listens on both).
export async function freeTurnPort(host = '127.0.0.1') {
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = await new Promise((resolve, reject) => {
      const server = net.createServer().listen(0, host, () => {
        const p = server.address().port;
        server.close(() => resolve(p));
      }).on('error', reject);
    });
    const udpFree = await new Promise((resolve) => {
      const s = dgram.createSocket('udp4');
      s.once('error', () => resolve(false));
      s.bind(port, host, () => s.close(() => resolve(true)));
    });
    if (udpFree) return port;
  }
  throw new Error(`no port free for TCP and UDP on ${host}`);
}

// A `turn` config object for coturn on host:port with a relay range of its own.
export function turnSection({ host = '127.0.0.1', port, secret = 'test-turn-secret-0123456789', urls } = {}) {
  const first = 40000 + 100 * Math.floor(Math.random() * 90);
  return {
    secret,
    listen: `${host}:${port}`,
    relayPorts: `${first}-${first + 99}`,
    credentialLifetimeSeconds: 600,
    ...(urls ? { urls } : {}),
  };
}

// The turnserver.conf switchboard renders from `config` (a switchboard config object with `turn`).
export function renderTurnserverConf(config, bin = binary) {
  const dir = tempDir('sb-coturn-conf-');
  const file = path.join(dir, 'switchboard.json');
  writeFileSync(file, JSON.stringify(config));
  return execFileSync(bin, ['--config', file, '--print-turnserver-conf'], { encoding: 'utf8' });
}

// Starts `turnserver -c FILE` with the conf rendered from `config`; resolves once it answers a
// STUN Binding request on the listen address. Returns {host, port, conf, logs(), stop()}.
export async function startCoturn({ config }) {
  const [host, portText] = [config.turn.listen.slice(0, config.turn.listen.lastIndexOf(':')),
    config.turn.listen.slice(config.turn.listen.lastIndexOf(':') + 1)];
  const port = Number(portText);
  const dir = tempDir('sb-coturn-');
  const conf = renderTurnserverConf(config);
  const confFile = path.join(dir, 'turnserver.conf');
  writeFileSync(confFile, conf);
  // Its own pid file and (empty) user database: several tests may run coturn at once, and with
  // use-auth-secret the database holds nothing.
  const proc = spawn('turnserver', ['-c', confFile, '--pidfile', path.join(dir, 'turnserver.pid'), '--db', path.join(dir, 'turndb')],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  proc.stdout.on('data', (d) => { output += d; });
  proc.stderr.on('data', (d) => { output += d; });
  const exited = new Promise((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
  let spawnError = null;
  proc.on('error', (e) => { spawnError = e; });
  const stop = async () => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  };
  const deadline = Date.now() + 10000;
  for (;;) {
    if (spawnError) throw new Error(`cannot start turnserver (apt-get install coturn): ${spawnError.message}`);
    if (proc.exitCode !== null) throw new Error(`turnserver exited with ${proc.exitCode}:\n${output}`);
    try {
      await stunBinding(host, port, 300);
      break;
    } catch (e) {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`turnserver does not answer on ${host}:${port}:\n${output}`);
      }
    }
  }
  return { host, port, conf, logs: () => output, stop };
}
