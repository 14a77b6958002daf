// Text crossing the embind boundary of the shipped bundle (web/dist/index.js, the glue as
// web/trim-glue.mjs leaves it): a string goes into the core as
// UTF-8 and comes back out unchanged, whatever its characters, embedded NULs included.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { installBrowserShims } from './support/browserShims.mjs';
import { root } from './support/packed.mjs';

let sdk;
before(async () => {
  installBrowserShims();
  sdk = await import(pathToFileURL(path.join(root, 'web/dist/index.js')).href);
});

test('a URL the core cannot reach comes back in the error, character for character', async () => {
  // Nothing listens on port 9 of loopback: the connection is refused at once. The core quotes
  // the URL it was given in its error (docs/sdk.md "server_unreachable").
  for (const url of ['ws://127.0.0.1:9/plain', 'ws://127.0.0.1:9/été/日本/😀', 'ws://127.0.0.1:9/a\u0000b\u0000']) {
    const rtc = new sdk.SwitchboardRtc('off');
    await assert.rejects(rtc.connect({ deviceToken: 'tök\u0000en' }, { websocketUrl: url, timeoutMs: 5000 }), (error) => {
      assert.equal(error.code, 'server_unreachable', error.message);
      assert.ok(error.message.endsWith(` at ${url}`), JSON.stringify(error.message));
      return true;
    });
    assert.equal(rtc.connectionState, 'failed');
  }
});
