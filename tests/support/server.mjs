// Starts the built `switchboard` binary on a free loopback port with a temporary data dir.
// Used by the integration, compatibility and browser tests and by the benchmarks.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

// Absolute: the server runs in its data directory, so a relative SWITCHBOARD_BIN (the Makefile's
// build-asan/switchboard) is resolved against the directory the tests started in.
export const binary = path.resolve(process.env.SWITCHBOARD_BIN || path.join(root, 'build/switchboard'));

export const ACCOUNT = { id: '9900000', username: 'test-user', password: 'test-password-1' };
export const OTHER_ACCOUNT = { id: '9900001', username: 'other-user', password: 'other-password-1' };

// For the accounts of tests whose voice callbacks go to a server on this machine: loopback is
// refused to callbacks unless the account allows it (docs/security.md, "Outbound requests").
export const LOOPBACK_CALLBACKS = ['127.0.0.1', '::1'];

export function basicAuth(account = ACCOUNT) {
  return 'Basic ' + Buffer.from(`${account.username}:${account.password}`).toString('base64');
}

// Starts switchboard. `config` is merged over a default test config; `dataDir` reuses a data
// directory (for restart tests). Resolves once the server prints its listening line.
export async function startSwitchboard({ config = {}, dataDir, args = [], bin = binary } = {}) {
  const dir = dataDir || mkdtempSync(path.join(tmpdir(), 'sb-data-'));
  const cfg = {
    accounts: [ACCOUNT, OTHER_ACCOUNT],
    logLevel: 'info',
    threads: 2,
    // A free port: servers of tests running in parallel must not fight over the default 9090.
    adminHttp: '127.0.0.1:0',
    ...config,
  };
  const cfgPath = path.join(dir, 'test-config.json');
  writeFileSync(cfgPath, JSON.stringify(cfg));
  // Run in the data dir: a core dump of a crash lands there, not in the working tree.
  const proc = spawn(path.resolve(bin), ['--config', cfgPath, '--http', '127.0.0.1:0', '--data-dir', dir, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'], cwd: dir,
  });
  let stdout = '';
  let stderr = '';
  proc.stderr.on('data', (d) => { stderr += d; });
  const { scheme, port } = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`switchboard did not start:\n${stderr}`)), 10000);
    proc.stdout.on('data', (d) => {
      stdout += d;
      const m = stdout.match(/listening on (https?):\/\/[^:]+:(\d+)/);
      if (m) { clearTimeout(timer); resolve({ scheme: m[1], port: Number(m[2]) }); }
    });
    proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`switchboard exited with ${code}:\n${stderr}`)); });
    // A missing or non-executable binary: fail at once instead of waiting for the timeout.
    proc.on('error', (err) => { clearTimeout(timer); reject(new Error(`cannot start ${bin}: ${err.message}`)); });
  }).catch((err) => {
    // Leave nothing behind: no half-started process, no temporary data dir.
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
    if (!dataDir) rmSync(dir, { recursive: true, force: true });
    throw err;
  });
  const exited = new Promise((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
  const base = `${scheme}://127.0.0.1:${port}`;
  // The admin listener (/metrics) and the HTTP to HTTPS redirect: printed before the listening
  // line, when configured.
  const adminPort = Number(stdout.match(/admin on http:\/\/[^:]+:(\d+)/)?.[1]) || null;
  const redirectPort = Number(stdout.match(/redirecting http:\/\/[^:]+:(\d+)/)?.[1]) || null;
  return {
    proc, port, base, dataDir: dir, exited, adminPort, redirectPort,
    adminBase: adminPort ? `http://127.0.0.1:${adminPort}` : null,
    logs: () => stderr,
    stdout: () => stdout,
    // The SIP port, when started with sipListen (switchboard prints it after the HTTP line).
    async sipPort() {
      for (let i = 0; i < 100; i++) {
        const m = stdout.match(/sip on [^:]+:(\d+)/);
        if (m) return Number(m[1]);
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`no sip line on stdout:\n${stdout}\n${stderr}`);
    },
    api: (account = ACCOUNT) => `${base}/v1/accounts/${account.id}`,
    // Sends SIGTERM and waits for exit.
    async stop() { if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM'); return exited; },
    // Sends SIGKILL and waits: nothing gets a chance to flush.
    async kill() { if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL'); return exited; },
    cleanup() { if (!dataDir) rmSync(dir, { recursive: true, force: true }); },
  };
}

// fetch with Basic auth and JSON; returns {status, headers, body (parsed JSON or text or null)}.
export async function call(url, { method = 'GET', body, account = ACCOUNT, headers = {}, raw } = {}) {
  const h = { ...headers };
  if (account) h.authorization = basicAuth(account);
  let payload;
  if (raw !== undefined) payload = raw;
  else if (body !== undefined) { payload = JSON.stringify(body); h['content-type'] = 'application/json'; }
  const res = await fetch(url, { method, headers: h, body: payload });
  const text = await res.text();
  let parsed = null;
  if (text) { try { parsed = JSON.parse(text); } catch { parsed = text; } }
  return { status: res.status, headers: res.headers, body: parsed };
}
