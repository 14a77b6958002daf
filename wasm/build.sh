#!/usr/bin/env bash
# Builds the browser SDK: wasm/core + wasm/browser + wasm/bindings with Debian's em++ (3.1.6) into
# build-wasm/, then assembles web/dist/ (the files the npm package ships) and prints the gzip -9
# size of what a page loads. Usage: wasm/build.sh   (from anywhere; `make wasm` calls it)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${SB_WASM_OUT:-$ROOT/build-wasm}"
DIST="$ROOT/web/dist"
mkdir -p "$OUT" "$DIST"

# toolchain-notes Q5: Debian's emcc needs acorn & co from here, else "Cannot find module 'acorn'".
export NODE_PATH="${NODE_PATH:-/usr/share/nodejs}"
# Emscripten writes its cache next to the config by default; keep it in the build folder.
export EM_CACHE="${EM_CACHE:-$OUT/em-cache}"
if [ ! -d "$EM_CACHE" ]; then cp -r /usr/share/emscripten/cache "$EM_CACHE" 2>/dev/null || mkdir -p "$EM_CACHE"; fi

# Build tools from npm (wasm/package.json): Closure for the glue JS, esbuild for the facade.
if [ ! -x "$ROOT/wasm/node_modules/.bin/esbuild" ] || [ ! -x "$ROOT/wasm/node_modules/.bin/google-closure-compiler" ]; then
    (cd "$ROOT/wasm" && npm ci --no-audit --no-fund --silent)
fi
export EM_CLOSURE_COMPILER="$ROOT/wasm/node_modules/.bin/google-closure-compiler"

# Never -I/usr/include (it breaks the wasm sysroot, toolchain-notes Q5): only the repo root.
# Size choices (bench/size/run.sh measures them): -Oz with LTO; no exceptions and no RTTI;
# sign-ext / non-trapping float-to-int / bulk-memory, which every WebRTC browser has; emmalloc;
# Closure on the glue; no filesystem; no eval in the glue (DYNAMIC_EXECUTION=0, CSP-friendly).
# The browser calls are a JS library (wasm/browser/library.js) and the facade calls the exported
# C functions of wasm/bindings/ through pre.js; embind (--bind) carries JSON text to and from the
# browser's JSON.parse/JSON.stringify (wasm/browser/JsonText.cpp). Without RTTI, embind names
# types by number (EMSCRIPTEN_HAS_UNBOUND_TYPE_NAMES=0).
CXXFLAGS=(-std=c++17 -Oz -flto -mnontrapping-fptoint -msign-ext -mbulk-memory -fno-exceptions -fno-rtti -DNDEBUG
    -DEMSCRIPTEN_HAS_UNBOUND_TYPE_NAMES=0 -I"$ROOT" -Wall -Wextra -Wshadow)
EXPORTS=(sb_call sb_new sb_connect sb_publish_media sb_publish_stream sb_unpublish sb_send_dtmf
    sb_set_tracks_enabled sb_get_stats sb_disconnect malloc)
LDFLAGS=(-Oz -flto -mnontrapping-fptoint -msign-ext -mbulk-memory -fno-exceptions -fno-rtti
    -sMODULARIZE=1 -sEXPORT_ES6=1 -sEXPORT_NAME=createSwitchboardModule
    -sENVIRONMENT=web -sFILESYSTEM=0 -sMALLOC=emmalloc -sDYNAMIC_EXECUTION=0 -sTEXTDECODER=2
    -sSUPPORT_LONGJMP=0 -sINCOMING_MODULE_JS_API=[instantiateWasm] -sINITIAL_MEMORY=4194304 -sTOTAL_STACK=262144 -sALLOW_MEMORY_GROWTH=1
    "-sEXPORTED_FUNCTIONS=$(printf '_%s,' "${EXPORTS[@]}" | sed 's/,$//')"
    --bind --js-library "$ROOT/wasm/browser/library.js" --pre-js "$ROOT/wasm/browser/pre.js" --emit-symbol-map --closure 1)

# Objects are rebuilt when a source or any header changed, or when the flags did.
FLAGS_ID="$(echo "${CXXFLAGS[*]}" | md5sum | cut -c1-12)"
if [ "$(cat "$OUT/obj/flags" 2>/dev/null)" != "$FLAGS_ID" ]; then rm -rf "$OUT/obj"; fi
mkdir -p "$OUT/obj" && echo "$FLAGS_ID" >"$OUT/obj/flags"

SOURCES=("$ROOT"/wasm/core/*.cpp "$ROOT"/wasm/browser/*.cpp "$ROOT"/wasm/bindings/*.cpp)
OBJS=()
for src in "${SOURCES[@]}"; do
    obj="$OUT/obj/$(basename "$(dirname "$src")")_$(basename "${src%.cpp}").o"
    if [ ! -f "$obj" ] || [ "$src" -nt "$obj" ] || [ -n "$(find "$ROOT/wasm/core" "$ROOT/wasm/browser" "$ROOT/protocol" -name '*.hpp' -newer "$obj" -print -quit)" ]; then
        em++ "${CXXFLAGS[@]}" -c "$src" -o "$obj"
    fi
    OBJS+=("$obj")
done
em++ "${OBJS[@]}" "${LDFLAGS[@]}" -o "$OUT/switchboard.js"

# The page loads one JS file: the facade (web/src/) and the Emscripten glue bundled and minified.
rm -rf "$OUT/facade" "$DIST"/*
mkdir -p "$OUT/facade" "$DIST"
cp "$ROOT"/web/src/*.js "$OUT/switchboard.js" "$OUT/facade/"
"$ROOT/wasm/node_modules/.bin/esbuild" "$OUT/facade/index.js" --bundle --format=esm --minify --target=es2020 \
    --legal-comments=none --log-level=warning --outfile="$DIST/index.js"
cp "$OUT/switchboard.wasm" "$DIST/"
"$ROOT/bench/size/run.sh" "$DIST"
