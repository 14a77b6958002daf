// A bare SIP-over-UDP client for hostile-input tests: builds an INVITE from parts the test
// chooses (any size, any header), sends it from a chosen loopback address, waits for the final
// response and ACKs it (RFC 3261 §17.1.1.3) so the server's transaction ends. Loopback only.
import dgram from 'node:dgram';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';

export async function sipSocket(address = '127.0.0.1') {
  const sock = dgram.createSocket('udp4');
  await new Promise((resolve, reject) => { sock.once('error', reject); sock.bind(0, address, resolve); });
  const waiting = new Map();  // Call-ID → resolve
  sock.on('message', (msg) => {
    const text = msg.toString('latin1');
    const status = /^SIP\/2\.0 (\d{3}) ([^\r\n]*)/.exec(text);
    const callId = /\r\nCall-ID: *([^\r\n]+)/i.exec(text);
    if (!status || !callId || Number(status[1]) < 200) return;
    const w = waiting.get(callId[1].trim());
    if (w) { waiting.delete(callId[1].trim()); w({ status: Number(status[1]), reason: status[2], text }); }
  });
  const local = sock.address();
  return {
    address: local.address,
    port: local.port,
    // Sends an INVITE and resolves {status, reason, text} of its final response (rejects after
    // timeoutMs). `user` is the Request-URI user part; `headers` extra header lines.
    invite(target, { user = 'alice', headers = [], body = defaultSdp(local.address), timeoutMs = 5000 } = {}) {
      const callId = randomBytes(8).toString('hex');
      const branch = 'z9hG4bK' + randomBytes(6).toString('hex');
      const tag = randomBytes(4).toString('hex');
      const via = `SIP/2.0/UDP ${local.address}:${local.port};branch=${branch};rport`;
      const from = `<sip:caller@${local.address}:${local.port}>;tag=${tag}`;
      const to = `<sip:${user.length > 64 ? 'long' : user}@${target.host}:${target.port}>`;
      const msg = [
        `INVITE sip:${user}@${target.host}:${target.port} SIP/2.0`, `Via: ${via}`, `From: ${from}`, `To: ${to}`,
        `Call-ID: ${callId}`, 'CSeq: 1 INVITE', `Contact: <sip:caller@${local.address}:${local.port}>`,
        'Max-Forwards: 70', ...headers, 'Content-Type: application/sdp', `Content-Length: ${Buffer.byteLength(body)}`, '', body,
      ].join('\r\n');
      const reply = new Promise((resolve, reject) => {
        const t = setTimeout(() => { waiting.delete(callId); reject(new Error(`no final response to ${callId}`)); }, timeoutMs);
        waiting.set(callId, (r) => { clearTimeout(t); resolve(r); });
      });
      sock.send(Buffer.from(msg, 'latin1'), target.port, target.host);
      return reply.then((r) => {
        const toTag = /\r\nTo: *[^\r\n]*;tag=([^;\r\n]+)/i.exec(r.text);
        const ack = [
          `ACK sip:${user}@${target.host}:${target.port} SIP/2.0`, `Via: ${via}`, `From: ${from}`,
          `To: ${to}${toTag ? `;tag=${toTag[1]}` : ''}`, `Call-ID: ${callId}`, 'CSeq: 1 ACK', 'Max-Forwards: 70',
          'Content-Length: 0', '', '',
        ].join('\r\n');
        if (r.status >= 300) sock.send(Buffer.from(ack, 'latin1'), target.port, target.host);
        return r;
      });
    },
    close() { sock.close(); },
  };
}

export function defaultSdp(address) {
  return ['v=0', `o=- 1 1 IN IP4 ${address}`, 's=-', `c=IN IP4 ${address}`, 't=0 0',
    'm=audio 40000 RTP/AVP 0', 'a=rtpmap:0 PCMU/8000', ''].join('\r\n');
}

// VmRSS of a process in KB (Linux /proc).
export function rssKb(pid) {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]);
}
