// The npm package as users get it (STYLE.md 12): `npm pack` in web/ (which builds the wasm first
// if web/dist is missing) and `npm install` of the tarball into a fresh application folder.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const web = path.join(root, 'web');
export const PKG = '@switchboard/webrtc-browser';

// `type`: the application's package.json "type" ("module", or undefined for CommonJS).
export function installPacked({ type } = {}) {
  if (!['switchboard.wasm', 'index.js', 'index.cjs', 'index.d.cts'].every((f) => existsSync(path.join(web, 'dist', f)))) {
    execFileSync(path.join(root, 'wasm/build.sh'), { stdio: 'inherit' });
  }
  const work = mkdtempSync(path.join(tmpdir(), 'sb-pack-'));
  const out = execFileSync('npm', ['pack', '--silent', '--pack-destination', work], { cwd: web, encoding: 'utf8' });
  const tarball = path.join(work, out.trim().split('\n').pop());
  const app = path.join(work, 'app');
  mkdirSync(app);
  writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, ...(type ? { type } : {}) }));
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--silent', tarball], { cwd: app });
  return {
    work,
    app,
    installed: path.join(app, 'node_modules', PKG),
    cleanup: () => rmSync(work, { recursive: true, force: true }),
  };
}
