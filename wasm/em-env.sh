#!/usr/bin/env bash
# Runs a command with the environment Debian's Emscripten 3.1.6 needs (docs/architecture.md,
# "Browser SDK build"): wasm/CMakeLists.txt uses it as the compiler and link launcher, and the
# top-level CMakeLists.txt and wasm/build.sh configure build-wasm/ through it.
# Usage: wasm/em-env.sh COMMAND [ARGS...]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${SB_WASM_OUT:-$ROOT/build-wasm}"

# Without it any optimized link fails: "Cannot find module 'acorn'" (Debian's emcc takes acorn & co
# from the system's node modules).
export NODE_PATH="${NODE_PATH:-/usr/share/nodejs}"
# Emscripten writes its cache next to its config by default (read-only here); a copy of the
# prebuilt system libraries in the build folder instead.
export EM_CACHE="${EM_CACHE:-$OUT/em-cache}"
if [ ! -d "$EM_CACHE" ]; then
    mkdir -p "$(dirname "$EM_CACHE")"
    cp -r /usr/share/emscripten/cache "$EM_CACHE" 2>/dev/null || mkdir -p "$EM_CACHE"
fi
# Build tools from npm (wasm/package.json): Closure for the glue JS, esbuild for the facade.
if [ ! -x "$ROOT/wasm/node_modules/.bin/esbuild" ] || [ ! -x "$ROOT/wasm/node_modules/.bin/google-closure-compiler" ]; then
    (cd "$ROOT/wasm" && npm ci --no-audit --no-fund --silent)
fi
export EM_CLOSURE_COMPILER="$ROOT/wasm/node_modules/.bin/google-closure-compiler"
exec "$@"
