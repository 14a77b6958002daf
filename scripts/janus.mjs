#!/usr/bin/env node
// Renders config/janus/*.jcfg templates and runs Janus (Debian 1.1.2) with them.
//
// As a module (used by tests/support/media.mjs):
//   renderJanusConfig(opts) -> {dir, ...resolved opts}     writes the rendered configs into opts.dir
//   launchJanus(opts)       -> {proc, wsUrl, adminKey, info, dir, logFile, logs(), stop()}
//   janusInfo(wsUrl)        -> the `info` reply
// As a command (manual runs, `make demo` before switchboard starts Janus itself):
//   node scripts/janus.mjs start [--dir var/janus] [--ws-ip 127.0.0.1] [--ws-port 8188]
//        [--ice-enforce-list IF] [--local-ip IP] [--nat-mapping IP] [--rtp-port-range 20000-20999] [--admin-key K] [--debug-level 4]
//   node scripts/janus.mjs stop [--dir var/janus]
//   node scripts/janus.mjs wait [--ws-ip 127.0.0.1] [--ws-port 8188] [--pid PID] [--timeout-ms 15000]
//   node scripts/janus.mjs render --dir DIR [same options]
// `start` daemonizes Janus (pid in DIR/janus.pid, log in DIR/janus.log) and prints its WebSocket URL
// once `info` answers.
//
// Janus 1.1.2 flags used: -C <dir>/janus.jcfg -F <dir> -o (no colours) -L <log> -N (no stdout log).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync, openSync, closeSync,
} from 'node:fs';
import net from 'node:net';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const TEMPLATE_DIR = path.join(root, 'config/janus');
export const TEMPLATES = ['janus.jcfg', 'janus.transport.websockets.jcfg', 'janus.plugin.videoroom.jcfg'];
// The only modules Janus may load (the templates' disable lists say the same for system folders).
const MODULES = { plugins: ['libjanus_videoroom.so'], transports: ['libjanus_websockets.so'], events: [], loggers: [] };

// Where the Debian package (or a local build) keeps Janus's plugins/ transports/ ... folders.
export function findJanusModulesDir() {
  const candidates = [];
  if (process.env.JANUS_MODULES_DIR) candidates.push(process.env.JANUS_MODULES_DIR);
  try {
    for (const d of readdirSync('/usr/lib')) candidates.push(path.join('/usr/lib', d, 'janus'));
  } catch { /* no /usr/lib */ }
  candidates.push('/usr/lib/janus', '/usr/local/lib/janus', '/opt/janus/lib/janus');
  for (const c of candidates) {
    if (existsSync(path.join(c, 'plugins/libjanus_videoroom.so'))) return c;
  }
  throw new Error('Janus modules not found (is the Debian package `janus` installed? or set JANUS_MODULES_DIR)');
}

// True when `p` is `dir` or under it.
function isInside(dir, p) {
  const rel = path.relative(dir, path.resolve(p));
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

// A free TCP port on `host`, as seen from this process's network namespace.
export function freePort(host = '127.0.0.1') {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, host, () => { const { port } = srv.address(); srv.close(() => resolve(port)); });
  });
}

function randomRtpRange(size = 200) {
  // A block inside 20000-39999, so concurrent instances rarely share ports (libnice skips used ones).
  const blocks = Math.floor(20000 / size);
  const base = 20000 + Math.floor(Math.random() * blocks) * size;
  return `${base}-${base + size - 1}`;
}

// Fills the templates. Options: dir (created if missing; default a fresh temp dir), wsIp, wsPort,
// iceEnforceList ('' = every interface), localIp (address for the SDP; '' = auto), nat11Mapping (the
// public address of a server behind 1:1 NAT; '' = none), rtpPortRange, adminKey, sessionTimeout, debugLevel,
// modulesDir (system Janus folder), isolateModules (default true: DIR/modules with symlinks to the
// videoroom plugin and websockets transport only).
export function renderJanusConfig(opts = {}) {
  const dir = opts.dir || mkdtempSync(path.join(tmpdir(), 'sb-janus-'));
  mkdirSync(dir, { recursive: true });
  const systemModules = opts.modulesDir || findJanusModulesDir();
  let modulesDir = systemModules;
  if (opts.isolateModules !== false) {
    modulesDir = path.join(dir, 'modules');
    rmSync(modulesDir, { recursive: true, force: true });
    for (const [kind, files] of Object.entries(MODULES)) {
      mkdirSync(path.join(modulesDir, kind), { recursive: true });
      for (const f of files) symlinkSync(path.join(systemModules, kind, f), path.join(modulesDir, kind, f));
    }
  }
  const values = {
    CONFIGS_FOLDER: dir,
    MODULES_DIR: modulesDir,
    DEBUG_LEVEL: String(opts.debugLevel ?? 4),
    SESSION_TIMEOUT: String(opts.sessionTimeout ?? 60),
    RTP_PORT_RANGE: opts.rtpPortRange || randomRtpRange(),
    ICE_ENFORCE_LIST: opts.iceEnforceList ?? '',
    LOCAL_IP: opts.localIp ?? '',
    // 1:1 NAT (switchboard --write-configs fills these from publicAddress): '' = unset.
    NAT_MAPPING: opts.nat11Mapping ?? '',
    KEEP_PRIVATE_HOST: opts.nat11Mapping ? 'false' : '',
    WS_IP: opts.wsIp || '127.0.0.1',
    WS_PORT: String(opts.wsPort),
    ADMIN_KEY: opts.adminKey || randomBytes(12).toString('hex'),
  };
  if (!opts.wsPort) throw new Error('renderJanusConfig: wsPort is required');
  for (const [k, v] of Object.entries(values)) {
    if (/["\n\\]/.test(v)) throw new Error(`renderJanusConfig: bad characters in ${k}`);
  }
  for (const name of TEMPLATES) {
    const lines = readFileSync(path.join(TEMPLATE_DIR, name), 'utf8').split('\n').map((line) => {
      if (/^\s*#/.test(line)) return line;
      let allEmpty = true;
      let any = false;
      const out = line.replace(/@([A-Z_]+)@/g, (m, key) => {
        if (!(key in values)) throw new Error(`${name}: unknown placeholder ${m}`);
        any = true;
        if (values[key] !== '') allEmpty = false;
        return values[key];
      });
      // An option whose value renders empty is left unset (Janus treats "" differently from absent).
      return any && allEmpty ? `#${out}` : out;
    });
    writeFileSync(path.join(dir, name), lines.join('\n'));
  }
  return {
    dir, modulesDir, wsIp: values.WS_IP, wsPort: Number(values.WS_PORT), adminKey: values.ADMIN_KEY,
    rtpPortRange: values.RTP_PORT_RANGE, iceEnforceList: values.ICE_ENFORCE_LIST, localIp: values.LOCAL_IP,
    nat11Mapping: values.NAT_MAPPING,
  };
}

// Sends `info` (which must carry no session_id) and resolves with the reply.
export function janusInfo(wsUrl, timeoutMs = 2000) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(wsUrl, 'janus-protocol');
    const transaction = randomBytes(6).toString('hex');
    const timer = setTimeout(() => { ws.terminate(); reject(new Error('info: timeout')); }, timeoutMs);
    ws.on('error', (e) => { clearTimeout(timer); reject(e); });
    ws.on('open', () => ws.send(JSON.stringify({ janus: 'info', transaction })));
    ws.on('message', (data) => {
      const msg = JSON.parse(String(data));
      if (msg.transaction !== transaction) return;
      clearTimeout(timer);
      ws.close();
      if (msg.janus === 'server_info') resolve(msg);
      else reject(new Error(`info: unexpected reply ${JSON.stringify(msg)}`));
    });
  });
}

// Renders the config and starts Janus; resolves once `info` answers on the WebSocket.
// `wrap` prefixes the command (e.g. ['ip', 'netns', 'exec', 'sbnet']); `detached` daemonizes
// (for the CLI). The returned stop() sends SIGTERM, then SIGKILL after `killAfterMs`.
export async function launchJanus(opts = {}) {
  const wsIp = opts.wsIp || '127.0.0.1';
  const wsPort = opts.wsPort || await freePort(wsIp);
  const cfg = renderJanusConfig({ ...opts, wsIp, wsPort });
  const logFile = path.join(cfg.dir, 'janus.log');
  const bin = opts.janusBin || process.env.JANUS_BIN || 'janus';
  const args = ['-C', path.join(cfg.dir, 'janus.jcfg'), '-F', cfg.dir, '-o', '-L', logFile, '-N'];
  const wrap = opts.wrap || [];
  const cmd = [...wrap, bin, ...args];
  let stdio = ['ignore', 'pipe', 'pipe'];
  let outFd;
  if (opts.detached) { outFd = openSync(path.join(cfg.dir, 'janus.out'), 'a'); stdio = ['ignore', outFd, outFd]; }
  // Janus runs in its own directory: a core dump (kernel.core_pattern "core" is relative to the
  // working directory) lands next to its log, never in the working tree — a 153 MB core of a
  // Janus crash (docs/janus-crash.md) was once committed from the repository root.
  const cwd = isInside(root, cfg.dir) ? tmpdir() : cfg.dir;
  const proc = spawn(cmd[0], cmd.slice(1), { stdio, detached: !!opts.detached, cwd });
  if (outFd !== undefined) closeSync(outFd);
  let output = '';
  proc.stdout?.on('data', (d) => { output += d; });
  proc.stderr?.on('data', (d) => { output += d; });
  const exited = new Promise((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
  let exitedEarly = null;
  exited.then((r) => { exitedEarly = r; });
  const logs = () => {
    try { return readFileSync(logFile, 'utf8'); } catch { return output; }
  };
  const wsUrl = `ws://${wsIp.includes(':') ? `[${wsIp}]` : wsIp}:${wsPort}`;

  const deadline = Date.now() + (opts.startTimeoutMs ?? 15000);
  let info;
  for (;;) {
    if (exitedEarly) {
      throw new Error(`janus exited (${JSON.stringify(exitedEarly)}) before answering:\n${output}\n${logs().slice(-4000)}`);
    }
    try { info = await janusInfo(wsUrl, 1000); break; } catch (e) {
      if (Date.now() > deadline) {
        proc.kill('SIGKILL');
        throw new Error(`janus did not answer info on ${wsUrl}: ${e.message}\n${logs().slice(-4000)}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  if (opts.detached) proc.unref();

  let stopping;
  async function stop({ keepDir = !!process.env.SB_KEEP_JANUS } = {}) {
    if (!stopping) {
      stopping = (async () => {
        if (proc.exitCode === null && proc.signalCode === null) {
          proc.kill('SIGTERM');
          const t = setTimeout(() => proc.kill('SIGKILL'), opts.killAfterMs ?? 5000);
          await exited;
          clearTimeout(t);
        }
        // A crash's core dump is kept, with the log and configs next to it.
        const cores = cwd === cfg.dir ? readdirSync(cfg.dir).filter((f) => /^core(\.\d+)?$/.test(f)) : [];
        if (cores.length) console.error(`janus left ${cores.map((f) => path.join(cfg.dir, f)).join(', ')} (kept with its log)`);
        if (!keepDir && !opts.dir && !cores.length) rmSync(cfg.dir, { recursive: true, force: true });
      })();
    }
    return stopping;
  }
  return { proc, pid: proc.pid, wsUrl, adminKey: cfg.adminKey, info, dir: cfg.dir, logFile, config: cfg, exited, logs, stop };
}

// ---- command line ----
function parseArgs(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    const m = argv[i].match(/^--([a-z-]+)(?:=(.*))?$/);
    if (!m) throw new Error(`unexpected argument ${argv[i]}`);
    const key = m[1].replace(/-([a-z])/g, (_, c) => c.toUpperCase());
    out[key] = m[2] ?? argv[++i];
  }
  return out;
}

async function main() {
  const [cmd, ...rest] = process.argv.slice(2);
  const a = parseArgs(rest);
  const dir = path.resolve(a.dir || path.join(root, 'var/janus'));
  const pidFile = path.join(dir, 'janus.pid');
  // Inside the test namespace (scripts/netns.sh exec ...), default to its veth like the tests do.
  const nsIf = process.env.SBNET_NS_IF || 'sbveth1';
  const nsAddr = (os.networkInterfaces()[nsIf] || []).find((x) => x.family === 'IPv4')?.address;
  if (nsAddr && a.iceEnforceList === undefined) { a.iceEnforceList = nsIf; a.localIp ??= nsAddr; }
  const opts = {
    dir, wsIp: a.wsIp, wsPort: a.wsPort ? Number(a.wsPort) : undefined, iceEnforceList: a.iceEnforceList,
    localIp: a.localIp, nat11Mapping: a.natMapping,
    rtpPortRange: a.rtpPortRange, adminKey: a.adminKey, debugLevel: a.debugLevel, sessionTimeout: a.sessionTimeout,
  };
  if (cmd === 'render') {
    const cfg = renderJanusConfig({ ...opts, wsPort: opts.wsPort || 8188 });
    console.log(JSON.stringify(cfg, null, 2));
  } else if (cmd === 'start') {
    if (existsSync(pidFile)) {
      const pid = Number(readFileSync(pidFile, 'utf8'));
      try { process.kill(pid, 0); throw new Error(`janus already running (pid ${pid}); run stop first`); } catch (e) {
        if (e.code !== 'ESRCH') throw e;
      }
    }
    const j = await launchJanus({ ...opts, wsPort: opts.wsPort || 8188, detached: true });
    writeFileSync(pidFile, `${j.pid}\n`);
    writeFileSync(path.join(dir, 'admin_key'), `${j.adminKey}\n`);
    console.log(`janus ${j.info.version_string} pid ${j.pid}: ${j.wsUrl} (admin key in ${dir}/admin_key, log ${j.logFile})`);
  } else if (cmd === 'wait') {
    // For a Janus started from `switchboard --write-configs` (scripts/demo.sh): waits until
    // `info` answers, or fails when --pid exits first or after --timeout-ms.
    const wsIp = a.wsIp || '127.0.0.1';
    const wsUrl = `ws://${wsIp.includes(':') ? `[${wsIp}]` : wsIp}:${a.wsPort || 8188}`;
    const deadline = Date.now() + Number(a.timeoutMs || 15000);
    for (;;) {
      try {
        const info = await janusInfo(wsUrl, 1000);
        console.log(`janus ${info.version_string}${a.pid ? ` pid ${a.pid}` : ''}: ${wsUrl}`);
        return;
      } catch (e) {
        if (a.pid) {
          try { process.kill(Number(a.pid), 0); } catch { throw new Error(`janus (pid ${a.pid}) exited before answering on ${wsUrl}`); }
        }
        if (Date.now() > deadline) throw new Error(`janus did not answer info on ${wsUrl}: ${e.message}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  } else if (cmd === 'stop') {
    if (!existsSync(pidFile)) { console.log('janus not running (no pid file)'); return; }
    const pid = Number(readFileSync(pidFile, 'utf8'));
    try { process.kill(pid, 'SIGTERM'); } catch (e) { if (e.code !== 'ESRCH') throw e; }
    for (let i = 0; i < 50; i++) {
      try { process.kill(pid, 0); } catch { break; }
      await new Promise((r) => setTimeout(r, 100));
    }
    try { process.kill(pid, 0); process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
    rmSync(pidFile, { force: true });
    console.log(`janus (pid ${pid}) stopped`);
  } else {
    console.error('usage: node scripts/janus.mjs start|stop|render|wait [--dir DIR] [--ws-ip IP] [--ws-port N] ' +
      '[--ice-enforce-list IF] [--local-ip IP] [--nat-mapping IP] [--rtp-port-range A-B] [--admin-key K] [--debug-level N]');
    process.exit(2);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e) => { console.error(e.message); process.exit(1); });
}
