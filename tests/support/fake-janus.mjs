// A stand-in for Janus's WebSocket API (janus-protocol), enough for switchboard to create its
// session, attach handles, create rooms and publish — and to answer a publish with whatever the
// test sets (`publishReply`), malformed replies included. Loopback only.
import { WebSocketServer } from 'ws';

const ANSWER_SDP = ['v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 't=0 0', 'a=group:BUNDLE 0', 'm=audio 9 UDP/TLS/RTP/SAVPF 111',
  'c=IN IP4 127.0.0.1', 'a=mid:0', 'a=recvonly', 'a=rtpmap:111 opus/48000/2', 'a=ice-ufrag:fake', 'a=ice-pwd:fakefakefakefakefakefake',
  'a=fingerprint:sha-256 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF',
  'a=setup:active', ''].join('\r\n');

// The well-formed answer to joinandconfigure/publish/configure (VideoRoom "joined" + jsep).
export function goodPublishReply({ transaction, sender }) {
  return {
    janus: 'event', session_id: 1, sender, transaction,
    plugindata: { plugin: 'janus.plugin.videoroom', data: { videoroom: 'joined', room: 1, id: 777 } },
    jsep: { type: 'answer', sdp: ANSWER_SDP },
  };
}

export async function startFakeJanus() {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, handleProtocols: () => 'janus-protocol' });
  await new Promise((r) => wss.on('listening', r));
  let nextId = 100;
  const refused = new Map();  // feed → rtp_forward requests naming it so far
  const fake = {
    url: `ws://127.0.0.1:${wss.address().port}`,
    sessions: 0,
    received: [],
    // (request, context) → a message object (sent as JSON), a string (sent as is) or null (no reply).
    publishReply: goodPublishReply,
    // Janus adds a remote publisher to its room from the publisher's own thread, after answering
    // add_remote_publisher: an rtp_forward of it right away can get "No such feed" (428). The
    // first `feedLag` rtp_forward requests naming each feed are answered that way.
    feedLag: 0,
    sockets: () => wss.clients,
    close: () => new Promise((r) => { for (const c of wss.clients) c.terminate(); wss.close(r); }),
  };
  wss.on('connection', (ws) => {
    const send = (m) => ws.send(typeof m === 'string' ? m : JSON.stringify(m));
    ws.on('message', (data) => {
      const m = JSON.parse(String(data));
      fake.received.push(m);
      const { transaction } = m;
      const success = (extra) => send({ janus: 'success', transaction, session_id: m.session_id, ...extra });
      switch (m.janus) {
        case 'create': fake.sessions++; return success({ data: { id: nextId++ } });
        case 'attach': return success({ data: { id: nextId++ } });
        case 'keepalive': return send({ janus: 'ack', transaction });
        case 'detach': case 'hangup': return success({});
        case 'message': {
          const request = m.body?.request;
          if (['joinandconfigure', 'publish', 'configure'].includes(request)) {
            send({ janus: 'ack', transaction });
            const reply = fake.publishReply({ transaction, sender: m.handle_id, body: m.body });
            if (reply !== null) send(reply);
            return;
          }
          if (request === 'rtp_forward') {
            const feed = m.body.publisher_id;
            refused.set(feed, (refused.get(feed) ?? 0) + 1);
            if (refused.get(feed) <= fake.feedLag) {
              return success({ sender: m.handle_id, plugindata: { plugin: 'janus.plugin.videoroom',
                data: { videoroom: 'event', error_code: 428, error: `No such feed (${feed})` } } });
            }
            return success({ sender: m.handle_id, plugindata: { plugin: 'janus.plugin.videoroom',
              data: { videoroom: 'rtp_forward', publisher_id: feed, forwarders: [{ stream_id: nextId++ }] } } });
          }
          // add_remote_publisher (phones): an id and a port on loopback nobody listens on.
          const data = request === 'create' ? { videoroom: 'created', room: m.body.room }
            : request === 'add_remote_publisher' ? { videoroom: 'success', id: nextId++, ip: '127.0.0.1', port: 9 }
              : { videoroom: 'success' };
          return success({ sender: m.handle_id, plugindata: { plugin: 'janus.plugin.videoroom', data } });
        }
        default: return send({ janus: 'error', transaction, error: { code: 457, reason: 'unknown request' } });
      }
    });
  });
  return fake;
}
