// An IVR application server for Switchboard's Voice API, written only with Bandwidth's own Node SDK
// (`bandwidth-sdk`): its BXML builders make every document and its CallsApi places calls. Pointed at
// Switchboard by its base URL alone — the same code runs against Bandwidth's Voice API.
//
//   node examples/ivr-node/ivr.mjs --api http://127.0.0.1:8080 --account 9900000 \
//        --user demo --password demo-password --listen 127.0.0.1:9100 --sales +15551230000 \
//        [--call +15551234567 --from +15550100000]
//
// Inbound calls whose number's initiate callback points at http://<listen>/answer, and the call it
// places with --call, hear a menu: 1 transfers to --sales, 2 records a message, nothing hangs up.
import http from 'node:http';
import { parseArgs } from 'node:util';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { Bxml, CallsApi, Configuration } = require('bandwidth-sdk');

const { values: opt } = parseArgs({
  options: {
    api: { type: 'string', default: 'http://127.0.0.1:8080' },
    account: { type: 'string', default: '9900000' },
    user: { type: 'string', default: 'demo' },
    password: { type: 'string', default: 'demo-password' },
    listen: { type: 'string', default: '127.0.0.1:9100' },
    sales: { type: 'string', default: '+15551230000' },
    call: { type: 'string' },
    from: { type: 'string', default: '+15550100000' },
  },
});
const [host, port] = opt.listen.split(':');
const base = `http://${opt.listen}`;

const MENU = 'Thank you for calling. For sales, press 1. To leave a message, press 2.';

// Each route returns the BXML for one callback event (Bandwidth's event names).
const routes = {
  '/answer': () => new Bxml.Response([
    new Bxml.Gather({ gatherUrl: `${base}/menu`, maxDigits: 1, firstDigitTimeout: 5, repeatCount: 2 },
      [new Bxml.SpeakSentence(MENU, { voice: 'julie' })]),
    new Bxml.SpeakSentence('We did not get your choice. Goodbye.'),
    new Bxml.Hangup(),
  ]),
  '/menu': (event) => {
    if (event.digits === '1') {
      return new Bxml.Response([
        new Bxml.SpeakSentence('Connecting you to sales.'),
        new Bxml.Transfer({ transferCompleteUrl: `${base}/transfer-complete` }, [new Bxml.PhoneNumber(opt.sales)]),
      ]);
    }
    if (event.digits === '2') {
      return new Bxml.Response([
        new Bxml.SpeakSentence('Please leave a message after the tone, then press pound.'),
        new Bxml.PlayAudio(`${base}/beep.wav`),
        new Bxml.Record({ maxDuration: 30, terminatingDigits: '#', recordCompleteUrl: `${base}/recorded`,
          recordingAvailableUrl: `${base}/recording-available` }),
      ]);
    }
    return new Bxml.Response([new Bxml.Redirect({ redirectUrl: `${base}/answer` })]);
  },
  '/transfer-complete': () => new Bxml.Response([new Bxml.SpeakSentence('The call has ended. Goodbye.'), new Bxml.Hangup()]),
  '/recorded': () => new Bxml.Response([new Bxml.SpeakSentence('Thank you. Goodbye.'), new Bxml.Hangup()]),
};

// A 0.3 s 1 kHz beep, 8 kHz mono 16-bit PCM WAV.
function beep() {
  const n = 2400;
  const wav = Buffer.alloc(44 + n * 2);
  wav.write('RIFF', 0); wav.writeUInt32LE(36 + n * 2, 4); wav.write('WAVEfmt ', 8);
  wav.writeUInt32LE(16, 16); wav.writeUInt16LE(1, 20); wav.writeUInt16LE(1, 22);
  wav.writeUInt32LE(8000, 24); wav.writeUInt32LE(16000, 28); wav.writeUInt16LE(2, 32); wav.writeUInt16LE(16, 34);
  wav.write('data', 36); wav.writeUInt32LE(n * 2, 40);
  for (let i = 0; i < n; i++) wav.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * 1000 * i) / 8000)), 44 + i * 2);
  return wav;
}

const server = http.createServer((req, res) => {
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (d) => { if (body.length < 65536) body += d; });
  req.on('end', () => {
    const path = req.url.split('?')[0];
    if (path === '/beep.wav') {
      res.setHeader('content-type', 'audio/wav');
      res.end(beep());
      return;
    }
    let event = {};
    try { event = body ? JSON.parse(body) : {}; } catch { res.statusCode = 400; res.end(); return; }
    console.log(`${event.eventType ?? req.method} ${path}${event.digits !== undefined ? ` digits=${event.digits}` : ''}` +
      `${event.mediaUrl ? ` recording=${event.mediaUrl}` : ''}${event.cause ? ` cause=${event.cause}` : ''}`);
    const route = routes[path];
    res.setHeader('content-type', 'application/xml');
    res.end(route ? route(event).toBxml() : '');
  });
});

server.listen(Number(port), host, async () => {
  console.log(`ivr: callbacks on ${base}/answer`);
  if (!opt.call) return;
  const calls = new CallsApi(new Configuration({ username: opt.user, password: opt.password, basePath: `${opt.api}/api/v2` }));
  const { data } = await calls.createCall(opt.account, {
    from: opt.from, to: opt.call, applicationId: 'ivr-node', answerUrl: `${base}/answer`,
    disconnectUrl: `${base}/disconnect`,
  });
  console.log(`ivr: placed call ${data.callId} to ${opt.call}`);
});
