#!/usr/bin/env bash
# Builds the browser SDK without the rest of the project: configures build-wasm/ from
# wasm/CMakeLists.txt with Emscripten's toolchain file, builds it (web/dist/) and prints the gzip -9
# size of what a page loads. `make wasm` does the same through the top-level CMakeLists.txt; this
# is for the npm scripts (web/package.json) and machines without the server's dependencies.
# Usage: wasm/build.sh   (from anywhere)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${SB_WASM_OUT:-$ROOT/build-wasm}"
if [ ! -f "$OUT/build.ninja" ]; then
    "$ROOT/wasm/em-env.sh" cmake -S "$ROOT/wasm" -B "$OUT" -G Ninja \
        -DCMAKE_TOOLCHAIN_FILE=/usr/share/emscripten/cmake/Modules/Platform/Emscripten.cmake >/dev/null
fi
"$ROOT/wasm/em-env.sh" cmake --build "$OUT"
