// A minimal TURN client over UDP for the tests: a STUN Binding request (is the server up?) and an
// Allocate request with long-term credentials (RFC 8656 §7.2, RFC 8489 §9.2), reporting what the
// server answered: the relayed address on success, the error code (401, 441, ...) otherwise.
import dgram from 'node:dgram';
import { createHash, createHmac, randomBytes } from 'node:crypto';

const MAGIC = 0x2112a442;
const ATTR = {
  USERNAME: 0x0006, MESSAGE_INTEGRITY: 0x0008, ERROR_CODE: 0x0009, LIFETIME: 0x000d,
  REALM: 0x0014, NONCE: 0x0015, XOR_RELAYED_ADDRESS: 0x0016, REQUESTED_TRANSPORT: 0x0019,
};
const BINDING = 0x0001;
const ALLOCATE = 0x0003;
const REFRESH = 0x0004;

function attribute(type, value) {
  const padded = Buffer.alloc(4 + Math.ceil(value.length / 4) * 4);
  padded.writeUInt16BE(type, 0);
  padded.writeUInt16BE(value.length, 2);
  value.copy(padded, 4);
  return padded;
}

// A request of `method` with these attributes; with `key`, MESSAGE-INTEGRITY last (RFC 8489
// §14.5: the HMAC covers the header, its length already counting the integrity attribute).
function request(method, attrs, key) {
  const id = randomBytes(12);
  const body = Buffer.concat(attrs);
  const header = Buffer.alloc(20);
  header.writeUInt16BE(method, 0);
  header.writeUInt16BE(body.length + (key ? 24 : 0), 2);
  header.writeUInt32BE(MAGIC, 4);
  id.copy(header, 8);
  let message = Buffer.concat([header, body]);
  if (key) {
    const mac = createHmac('sha1', key).update(message).digest();
    message = Buffer.concat([message, attribute(ATTR.MESSAGE_INTEGRITY, mac)]);
  }
  return { id, message };
}

function parse(buffer) {
  const type = buffer.readUInt16BE(0);
  const attrs = new Map();
  for (let at = 20; at + 4 <= buffer.length;) {
    const t = buffer.readUInt16BE(at);
    const len = buffer.readUInt16BE(at + 2);
    attrs.set(t, buffer.subarray(at + 4, at + 4 + len));
    at += 4 + Math.ceil(len / 4) * 4;
  }
  const cls = ((type & 0x0100) >> 7) | ((type & 0x0010) >> 4);  // 0 req, 1 ind, 2 ok, 3 error
  const out = { success: cls === 2, attrs, id: buffer.subarray(8, 20) };
  const err = attrs.get(ATTR.ERROR_CODE);
  if (err) {
    out.code = (err[2] & 0x7) * 100 + err[3];
    out.reason = err.subarray(4).toString();
  }
  const relayed = attrs.get(ATTR.XOR_RELAYED_ADDRESS);
  if (relayed && relayed[1] === 0x01) {
    const port = relayed.readUInt16BE(2) ^ (MAGIC >>> 16);
    const ip = (relayed.readUInt32BE(4) ^ MAGIC) >>> 0;
    out.relayed = { address: [ip >>> 24, (ip >> 16) & 255, (ip >> 8) & 255, ip & 255].join('.'), port };
  }
  return out;
}

// Sends one request and resolves with the parsed response to it (retransmitting every 250 ms).
function exchange(socket, host, port, { id, message }, timeoutMs) {
  return new Promise((resolve, reject) => {
    const onMessage = (data) => {
      if (data.length < 20 || !data.subarray(8, 20).equals(id)) return;
      cleanup();
      resolve(parse(data));
    };
    const send = () => socket.send(message, port, host);
    const timer = setInterval(send, 250);
    const deadline = setTimeout(() => { cleanup(); reject(new Error(`no STUN answer from ${host}:${port}`)); }, timeoutMs);
    const cleanup = () => { clearInterval(timer); clearTimeout(deadline); socket.off('message', onMessage); };
    socket.on('message', onMessage);
    send();
  });
}

function withSocket(fn) {
  const socket = dgram.createSocket('udp4');
  return new Promise((resolve, reject) => socket.bind(0, () => fn(socket).then(resolve, reject)))
    .finally(() => socket.close());
}

// Resolves once a STUN Binding request to host:port is answered.
export function stunBinding(host, port, timeoutMs = 1000) {
  return withSocket((socket) => exchange(socket, host, port, request(BINDING, []), timeoutMs));
}

// Tries a UDP allocation with these credentials; resolves {success, code, reason, relayed}.
// A successful allocation is released again (Refresh with LIFETIME 0, RFC 8656 §7).
export function allocate({ host, port, username, credential, timeoutMs = 3000 }) {
  return withSocket(async (socket) => {
    const transport = attribute(ATTR.REQUESTED_TRANSPORT, Buffer.from([17, 0, 0, 0]));  // UDP
    const first = await exchange(socket, host, port, request(ALLOCATE, [transport]), timeoutMs);
    if (first.code !== 401) return first;  // the challenge carries REALM and NONCE (RFC 8489 §9.2)
    const realm = first.attrs.get(ATTR.REALM);
    const nonce = first.attrs.get(ATTR.NONCE);
    const key = createHash('md5').update(`${username}:${realm}:${credential}`).digest();
    const auth = [attribute(ATTR.USERNAME, Buffer.from(username)), attribute(ATTR.REALM, realm), attribute(ATTR.NONCE, nonce)];
    const answer = await exchange(socket, host, port, request(ALLOCATE, [transport, ...auth], key), timeoutMs);
    if (answer.success) {
      const zero = attribute(ATTR.LIFETIME, Buffer.alloc(4));
      await exchange(socket, host, port, request(REFRESH, [zero, ...auth], key), timeoutMs).catch(() => {});
    }
    return answer;
  });
}
