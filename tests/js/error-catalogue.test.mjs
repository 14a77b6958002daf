// The error catalogue (docs/errors.md) against the sources: every code the SDK and the server can
// produce has its entry, and every entry is a code the sources still produce. The codes are read
// from the places that make them (the catalogue functions, enums and refusals), so a new code
// without documentation, or a code removed from the sources but not from the docs, fails here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { root } from './support/packed.mjs';

const read = (file) => readFileSync(path.join(root, file), 'utf8');
const sources = (dir, ext = /\.(cpp|hpp)$/) =>
  readdirSync(path.join(root, dir)).filter((f) => ext.test(f)).map((f) => `${dir}/${f}`);
const all = (text, re, group = 1) => [...text.matchAll(re)].map((m) => m[group]);
const set = (values) => new Set(values.map(String));
const sorted = (values) => [...new Set(values)].sort();

// The rows of the tables of one "## " section of docs/errors.md, as arrays of cells.
function rows(title) {
  const doc = read('docs/errors.md');
  const start = doc.indexOf(`\n## ${title}\n`);
  assert.ok(start >= 0, `docs/errors.md has a "${title}" section`);
  const end = doc.indexOf('\n## ', start + 1);
  const text = doc.slice(start, end < 0 ? undefined : end);
  return text
    .split('\n')
    .filter((line) => line.startsWith('| ') && !line.startsWith('|---'))
    .map((line) => line.slice(2, -2).split(' | '))
    .filter((cells) => !['code', 'cause'].includes(cells[0]));
}
// The codes of a cell: each in backquotes, or a bare number (JSON-RPC, close codes, SIP statuses).
const cellCodes = (cell) => (cell.includes('`') ? all(cell, /`([^`]+)`/g) : all(cell, /(-?\d+)/g));
const documented = (title) => rows(title).flatMap((cells) => cellCodes(cells[0]));

// Both ways: what the sources produce is documented, what is documented is produced.
function assertSameCodes(title, produced, expectedSome) {
  for (const code of expectedSome) assert.ok(produced.includes(code), `the extraction finds ${code} (sources moved?)`);
  const docs = documented(title);
  const missing = sorted(produced).filter((c) => !docs.includes(c));
  const stale = sorted(docs).filter((c) => !produced.includes(c));
  assert.deepEqual(missing, [], `produced but not in docs/errors.md "${title}"`);
  assert.deepEqual(stale, [], `in docs/errors.md "${title}" but no longer produced`);
  assert.equal(docs.length, new Set(docs).size, `one entry per code in "${title}"`);
}

// The server's refusals of a device connection, with their HTTP status where the source gives it.
function refusals() {
  const out = [];
  const gate = read('server/signaling/DeviceGate.cpp');
  for (const m of gate.matchAll(/refuse\((\d{3}), "([a-z_]+)"/g)) out.push({ status: m[1], code: m[2] });
  const resumable = read('server/signaling/ResumableDevices.cpp');
  for (const m of resumable.matchAll(/deviceRefusal\(\s*(\d{3}),\s*"([a-z_]+)"/g)) out.push({ status: m[1], code: m[2] });
  // The verifier's codes (TokenService.cpp tokenErrorCode), refused by DeviceGate with 401 or 403.
  for (const code of all(read('server/auth/TokenService.cpp'), /return "(token_[a-z_]+)"/g)) out.push({ code });
  return out;
}

// The connection cap's refusal, written by the listener before any request is read.
const listenerCodes = () => all(read('server/net/Listener.cpp'), /\\"code\\":\\"([a-z_]+)\\"|"code":"([a-z_]+)"/g, 2);

test('SDK errors: every code the core, the facade and the server refusals give the application', () => {
  const errorsHpp = read('wasm/core/Errors.hpp');
  const core = [
    ...all(errorsHpp, /make\("([a-z_]+)"/g),
    ...all(errorsHpp, /Error\{"([a-z_]+)"/g),
    ...all(errorsHpp, /code = "([a-z_]+)"/g), // userMedia's classification
  ];
  for (const file of [...sources('wasm/core'), ...sources('wasm/browser')]) core.push(...all(read(file), /errors::make\("([a-z_]+)"/g));
  const facade = sources('web/src', /\.js$/).flatMap((f) => all(read(f), /BandwidthRtcError\([^;]*?'([a-z_]+)'\)/gs));
  // The core passes the code of any refusal body through (SignalingUrl.cpp classifyProbe), except
  // 409 resume_pending, which it retries (Client.cpp probeAndFail) and never reports.
  const client = read('wasm/core/Client.cpp');
  const failing = all(client.slice(client.indexOf('probeAndFail')), /status == (\d{3})/g);
  assert.ok(failing.length && !failing.includes('409'), `the core retries 409 (fails on ${failing})`);
  const passed = refusals().filter((r) => r.code !== 'resume_pending').map((r) => r.code);
  const produced = [...core, ...facade, ...passed, ...listenerCodes()];
  assertSameCodes('SDK errors', produced, ['server_unreachable', 'permission_denied', 'no_device', 'not_connected', 'token_expired', 'too_many_connections']);
});

test('Refused device connections: the /v3/ refusal codes and their HTTP status', () => {
  const refused = refusals();
  assertSameCodes('Refused device connections', refused.map((r) => r.code), ['token_missing', 'too_many_devices', 'resume_expired', 'token_participant_gone']);
  const status = new Map(rows('Refused device connections').map((cells) => [cellCodes(cells[0])[0], cells[1]]));
  for (const r of refused.filter((x) => x.status)) assert.match(status.get(r.code), new RegExp(`^${r.status}\\b`), `${r.code} is ${r.status}`);
});

test('JSON-RPC errors: every RpcErrorCode, each one used by the server', () => {
  const codes = [...read('protocol/Methods.hpp').matchAll(/^\s+(\w+) = (-32\d{3}),/gm)];
  const used = [...sources('server/signaling'), ...sources('protocol')].map(read).join('\n');
  for (const [, name] of codes) assert.ok(new RegExp(`RpcErrorCode::${name}\\b`).test(used), `RpcErrorCode::${name} is produced`);
  assertSameCodes('JSON-RPC errors', codes.map((m) => m[2]), ['-32700', '-32602', '-32003']);
});

test('WebSocket close codes: the codes and reasons the server closes device connections with', () => {
  // Beast's close_code names, from Beast itself (RFC 6455 §7.4.1 numbers).
  const rfc6455 = '/usr/include/boost/beast/websocket/rfc6455.hpp';
  assert.ok(existsSync(rfc6455), `${rfc6455} (Boost.Beast, a build dependency) is installed`);
  const numbers = new Map(all(readFileSync(rfc6455, 'utf8'), /^\s+(\w+\s*=\s*\d{4}),/gm).map((s) => s.split(/\s*=\s*/)));
  const closes = [];
  for (const m of read('server/net/WebSocketSession.cpp').matchAll(/doClose\(websocket::close_code::(\w+), "([^"]+)"\)/g))
    closes.push({ code: numbers.get(m[1]), reason: m[2] });
  for (const file of sources('server/signaling')) {
    const text = read(file);
    for (const m of text.matchAll(/close\((\d{4}), "([^"]+)"\)/g)) closes.push({ code: m[1], reason: m[2] });
    for (const m of text.matchAll(/return \{(\d{4}), "([^"]+)"\}/g)) closes.push({ code: m[1], reason: m[2] });
  }
  assert.ok(closes.every((c) => c.code), 'every close_code name is known to Beast');
  assertSameCodes('WebSocket close codes', closes.map((c) => c.code), ['1009', '1008', '4404', '4409', '4410']);
  for (const cells of rows('WebSocket close codes')) {
    const reasons = closes.filter((c) => c.code === cells[0]).map((c) => c.reason);
    assert.ok(reasons.includes(cellCodes(cells[1])[0]), `${cells[0]}'s reason ${cells[1]} is one of ${reasons}`);
  }
});

test('REST API errors: every HTTP error code with its status and /api/v2 type, each one produced', () => {
  const httpError = read('server/net/HttpError.cpp');
  const pairs = (text, re) => new Map([...text.matchAll(re)].map((m) => [m[1], m[2]]));
  const switchOf = (name) => httpError.slice(httpError.indexOf(name), httpError.indexOf('\n}', httpError.indexOf(name)));
  const statusOf = pairs(switchOf('int httpStatus('), /case ErrorCode::(\w+):\s*return (\d{3});/g);
  const nameOf = pairs(switchOf('const char* errorCodeName('), /case ErrorCode::(\w+):\s*return "([a-z_]+)";/g);
  const voiceApi = read('server/voice/VoiceApi.cpp');
  const mapping = voiceApi.slice(voiceApi.indexOf('bandwidthErrorType(net::ErrorCode'), voiceApi.indexOf('\n}', voiceApi.indexOf('bandwidthErrorType(net::ErrorCode')));
  const typeOf = pairs(mapping, /case net::ErrorCode::(\w+):\s*return "([a-z-]+)";/g);
  // A code without a case of its own gets its name in kebab case (VoiceApi.cpp's default); the
  // refusals made before a route's handler runs never reach that mapping and carry no type ("—").
  const defaultType = (member) => nameOf.get(member).replaceAll('_', '-');
  const beforeHandlers = ['MethodNotAllowed', 'PayloadTooLarge', 'UriTooLong', 'HeadersTooLarge'];
  const enumMembers = all(read('server/net/HttpError.hpp'), /^\s+(\w+),\s+\/\/ \d{3}/gm);
  assert.ok(enumMembers.length >= 10, `ErrorCode members: ${enumMembers}`);

  // Produced: named by a server source other than the two tables above and the type mapping, or
  // made by a catalogue function of HttpError.cpp that something calls.
  const server = ['api', 'app', 'auth', 'bridge', 'media', 'net', 'session', 'signaling', 'voice', 'web', 'ops']
    .flatMap((dir) => sources(`server/${dir}`, /\.cpp$/))
    .map((file) => ({ file, text: read(file) }));
  const catalogue = httpError.slice(httpError.indexOf('namespace errors {'));
  const functions = [...catalogue.matchAll(/^HttpError (\w+)\([^]*?^}/gm)].map((m) => ({ name: m[1], body: m[0] }));
  const produced = enumMembers.filter((member) => {
    const named = server.some(({ file, text }) => file !== 'server/net/HttpError.cpp' &&
      text.split('\n').some((line) => line.includes(`ErrorCode::${member}`) && !/^\s*case /.test(line)));
    const made = functions.some((f) => f.body.includes(`ErrorCode::${member}`) &&
      server.some(({ file, text }) => file !== 'server/net/HttpError.cpp' && new RegExp(`errors::${f.name}\\(`).test(text)));
    return named || made;
  });
  assert.deepEqual(enumMembers.filter((m) => !produced.includes(m)), [], 'every ErrorCode is produced somewhere');

  const codes = [...produced.map((m) => nameOf.get(m)), ...listenerCodes()];
  assertSameCodes('REST API errors', codes, ['invalid_argument', 'not_found', 'too_many_requests', 'too_many_connections']);
  const docRows = new Map(rows('REST API errors').map((cells) => [cellCodes(cells[0])[0], cells]));
  for (const member of produced) {
    const cells = docRows.get(nameOf.get(member));
    assert.match(cells[1], new RegExp(`^${statusOf.get(member)}\\b`), `${nameOf.get(member)} is HTTP ${statusOf.get(member)}`);
    const type = beforeHandlers.includes(member) ? undefined : typeOf.get(member) ?? defaultType(member);
    assert.equal(cellCodes(cells[2])[0], type, `${nameOf.get(member)}'s /api/v2 type`);
  }
});

test('SIP responses: every failure status switchboard answers a SIP request with', () => {
  const statuses = [];
  for (const file of sources('server/sip/endpoint', /\.cpp$/)) {
    const text = read(file);
    statuses.push(...all(text, /SIP_([3-6]\d\d)_/g), ...all(text, /\breject\(\w+, ([3-6]\d\d)\)/g));
  }
  for (const file of sources('server/bridge', /\.cpp$/)) statuses.push(...all(read(file), /refuse\(\s*[\w.]+,\s*([3-6]\d\d)\b/g));
  // A join that fails after the token was accepted (JoinStatus.hpp sipStatusOf).
  statuses.push(...all(read('server/bridge/JoinStatus.hpp'), /return ([3-6]\d\d);/g));
  assertSameCodes('SIP responses', statuses, ['403', '404', '488', '503', '481', '491']);
});

test('Voice call causes: every cause a call can end with', () => {
  const constants = new Map(all(read('server/voice/CallState.hpp'), /constexpr const char\* (k\w+ = "[a-z-]+")/g).map((s) => s.split(' = "').map((x) => x.replace('"', ''))));
  // Produced: passed where a call or leg ends (CallState.cpp only reads causes).
  const users = [...sources('server/voice', /\.cpp$/), ...sources('server/bridge', /\.cpp$/)]
    .filter((f) => f !== 'server/voice/CallState.cpp')
    .map(read)
    .join('\n');
  const produced = [...constants].filter(([name]) => new RegExp(`cause::${name}\\b`).test(users)).map(([, value]) => value);
  assertSameCodes('Voice call causes', produced, ['hangup', 'busy', 'callback-error', 'error']);
});

test('Call-quality warnings: every name the SDK core raises', () => {
  // The names table of toString(QualityWarning) in wasm/core/CallQuality.cpp.
  const source = read('wasm/core/CallQuality.cpp');
  const table = source.slice(source.indexOf('toString(QualityWarning'), source.indexOf('QualityThresholds::read'));
  const produced = all(table, /"([a-z-]+)"/g);
  assertSameCodes('Call-quality warnings', produced, ['high-packet-loss', 'low-mos', 'silent-microphone']);
});
