#!/usr/bin/env bash
# Builds the browser SDK: configures build-wasm/ from wasm/CMakeLists.txt with Emscripten's
# toolchain file (once), builds it (web/dist/) and prints the gzip -9 size of what a page loads.
# The build step of the top-level CMake's `wasm` target (`make wasm`); also usable alone, without
# the server's dependencies (the npm scripts of web/package.json).
# Usage: wasm/build.sh   (from anywhere)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${SB_WASM_OUT:-$ROOT/build-wasm}"
if [ ! -f "$OUT/build.ninja" ]; then
    "$ROOT/wasm/em-env.sh" cmake -S "$ROOT/wasm" -B "$OUT" -G Ninja \
        -DCMAKE_TOOLCHAIN_FILE=/usr/share/emscripten/cmake/Modules/Platform/Emscripten.cmake >/dev/null
fi
"$ROOT/wasm/em-env.sh" cmake --build "$OUT"
