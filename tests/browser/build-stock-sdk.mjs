#!/usr/bin/env node
// Bundles the stock Bandwidth browser SDK (@bandwidth/webrtc-browser@0.12.0-beta.1, an npm
// devDependency) into build-tests/stock-sdk.js, an ES module for the test pages
// (tests/browser/pages/stock-sdk.html). The package ships CommonJS only (dist/index.js, no browser
// bundle) and imports Node's `events`, so esbuild bundles it for the browser with the `events`
// polyfill package (also a devDependency). Usage: node tests/browser/build-stock-sdk.mjs
import { build } from 'esbuild';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const STOCK_SDK_OUT = path.join(root, 'build-tests/stock-sdk.js');

// Builds the bundle; resolves to {outfile, warnings}.
export async function buildStockSdk({ outfile = STOCK_SDK_OUT, minify = false } = {}) {
  mkdirSync(path.dirname(outfile), { recursive: true });
  const result = await build({
    stdin: {
      // Re-export the package's CommonJS exports as ES module exports.
      contents: `export {
  default, default as BandwidthRtc, BandwidthRtcV2, BandwidthRtcV3,
  AudioLevel, MediaType, MediaAggregationType, BandwidthRtcError,
} from '@bandwidth/webrtc-browser';
`,
      resolveDir: root,
      sourcefile: 'stock-sdk-entry.js',
      loader: 'js',
    },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2020',
    // Node's `events` -> the npm `events` polyfill (esbuild would find it anyway for platform
    // browser; being explicit keeps it from silently picking something else).
    alias: { events: path.join(root, 'node_modules/events/events.js') },
    define: { 'process.env.NODE_ENV': '"production"', global: 'globalThis' },
    outfile,
    sourcemap: true,
    minify,
    logLevel: 'silent',
    legalComments: 'none',
  });
  return { outfile, warnings: result.warnings };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  buildStockSdk().then(({ outfile, warnings }) => {
    for (const w of warnings) console.warn(`warning: ${w.text}`);
    console.log(`built ${path.relative(root, outfile)}`);
  }).catch((e) => { console.error(e.message); process.exit(1); });
}
