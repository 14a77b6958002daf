// The two-host topology of scripts/twohost.sh as seen from a test: which namespace is which, a
// test certificate authority, Chromium started inside the laptop and trusting that authority, and
// the laptop's firewall.
//
// The test process runs inside the server namespace (scripts/twohost.sh exec server node --test
// tests/twohost/): switchboard, Janus and coturn are its children and share its loopback, exactly
// as on a real server. Chromium is started inside the laptop namespace (through `ip netns exec`),
// and playwright drives it over the pipes it inherits, which no namespace affects; so the browser
// reaches the server only across the veth, at the server's address.
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CHROMIUM_ARGS, CHROMIUM_PATH, newPage } from '../support/browser.mjs';
import { chromium } from 'playwright-core';

const addr = (cidr) => cidr.split('/')[0];

// Must match scripts/twohost.sh (same environment variables, same defaults).
export const TWOHOST = {
  server: process.env.SBTWO_SERVER || 'sbserver',
  laptop: process.env.SBTWO_LAPTOP || 'sblaptop',
  serverIf: process.env.SBTWO_SERVER_IF || 'sbsrv0',
  laptopIf: process.env.SBTWO_LAPTOP_IF || 'sblap0',
  serverAddr: addr(process.env.SBTWO_SERVER_ADDR || '10.204.0.1/24'),
  laptopAddr: addr(process.env.SBTWO_LAPTOP_ADDR || '10.204.0.2/24'),
};

function sameNetns(name) {
  try {
    const mine = statSync('/proc/self/ns/net');
    const ns = statSync(`/run/netns/${name}`);
    return mine.ino === ns.ino && mine.dev === ns.dev;
  } catch {
    return false;
  }
}

export function assertInServerNs() {
  if (!sameNetns(TWOHOST.server)) {
    throw new Error(`the two-host tests run inside the "${TWOHOST.server}" namespace: ` +
      'scripts/twohost.sh up && scripts/twohost.sh exec server node --test tests/twohost/');
  }
}

// Runs a command inside the laptop namespace and returns its stdout.
export function inLaptop(cmd, args, opts = {}) {
  return execFileSync('ip', ['netns', 'exec', TWOHOST.laptop, cmd, ...args], { encoding: 'utf8', ...opts });
}

function openssl(args, cwd) {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

// A certificate authority and a server certificate it signed for `ip`, made with the openssl CLI
// in `dir`. The server certificate carries the address as an iPAddress subjectAltName (browsers
// ignore the common name since RFC 2818 §3.1 made it a fallback; Chromium dropped it in 58) and
// extendedKeyUsage serverAuth (RFC 5280 §4.2.1.12). Returns {caCert, cert, key} (paths) and the
// CA's PEM text.
export function makeTestCa(dir, { ip = TWOHOST.serverAddr, name = 'server' } = {}) {
  mkdirSync(dir, { recursive: true });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  const caCert = path.join(dir, 'ca.pem');
  if (!existsQuiet(caCert)) {
    openssl(['req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2',
      '-subj', '/CN=Switchboard two-host test CA',
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);
  }
  writeFileSync(path.join(dir, `${name}.ext`), [
    `subjectAltName=IP:${ip}`, 'extendedKeyUsage=serverAuth', 'keyUsage=critical,digitalSignature',
    'basicConstraints=critical,CA:FALSE', '',
  ].join('\n'));
  openssl(['req', ...ec, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${ip}`], dir);
  openssl(['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial',
    '-days', '2', '-extfile', `${name}.ext`, '-out', `${name}.pem`], dir);
  const out = { caCert, cert: path.join(dir, `${name}.pem`), key: path.join(dir, `${name}.key`) };
  out.caPem = readFileSync(caCert, 'utf8');
  // Sanity: the certificate is for the address and chains to the CA (else every test fails obscurely).
  const leaf = new X509Certificate(readFileSync(out.cert));
  if (!leaf.checkIP(ip) || !leaf.verify(new X509Certificate(out.caPem).publicKey)) throw new Error('test CA: bad server certificate');
  return out;
}

function existsQuiet(p) {
  try { statSync(p); return true; } catch { return false; }
}

// A HOME for Chromium whose NSS database (~/.pki/nssdb, where Chromium on Linux keeps the user's
// trusted authorities) trusts `caCert` for TLS servers ("C,,": a CA trusted to issue server
// certificates). Nothing else trusts it: not the system store, not the product.
export function makeBrowserHome(dir, caCert) {
  const db = path.join(dir, '.pki/nssdb');
  mkdirSync(db, { recursive: true });
  execFileSync('certutil', ['-N', '-d', `sql:${db}`, '--empty-password'], { stdio: 'pipe' });
  execFileSync('certutil', ['-A', '-d', `sql:${db}`, '-t', 'C,,', '-n', 'switchboard-twohost-test-ca', '-i', caCert], { stdio: 'pipe' });
  return dir;
}

// Starts Chromium inside the laptop namespace with HOME = `home` (see makeBrowserHome). The
// executable playwright runs is a two-line wrapper that enters the namespace and then execs the
// real browser with every argument and inherited pipe. Returns the playwright Browser with
// newTestPage() like tests/support/browser.mjs's launchChromium.
export async function launchLaptopChromium({ home, workDir, args = [] }) {
  const wrapper = path.join(workDir, 'chromium-in-laptop.sh');
  writeFileSync(wrapper, `#!/bin/sh\nexec ip netns exec ${TWOHOST.laptop} ${CHROMIUM_PATH} "$@"\n`);
  chmodSync(wrapper, 0o755);
  const browser = await chromium.launch({
    executablePath: wrapper,
    headless: true,
    args: [...CHROMIUM_ARGS, ...args],
    env: { ...process.env, HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), XDG_CACHE_HOME: path.join(home, '.cache') },
  });
  browser.newTestPage = (opts) => newPage(browser, opts);
  return browser;
}

// The laptop's firewall: one nftables table of our own, dropping what the laptop sends to the
// server that matches `match` (an nftables expression). blockUdpFromLaptop: a network that lets
// only TCP out, as many corporate and hotel networks do. Removing the table restores everything;
// deleting the namespace removes it too.
const TABLE = 'sbtwohost';
export function blockFromLaptop(match) {
  inLaptop('nft', ['-f', '-'], {
    input: `table inet ${TABLE} {\n  chain out {\n    type filter hook output priority 0; policy accept;\n` +
      `    oifname "${TWOHOST.laptopIf}" ${match} counter drop\n  }\n}\n`,
  });
}
export const blockUdpFromLaptop = () => blockFromLaptop('meta l4proto udp');
export function unblockLaptop() {
  try { inLaptop('nft', ['delete', 'table', 'inet', TABLE], { stdio: 'pipe' }); } catch { /* not there */ }
}
// Packets the rule dropped so far (proves the rule was in the path).
export function droppedPackets() {
  const out = inLaptop('nft', ['list', 'table', 'inet', TABLE]);
  const m = out.match(/counter packets (\d+)/);
  return m ? Number(m[1]) : 0;
}
