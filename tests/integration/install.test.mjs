// `make install` and docs/deploy.md (issue 11), as an operator uses them: the staged tree runs
// and serves the demo page and SDK, systemd accepts the units, and every command of the
// deployment guide either runs (in a throw-away root, tests/support/deployDoc.mjs) or is one that
// needs a booted systemd, the internet or the running service, whose unit names are checked.
// Installs the already built binary (the one SWITCHBOARD_BIN names) and web/dist: builds nothing.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync, rmSync, readlinkSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { binary, startSwitchboard } from '../support/server.mjs';
import { tempDir } from '../support/tempdir.mjs';
import {
  changedPath, classify, groupId, pendingReason, runInScratchRoot, shellCommands,
} from '../support/deployDoc.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const buildDir = path.dirname(binary);
const UNITS = ['switchboard.service', 'switchboard-janus.service', 'switchboard-coturn.service'];
const unitDir = (stage) => path.join(stage, 'usr/local/lib/systemd/system');

function makeInstall(destdir, prefix = '/usr/local') {
  const r = spawnSync('make', ['--no-print-directory', 'install', `DESTDIR=${destdir}`, `PREFIX=${prefix}`, `BUILD=${buildDir}`],
    { cwd: root, encoding: 'utf8' });
  assert.equal(r.status, 0, `make install failed:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

// systemd-analyze verify of units as they lie in a staging tree: in a private mount namespace
// whose /usr/local is the staged one, so the paths the units name resolve as after a real install.
function verifyUnits(stage, files) {
  const r = spawnSync('unshare', ['--mount', '--propagation', 'private', 'sh', '-c',
    `mount --bind "$0/usr/local" /usr/local && exec systemd-analyze verify --man=no "$@"`, stage, ...files],
  { encoding: 'utf8' });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

// The units a systemctl or journalctl command (or certbot's --deploy-hook) names.
function unitsNamed(command) {
  const names = [];
  for (const [, args] of command.matchAll(/systemctl (?:start|stop|restart|reload|status|enable) ([^"]+)/g)) {
    names.push(...args.trim().split(/\s+/).filter((a) => !a.startsWith('-')));
  }
  if (/^(sudo )?journalctl /.test(command)) names.push(...[...command.matchAll(/-u (\S+)/g)].map((m) => m[1]));
  return names.map((n) => (n.endsWith('.service') ? n : `${n}.service`));
}

let stage;
before(() => {
  assert.ok(existsSync(binary), `${binary} is not built (make build)`);
  assert.ok(existsSync(path.join(root, 'web/dist/switchboard.wasm')), 'web/dist is not built (make wasm)');
  stage = tempDir('sb-install-');
  makeInstall(stage);
});

test('make install DESTDIR=… PREFIX=/usr/local lays out binary, web root, configs, units and docs', () => {
  const usr = path.join(stage, 'usr/local');
  const bin = path.join(usr, 'bin/switchboard');
  assert.ok(statSync(bin).mode & 0o111, 'the binary is executable');
  const help = spawnSync(bin, ['--help'], { encoding: 'utf8' });
  assert.equal(help.status, 0, help.stderr);
  assert.match(help.stdout, /usage: switchboard/);

  const web = path.join(usr, 'share/switchboard/web');
  for (const f of ['index.html', 'demo/index.html', 'demo/demo.js', 'demo/demo.css', 'dist/index.js', 'types/index.d.ts']) {
    assert.ok(existsSync(path.join(web, f)), `share/switchboard/web/${f}`);
  }
  assert.ok(WebAssembly.validate(readFileSync(path.join(web, 'dist/switchboard.wasm'))), 'the SDK wasm is valid');
  // Every module the demo page imports is installed next to it.
  const demo = readFileSync(path.join(web, 'demo/demo.js'), 'utf8');
  for (const [, spec] of demo.matchAll(/from '(\.[^']+)'/g)) assert.ok(existsSync(path.join(web, 'demo', spec)), spec);

  const configs = path.join(usr, 'share/switchboard/config');
  const example = JSON.parse(readFileSync(path.join(configs, 'switchboard.example.json'), 'utf8'));
  assert.ok(example.accounts, 'switchboard.example.json');
  const text = readFileSync(path.join(configs, 'switchboard.production.json'), 'utf8');
  const production = JSON.parse(text);
  assert.equal(production.webRoot, '/usr/local/share/switchboard/web');
  assert.equal(production.dataDir, '/var/lib/switchboard');
  assert.equal(production.demoAccountId, undefined, 'no demo routes in production');
  assert.ok(!production.accounts.some((a) => a.password === 'demo-password'), 'no demo account');
  for (const k of ['tls', 'adminHttp', 'publicAddress', 'mediaPorts', 'turn']) assert.ok(k in production, k);
  assert.match(text, /CHANGE-ME/, 'the values to replace are marked');
  for (const f of ['janus.jcfg', 'janus.transport.websockets.jcfg', 'janus.plugin.videoroom.jcfg']) {
    assert.equal(readFileSync(path.join(configs, 'janus', f), 'utf8'), readFileSync(path.join(root, 'config/janus', f), 'utf8'));
  }

  for (const u of UNITS) {
    const unit = readFileSync(path.join(unitDir(stage), u), 'utf8');
    assert.doesNotMatch(unit, /@[A-Z_]+@/, `${u}: every placeholder filled`);
    assert.match(unit, /\/usr\/local\/bin\/switchboard --config \/etc\/switchboard\/switchboard\.json/, u);
  }
  assert.match(readFileSync(path.join(unitDir(stage), 'switchboard.service'), 'utf8'), /^ExecReload=\/bin\/kill -HUP \$MAINPID$/m);
  assert.match(readFileSync(path.join(usr, 'lib/sysusers.d/switchboard.conf'), 'utf8'), /^u switchboard /m);
  assert.equal(readFileSync(path.join(usr, 'share/doc/switchboard/LICENSE'), 'utf8'), readFileSync(path.join(root, 'LICENSE'), 'utf8'));
  assert.ok(existsSync(path.join(usr, 'share/doc/switchboard/deploy.md')));
});

test('the installed binary serves the installed web root: demo page and SDK', async () => {
  const usr = path.join(stage, 'usr/local');
  const sb = await startSwitchboard({
    bin: path.join(usr, 'bin/switchboard'), config: { store: 'memory', webRoot: path.join(usr, 'share/switchboard/web') },
  });
  try {
    const page = await fetch(`${sb.base}/demo/`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /demo\.js/);
    const wasm = await fetch(`${sb.base}/dist/switchboard.wasm`);
    assert.equal(wasm.status, 200);
    assert.ok(WebAssembly.validate(new Uint8Array(await wasm.arrayBuffer())));
  } finally {
    await sb.stop();
    sb.cleanup();
  }
});

test('another PREFIX moves the paths the units and the production config name', () => {
  const other = tempDir('sb-install-opt-');
  makeInstall(other, '/opt/switchboard');
  const unit = readFileSync(path.join(other, 'opt/switchboard/lib/systemd/system/switchboard.service'), 'utf8');
  assert.match(unit, /^ExecStart=\/opt\/switchboard\/bin\/switchboard /m);
  const production = JSON.parse(readFileSync(path.join(other, 'opt/switchboard/share/switchboard/config/switchboard.production.json'), 'utf8'));
  assert.equal(production.webRoot, '/opt/switchboard/share/switchboard/web');
});

test('systemd-analyze verify accepts the three units, and refuses a broken one', () => {
  const units = UNITS.map((u) => `/usr/local/lib/systemd/system/${u}`);
  const ok = verifyUnits(stage, units);
  assert.equal(ok.status, 0, ok.output);
  assert.equal(ok.output.trim(), '', 'no warnings either');

  // The check can fail: a misspelt value (only a warning for systemd, a failure here) and a
  // binary that is not where the unit says.
  const broken = tempDir('sb-install-broken-');
  makeInstall(broken);
  const dir = unitDir(broken);
  const text = readFileSync(path.join(dir, 'switchboard.service'), 'utf8');
  writeFileSync(path.join(dir, 'switchboard.service'), text.replace('ProtectHome=yes', 'ProtectHome=yess'));
  const warned = verifyUnits(broken, [units[0]]);
  assert.match(warned.output, /switchboard\.service:\d+: .*yess/);
  rmSync(path.join(broken, 'usr/local/bin/switchboard'));
  const missing = verifyUnits(broken, [units[1]]);
  assert.notEqual(missing.status, 0);
  assert.match(missing.output, /switchboard is not executable/);
});

test('every command of docs/deploy.md runs on a scratch root, or names units that exist', (t) => {
  const commands = shellCommands(readFileSync(path.join(root, 'docs/deploy.md'), 'utf8'));
  assert.ok(commands.length > 20, 'the guide has its commands in ```sh blocks');
  const installed = new Set(readdirSync(unitDir(stage)));
  const production = JSON.parse(readFileSync(path.join(root, 'config/switchboard.production.json'), 'utf8'));
  const toRun = [];
  for (const c of commands) {
    const k = classify(c);
    if (k.kind === 'run') { toRun.push(c); continue; }
    if (k.kind === 'make-test') continue;
    // Not run here: the units it names are installed, the one it reloads can reload, the URL
    // it fetches is the production example's admin listener.
    for (const unit of unitsNamed(c)) assert.ok(installed.has(unit), `${c}: ${unit} is installed`);
    for (const [, unit] of c.matchAll(/systemctl reload (\S+?)(?:\.service)?\b/g)) {
      assert.match(readFileSync(path.join(unitDir(stage), `${unit}.service`), 'utf8'), /^ExecReload=/m, c);
    }
    const url = c.match(/^curl .*http:\/\/([^/]+)\//);
    if (url) assert.equal(url[1], production.adminHttp, `${c}: the admin listener of the production example`);
    t.diagnostic(`not run (${k.why}): ${c}`);
  }
  assert.ok(toRun.some((c) => c === 'sudo make install'));

  // In certbot's place: a self-signed certificate for the example name, laid out as certbot does
  // (files in archive/, symbolic links in live/, the key readable by root only).
  const live = '/etc/letsencrypt/live/sb.example.com';
  const archive = '/etc/letsencrypt/archive/sb.example.com';
  const setup = `mkdir -p ${live} ${archive} && openssl req -x509 -newkey rsa:2048 -nodes -days 90 -subj /CN=sb.example.com ` +
    `-keyout ${archive}/privkey1.pem -out ${archive}/fullchain1.pem 2>/dev/null && chmod 600 ${archive}/privkey1.pem && ` +
    `ln -s ../../archive/sb.example.com/privkey1.pem ${live}/privkey.pem && ` +
    `ln -s ../../archive/sb.example.com/fullchain1.pem ${live}/fullchain.pem`;
  const work = tempDir('sb-deploy-');
  let results;
  try {
    results = runInScratchRoot({ work, commands: toRun, cwd: root, env: { BUILD: buildDir }, setup });
  } catch (e) {
    if (/cannot make the scratch root/.test(e.message)) { t.skip(e.message); return; }
    throw e;
  }
  for (const r of results) {
    if (r.status !== 0) {
      const pending = pendingReason(r.output);
      if (pending) { t.diagnostic(`skipped, needs ${pending}: ${r.command}`); continue; }
    }
    assert.equal(r.status, 0, `${r.command}\n${r.output}`);
    if (r.command.startsWith('systemd-analyze verify')) assert.equal(r.output.trim(), '', `${r.command}\n${r.output}`);
  }

  // What the commands left on the scratch root.
  const config = changedPath(work, '/etc/switchboard/switchboard.json');
  const st = statSync(config);
  assert.equal(st.mode & 0o777, 0o640);
  assert.equal(st.gid, groupId(work, 'switchboard'), 'readable by the group switchboard (systemd-sysusers made it)');
  const written = JSON.parse(readFileSync(config, 'utf8'));
  const values = JSON.stringify(written, (k, v) => (k.startsWith('_') ? undefined : v));
  assert.doesNotMatch(values, /CHANGE-ME/, 'every marked value was replaced');
  assert.match(written.janusAdminKey, /^[0-9a-f]{48}$/);
  assert.match(written.turn.secret, /^[0-9a-f]{64}$/);
  for (const u of UNITS) {
    const link = changedPath(work, `/etc/systemd/system/multi-user.target.wants/${u}`);
    assert.equal(readlinkSync(link), `/usr/local/lib/systemd/system/${u}`, `${u} enabled`);
  }
  assert.ok(statSync(changedPath(work, `${archive}/privkey1.pem`)).mode & 0o040, 'the key is group-readable');
});
