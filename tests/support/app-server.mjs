// The tests' application server (what a customer's web app is to switchboard): every request's
// JSON body is parsed (an empty body is {}) and handed to `respond({ url, path, event, req })`,
// `url` being the request target and `path` its part before any query. What `respond` returns is
// the reply: a string (BXML, sent as application/xml), a Buffer (a WAV file, audio/wav),
// nothing ('' as application/xml), or { status, body, type } for anything else.
// Resolves to the listening http.Server (on 127.0.0.1, a free port).
import http from 'node:http';

export async function startAppServer(respond) {
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      const event = body ? JSON.parse(body) : {};
      const reply = respond({ url: req.url, path: req.url.split('?')[0], event, req }) ?? '';
      const full = typeof reply === 'string' || Buffer.isBuffer(reply) ? { body: reply } : reply;
      res.statusCode = full.status ?? 200;
      res.setHeader('content-type', full.type ?? (Buffer.isBuffer(full.body) ? 'audio/wav' : 'application/xml'));
      res.end(full.body ?? '');
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return server;
}
