// Temporary folders for a test file (configs, certificates, sipp logs, recordings), removed when
// the test file's process exits, whether its tests passed or not: a CI machine runs the suite
// many times and /tmp is not cleaned between runs.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const made = [];
process.on('exit', () => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

// A new folder /tmp/<prefix>XXXXXX, removed at exit.
export function tempDir(prefix) {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}
