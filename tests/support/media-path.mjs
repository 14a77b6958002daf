// Cutting one page's media path inside the test network namespace, and watching its audio come
// back. Used by tests/browser/ice-restart.test.mjs and bench/reconnect/ice.mjs.
import { execFileSync } from 'node:child_process';
import { until } from './browser.mjs';

let tables = 0;

// The remote (Janus) ports of the selected candidate pairs of the page's open peer connections
// (W3C webrtc-stats: transport.selectedCandidatePairId → candidate-pair.remoteCandidateId).
export function janusPorts(page) {
  return page.evaluate(async () => {
    const ports = [];
    for (const pc of window.__pcs || []) {
      if (pc.connectionState === 'closed') continue;
      const stats = await pc.getStats();
      stats.forEach((r) => {
        if (r.type !== 'transport' || !r.selectedCandidatePairId) return;
        const pair = stats.get(r.selectedCandidatePairId);
        const remote = pair && stats.get(pair.remoteCandidateId);
        if (remote) ports.push(remote.port);
      });
    }
    return ports;
  });
}

// Drops every UDP packet from or to `ports` (nft, in the namespace this process runs in) until
// restore(). The table's name is ours alone; restore() deletes it.
export async function cutPorts(ports) {
  const table = `sb_media_cut_${process.pid}_${++tables}`;
  const set = ports.join(', ');
  const rules = `table inet ${table} {
  chain input { type filter hook input priority -10; policy accept;
    udp sport { ${set} } drop
    udp dport { ${set} } drop
  }
}
`;
  execFileSync('nft', ['-f', '-'], { input: rules });
  let restored = false;
  return {
    table,
    async restore() {
      if (restored) return;
      restored = true;
      execFileSync('nft', ['delete', 'table', 'inet', table]);
    },
  };
}

// The audio energy `page` has received from `participantId`'s live stream (inbound-rtp
// totalAudioEnergy), or -1 when it has no such stream.
export async function energyFrom(stack, page, participantId) {
  const found = (await stack.liveStreams(page)).find((e) => e.participantId === participantId);
  if (!found) return -1;
  const s = await page.evaluate((id) => window.streamStats(id), found.endpointId);
  return s ? s.audio.energy : -1;
}

// Waits until the energy `page` receives from `participantId` rises over `windowMs`.
export async function energyRises(stack, page, participantId, { what, timeout = 30000, windowMs = 1000 } = {}) {
  await until(async () => {
    const before = await energyFrom(stack, page, participantId);
    if (before < 0) return false;
    await new Promise((r) => setTimeout(r, windowMs));
    return (await energyFrom(stack, page, participantId)) > before;
  }, { timeout, what });
}
