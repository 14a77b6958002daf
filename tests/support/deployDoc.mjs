// The shell commands of docs/deploy.md, and a throw-away "server" to run them on: a private mount
// and network namespace (unshare) whose /etc, /usr/local and /var are overlays of this machine's,
// discarded with the test's temporary folder. Used by tests/integration/install.test.mjs.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';

// Commands the namespace cannot run, with why; the test checks what they name instead.
export const NOT_RUN_HERE = [
  [/^(sudo )?systemctl (daemon-reload|start|stop|restart|reload|status)\b/, 'needs systemd running as PID 1'],
  [/^(sudo )?journalctl\b/, 'needs the journal of running services'],
  [/^(sudo )?certbot\b/, 'needs the internet (the test puts a self-signed certificate where certbot would)'],
  [/^curl\b/, 'needs the running service'],
  [/^git pull\b/, 'needs the network'],
];
// The build commands, which `make test` runs before any test (deps-test, build, wasm).
export const RUN_BY_MAKE_TEST = /^make (deps|build|wasm)( (build|wasm))*$/;

// Flags and config keys that other issue-11 branches add; a line failing only for want of them is
// reported as skipped, naming it, instead of failing.
export const PENDING_FLAGS = ['--check-config', '--write-configs', '--print-firewall'];
export const PENDING_KEYS = ['tls', 'adminHttp', 'publicAddress', 'mediaPorts', 'turn'];

// Every ```sh block of the Markdown file, as commands (continuation lines joined, comments and
// blank lines dropped), in order.
export function shellCommands(markdown) {
  const commands = [];
  const blocks = markdown.matchAll(/^```sh\n([\s\S]*?)^```$/gm);
  for (const [, body] of blocks) {
    let pending = '';
    for (const raw of body.split('\n')) {
      const line = raw.trimEnd();
      if (!pending && (line.trim() === '' || line.trim().startsWith('#'))) continue;
      if (line.endsWith('\\')) { pending += line.slice(0, -1); continue; }
      commands.push((pending + line).trim());
      pending = '';
    }
  }
  return commands;
}

export function classify(command) {
  if (RUN_BY_MAKE_TEST.test(command)) return { kind: 'make-test' };
  for (const [re, why] of NOT_RUN_HERE) if (re.test(command)) return { kind: 'not-run', why };
  return { kind: 'run' };
}

// Why a failed command failed for want of another branch's flag or key, or null.
export function pendingReason(output) {
  const flag = output.match(/unknown argument (--[a-z-]+)/);
  if (flag && PENDING_FLAGS.includes(flag[1])) return `${flag[1]} (another issue-11 branch adds it)`;
  const key = output.match(/config: ([A-Za-z]+): unknown key/);
  if (key && PENDING_KEYS.includes(key[1])) return `config key ${key[1]} (another issue-11 branch adds it)`;
  return null;
}

// Runs `commands` one after the other in one bash (variables carry over) inside the namespace,
// as root, from `cwd`. `setup` is shell run first (fixtures). Returns [{command, status, output}].
export function runInScratchRoot({ work, commands, cwd, env = {}, setup = '' }) {
  const shim = path.join(work, 'shim');
  mkdirSync(shim, { recursive: true });
  // The test is root: `sudo CMD` is CMD, `sudo -u USER CMD` is runuser (util-linux).
  writeFileSync(path.join(shim, 'sudo'),
    '#!/bin/sh\nif [ "$1" = -u ]; then u=$2; shift 2; exec runuser -u "$u" -- "$@"; fi\nexec "$@"\n');
  chmodSync(path.join(shim, 'sudo'), 0o755);
  const mark = `@@${randomBytes(6).toString('hex')}`;
  const lines = ['set -u', 'exec 2>&1'];
  for (const dir of ['/etc', '/usr/local', '/var']) {
    const o = path.join(work, 'overlay', dir.slice(1).replace('/', '-'));
    mkdirSync(path.join(o, 'upper'), { recursive: true });
    mkdirSync(path.join(o, 'work'), { recursive: true });
    lines.push(`mount -t overlay overlay -o lowerdir=${dir},upperdir=${o}/upper,workdir=${o}/work ${dir} || exit 97`);
  }
  lines.push(`export PATH=${shim}:$PATH`);
  for (const [k, v] of Object.entries(env)) lines.push(`export ${k}='${v}'`);
  lines.push(setup, `cd '${cwd}'`);
  commands.forEach((c, i) => lines.push(`echo '${mark} begin ${i}'`, c, `echo "${mark} end ${i} $?"`));
  const script = path.join(work, 'deploy-commands.sh');
  writeFileSync(script, lines.join('\n') + '\n');
  const r = spawnSync('unshare', ['--mount', '--net', '--propagation', 'private', 'bash', script], {
    encoding: 'utf8', timeout: 300000,
  });
  if (r.status === 97 || r.error) throw new Error(`cannot make the scratch root: ${r.error?.message ?? r.stdout}`);
  const results = [];
  const re = new RegExp(`${mark} begin (\\d+)\\n([\\s\\S]*?)${mark} end \\1 (\\d+)`, 'g');
  for (const m of r.stdout.matchAll(re)) {
    results.push({ command: commands[Number(m[1])], status: Number(m[3]), output: m[2] });
  }
  if (results.length !== commands.length) {
    throw new Error(`ran ${results.length} of ${commands.length} commands:\n${r.stdout}\n${r.stderr}`);
  }
  return results;
}

// The upper layer of an overlaid folder: what the commands changed there.
export function changedPath(work, file) {
  const top = ['/etc', '/usr/local', '/var'].find((d) => file === d || file.startsWith(`${d}/`));
  const o = path.join(work, 'overlay', top.slice(1).replace('/', '-'), 'upper');
  return path.join(o, file.slice(top.length));
}

// The id of a group in the scratch root's /etc/group.
export function groupId(work, name) {
  const line = readFileSync(changedPath(work, '/etc/group'), 'utf8').split('\n').find((l) => l.startsWith(`${name}:`));
  return line ? Number(line.split(':')[2]) : undefined;
}
