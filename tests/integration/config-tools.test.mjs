// The configuration tools of the switchboard binary (issue 11): --check-config FILE lists every
// problem of a config, --write-configs DIR writes Janus's configs from the same templates as
// scripts/janus.mjs, --print-firewall prints the ports to open as a table and an nftables file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, readlinkSync, statSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { binary } from '../support/server.mjs';
import { tempDir } from '../support/tempdir.mjs';
import { renderJanusConfig, TEMPLATES } from '../../scripts/janus.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dir = tempDir('sb-config-tools-');
let n = 0;

function writeConfig(content) {
  const file = path.join(dir, `config-${++n}.json`);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return file;
}

function run(args) {
  const r = spawnSync(binary, args, { encoding: 'utf8', cwd: dir, timeout: 20000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const GOOD = {
  http: '0.0.0.0:8443', dataDir: dir, store: 'memory', webRoot: path.join(root, 'web'),
  accounts: [{ id: '9900000', username: 'demo', password: 'demo-password' }],
  janusUrl: 'ws://127.0.0.1:18188', janusAdminKey: 'a-key-for-tests', publicAddress: 'sb.example.com', mediaPorts: '40000-40999',
  sipListen: '0.0.0.0:5060', rtpPortMin: 30000, rtpPortMax: 30999,
};

// ---- --check-config ----

test('--check-config: a good file prints "FILE: ok" and exits 0', () => {
  const file = writeConfig(GOOD);
  const r = run(['--check-config', file]);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out, `${file}: ok\n`);
});

test('--check-config: broken JSON names the line and column', () => {
  const file = writeConfig('{\n  "store": "memory",\n  "logLevel": "info"\n  "threads": 2\n}\n');
  const r = run(['--check-config', file]);
  assert.equal(r.code, 1);
  // nlohmann/json points at the end of the unexpected token: "threads" on line 4 ends at column 11.
  assert.match(r.err, new RegExp(`^${file}: not valid JSON: parse error at line 4, column 11: .*unexpected string literal`, 'm'));
  assert.equal(r.out, '');
});

test('--check-config: every problem of a file at once, each naming its key', () => {
  const file = writeConfig({
    ...GOOD,
    htpp: '0.0.0.0:80',                       // unknown key (a typo)
    threads: 'two',                           // wrong type
    rtpPortMin: 70000,                        // out of range for a port
    mediaPorts: '20999-20000',                // reversed
    publicAddress: '203.0.113.300',           // neither an IPv4 address nor a DNS name
    webRoot: path.join(dir, 'no-such-folder'),
    callbackCaFile: path.join(dir, 'no-such-ca.pem'),
  });
  const r = run(['--check-config', file]);
  assert.equal(r.code, 1);
  const expected = [
    /: htpp: unknown key$/m,
    /: threads: must be an integer \(string\)$/m,
    /: rtpPortMin: must be between 0 and 65535$/m,
    /: mediaPorts: must be "MIN-MAX" with 1024 <= MIN < MAX <= 65535, got 20999-20000$/m,
    /: publicAddress: "203\.0\.113\.300" is neither an IPv4 address nor a DNS name$/m,
    /: webRoot: .*no-such-folder is not a folder$/m,
    /: callbackCaFile: .*no-such-ca\.pem is not a file$/m,
  ];
  for (const e of expected) assert.match(r.err, e);
  assert.match(r.err, new RegExp(`${file}: ${expected.length} problems\n$`));
});

test('--check-config: publicAddress IPv6, mediaPorts overlapping the SIP RTP range, bad mediaPorts text', () => {
  let r = run(['--check-config', writeConfig({ ...GOOD, publicAddress: '2001:db8::1', mediaPorts: '30500-31500' })]);
  assert.equal(r.code, 1);
  assert.match(r.err, /publicAddress: an IPv6 address is not supported/);
  assert.match(r.err, /mediaPorts: overlaps the SIP bridge's RTP ports rtpPortMin-rtpPortMax \(30000-30999\)/);
  r = run(['--check-config', writeConfig({ ...GOOD, mediaPorts: '20000:20999', publicAddress: '-bad-.example.com' })]);
  assert.match(r.err, /mediaPorts: expected "MIN-MAX" \(port numbers\), got "20000:20999"/);
  assert.match(r.err, /publicAddress: "-bad-\.example\.com" is neither/);
  r = run(['--check-config', writeConfig({ ...GOOD, mediaPorts: '80-1000' })]);
  assert.match(r.err, /mediaPorts: must be "MIN-MAX" with 1024 <= MIN/);
});

test('--check-config: a missing file, a file that is not an object, and a janusAdminKeyFile not made yet', () => {
  let r = run(['--check-config', path.join(dir, 'absent.json')]);
  assert.equal(r.code, 1);
  assert.match(r.err, /absent\.json: cannot read /);
  r = run(['--check-config', writeConfig('[1, 2]')]);
  assert.match(r.err, /: not a JSON object\n/);
  const keyFile = path.join(dir, 'later-admin-key');
  r = run(['--check-config', writeConfig({ ...GOOD, janusAdminKey: '', janusAdminKeyFile: keyFile })]);
  assert.match(r.err, /janusAdminKeyFile: .* is not readable \(switchboard --write-configs creates it\)/);
});

// ---- --write-configs ----

function readAll(d) {
  return Object.fromEntries(TEMPLATES.map((t) => [t, readFileSync(path.join(d, t), 'utf8')]));
}

test('--write-configs: Janus configs from the config, byte for byte what scripts/janus.mjs renders from the same values', () => {
  const out = tempDir('sb-janus-written-');
  const file = writeConfig({ ...GOOD, publicAddress: '203.0.113.10', mediaInterfaces: ['eth1', '10.0.0.'] });
  const r = run(['--config', file, '--write-configs', out]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /janus: nat_1_1_mapping 203\.0\.113\.10/);
  const written = readAll(out);
  const jcfg = written['janus.jcfg'];
  assert.match(jcfg, /^\trtp_port_range = "40000-40999"$/m);
  assert.match(jcfg, /^\tnat_1_1_mapping = "203\.0\.113\.10"$/m);
  assert.match(jcfg, /^\tkeep_private_host = false$/m);
  assert.match(jcfg, /^\tice_enforce_list = "eth1,10\.0\.0\."$/m);
  assert.match(jcfg, /^#\tinterface = ""$/m, 'no interface: Janus writes the mapped address itself');
  assert.match(jcfg, new RegExp(`^\\tconfigs_folder = "${out}"$`, 'm'));
  assert.match(written['janus.transport.websockets.jcfg'], /^\tws_ip = "127\.0\.0\.1"\n\tws_port = 18188$/m);
  assert.match(written['janus.plugin.videoroom.jcfg'], /^\tadmin_key = "a-key-for-tests"/m);
  assert.equal(statSync(path.join(out, 'janus.plugin.videoroom.jcfg')).mode & 0o777, 0o640, 'the admin key is not world-readable');
  // Only the two modules Janus may load, as links.
  assert.deepEqual(readdirSync(path.join(out, 'modules/plugins')), ['libjanus_videoroom.so']);
  assert.deepEqual(readdirSync(path.join(out, 'modules/transports')), ['libjanus_websockets.so']);
  assert.ok(existsSync(readlinkSync(path.join(out, 'modules/plugins/libjanus_videoroom.so'))));
  // One source of truth: the test renderer, given the same values, writes the same bytes.
  renderJanusConfig({ dir: out, wsIp: '127.0.0.1', wsPort: 18188, rtpPortRange: '40000-40999', iceEnforceList: 'eth1,10.0.0.',
    localIp: '', nat11Mapping: '203.0.113.10', adminKey: 'a-key-for-tests' });
  assert.deepEqual(readAll(out), written);
});

test('--write-configs: a publicAddress that is this machine\'s own (a DNS name, resolved) becomes Janus\'s interface, no NAT mapping', () => {
  const out = tempDir('sb-janus-written-');
  const r = run(['--config', writeConfig({ ...GOOD, publicAddress: 'localhost' }), '--write-configs', out]);
  assert.equal(r.code, 0, r.err);
  const jcfg = readFileSync(path.join(out, 'janus.jcfg'), 'utf8');
  assert.match(jcfg, /^\tinterface = "127\.0\.0\.1"$/m);
  assert.match(jcfg, /^#\tnat_1_1_mapping = ""$/m);
  assert.match(jcfg, /^#\tkeep_private_host = $/m);
});

test('--write-configs: without an admin key one is made once, kept in janusAdminKeyFile, and reused', () => {
  const out = tempDir('sb-janus-written-');
  const keyFile = path.join(out, 'admin-key');
  const file = writeConfig({ ...GOOD, publicAddress: '203.0.113.10', janusAdminKey: '', janusAdminKeyFile: keyFile });
  assert.equal(run(['--check-config', file]).code, 1, 'the key file does not exist yet');
  const r = run(['--config', file, '--write-configs', out]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, new RegExp(`admin key: in ${keyFile}`));
  const key = readFileSync(keyFile, 'utf8').trim();
  assert.match(key, /^[0-9a-f]{64}$/);
  assert.equal(statSync(keyFile).mode & 0o777, 0o600);
  assert.match(readFileSync(path.join(out, 'janus.plugin.videoroom.jcfg'), 'utf8'), new RegExp(`admin_key = "${key}"`));
  assert.equal(run(['--config', file, '--write-configs', out]).code, 0);
  assert.equal(readFileSync(keyFile, 'utf8').trim(), key, 'a second run keeps the key');
  assert.equal(run(['--check-config', file]).code, 0, 'now the config is complete');
});

test('--write-configs: refuses without janusUrl, or with a janusUrl Janus cannot listen on', () => {
  const { janusUrl, ...noJanus } = GOOD;
  let r = run(['--config', writeConfig(noJanus), '--write-configs', tempDir('sb-janus-written-')]);
  assert.equal(r.code, 1);
  assert.match(r.err, /--write-configs: janusUrl: needed/);
  r = run(['--config', writeConfig({ ...GOOD, janusUrl: 'ws://janus.internal:8188' }), '--write-configs', tempDir('sb-janus-written-')]);
  assert.equal(r.code, 1);
  assert.match(r.err, /janusUrl: Janus listens on an IP address, not "janus\.internal"/);
});

// ---- --print-firewall ----

// nft -c parses and checks a ruleset without loading it; it needs CAP_NET_ADMIN, so it runs in a
// throwaway network namespace of its own when the test is not allowed to use the current one.
function nftCheck(file) {
  let r = spawnSync('nft', ['-c', '-f', file], { encoding: 'utf8' });
  if (r.error?.code === 'ENOENT') return null;
  if (r.status !== 0 && /Operation not permitted/.test(r.stderr)) r = spawnSync('unshare', ['-rn', 'nft', '-c', '-f', file], { encoding: 'utf8' });
  return r;
}

test('--print-firewall: the configured ports as a table and as an nftables ruleset nft accepts', (t) => {
  const r = run(['--config', writeConfig(GOOD), '--print-firewall']);
  assert.equal(r.code, 0, r.err);
  for (const rule of ['tcp dport 8443 accept', 'udp dport 5060 accept', 'tcp dport 5060 accept', 'udp dport 30000-30999 accept',
    'udp dport 40000-40999 accept']) assert.ok(r.out.includes(rule), `${rule} in\n${r.out}`);
  assert.match(r.out, /^#   udp    40000-40999    Janus ICE\/RTP media of browsers \(mediaPorts\)$/m);
  assert.match(r.out, /^#   Janus WebSocket API ws:\/\/127\.0\.0\.1:18188: only switchboard talks to it/m);
  assert.doesNotMatch(r.out, /dport 18188/, 'the Janus API is never opened');
  const file = path.join(dir, 'firewall.nft');
  writeFileSync(file, r.out);
  const check = nftCheck(file);
  if (!check) { t.skip('nft is not installed: the ruleset was not checked'); return; }
  assert.equal(check.status, 0, `nft -c -f accepts the output:\n${check.stderr}`);
});

test('--print-firewall: listeners on loopback are not opened; no SIP, no SIP ports', () => {
  const { sipListen, ...noSip } = GOOD;
  const r = run(['--config', writeConfig({ ...noSip, http: '127.0.0.1:8080' }), '--print-firewall']);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^#   http 127\.0\.0\.1:8080: listens on loopback only$/m);
  assert.doesNotMatch(r.out, /dport 8080|dport 5060|dport 30000/);
  assert.ok(r.out.includes('udp dport 40000-40999 accept'));
});

// Janus itself reads what --write-configs wrote: started for 3 s in a throwaway network namespace
// (only its own loopback: it gathers nothing and reaches nobody), its log shows the settings.
test('--write-configs: Janus starts with the written configs and uses the public address and port range', (t) => {
  if (spawnSync('janus', ['--version']).error) { t.skip('janus is not installed'); return; }
  const out = tempDir('sb-janus-written-');
  const r = run(['--config', writeConfig({ ...GOOD, publicAddress: '203.0.113.10', janusUrl: 'ws://127.0.0.1:18188' }), '--write-configs', out]);
  assert.equal(r.code, 0, r.err);
  const log = path.join(out, 'janus.log');
  const script = `ip link set lo up && exec timeout -s INT 3 janus -C ${out}/janus.jcfg -F ${out} -o -N -L ${log}`;
  let j = spawnSync('unshare', ['-n', 'sh', '-c', script], { encoding: 'utf8', cwd: out, timeout: 20000 });
  if (j.status !== 0 && /Operation not permitted/.test(j.stderr)) j = spawnSync('unshare', ['-rn', 'sh', '-c', script], { encoding: 'utf8', cwd: out, timeout: 20000 });
  const text = readFileSync(log, 'utf8');
  assert.match(text, /Using nat_1_1_mapping for public IP: 203\.0\.113\.10/, text);
  assert.match(text, /ICE port range: 40000-40999/);
  assert.match(text, /Loading plugin 'libjanus_videoroom\.so'/);
  assert.match(text, /Websockets server started \(port 18188\)/);
  assert.doesNotMatch(text, /\[ERR\]|FATAL/);
});
