// If Janus restarts, switchboard reconnects to it, and rooms are rebuilt for new media.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { startJanus } from '../support/media.mjs';
import { startMediaStack, until } from './media-fixture.mjs';

let stack;
after(async () => { await stack?.stop(); });

test('after Janus is killed and started again, devices exchange audio again', async () => {
  stack = await startMediaStack();
  const sdk = (process.env.SB_SDKS || 'switchboard,stock').split(',')[0];
  const s1 = await stack.session();
  const a = await stack.participant(s1);
  const b = await stack.participant(s1);
  const pa = await stack.device(a.token, { sdk });
  const pb = await stack.device(b.token, { sdk });
  await pa.evaluate(() => window.rtcPublish({ audio: true, video: false }));
  await stack.hears(pb, a.id);

  const port = Number(new URL(stack.janus.wsUrl).port);
  const adminKey = stack.janus.adminKey;
  stack.janus.proc.kill('SIGKILL');
  await stack.janus.exited;
  await until(async () => /janus: .*reconnecting/.test(stack.sb.logs()), { what: 'switchboard notices Janus is gone' });
  stack.janus = await startJanus({ netns: true, wsPort: port, adminKey });
  await until(async () => (stack.sb.logs().match(/janus: connected/g) || []).length >= 2, { timeout: 15000, what: 'reconnect' });

  await pa.close();
  await pb.close();
  const s2 = await stack.session();
  const c = await stack.participant(s2);
  const d = await stack.participant(s2);
  const pc = await stack.device(c.token, { sdk });
  const pd = await stack.device(d.token, { sdk });
  await pc.evaluate(() => window.rtcPublish({ audio: true, video: false }));
  await pd.evaluate(() => window.rtcPublish({ audio: true, video: false }));
  await stack.hears(pd, c.id);
  await stack.hears(pc, d.id);
  assert.ok(true);
  await pc.close();
  await pd.close();
});
