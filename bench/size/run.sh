#!/usr/bin/env bash
# Download size of the browser SDK: gzip -9 bytes of the .wasm and of every JS file a page loads
# (the module graph of dist/index.js), against the goal (40,000 bytes) and the peer SDKs measured
# the same way (reference §8 for Bandwidth; the others from the size issue).
# Usage: bench/size/run.sh [dist-folder]      (default: web/dist; built by wasm/build.sh)
#        SB_SIZE_DETAIL=1 bench/size/run.sh   also list what takes room in the wasm
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DIST="${1:-$ROOT/web/dist}"
GOAL=40000

gz() { gzip -9 -c "$1" | wc -c; }
[ -f "$DIST/switchboard.wasm" ] || { echo "no $DIST/switchboard.wasm: run wasm/build.sh first" >&2; exit 1; }

# The JS a page loads: index.js and what it imports, transitively (static imports only).
declare -A seen=()
queue=(index.js)
while [ ${#queue[@]} -gt 0 ]; do
    f="${queue[0]}"; queue=("${queue[@]:1}")
    [ -n "${seen[$f]:-}" ] && continue
    seen[$f]=1
    for dep in $(grep -oE "(from|import) +'\./[^']+\.js'" "$DIST/$f" | grep -oE "[^/']+\.js"); do queue+=("$dep"); done
done

wasm=$(gz "$DIST/switchboard.wasm")
js=0
printf '%-22s %9s %9s\n' file bytes gzip-9
printf '%-22s %9d %9d\n' switchboard.wasm "$(wc -c <"$DIST/switchboard.wasm")" "$wasm"
for f in $(printf '%s\n' "${!seen[@]}" | sort); do
    g=$(gz "$DIST/$f")
    js=$((js + g))
    printf '%-22s %9d %9d\n' "$f" "$(wc -c <"$DIST/$f")" "$g"
done
total=$((wasm + js))
echo "gzip -9: wasm $wasm + js $js = total $total bytes (goal $GOAL)"
awk -v t="$total" -v g="$GOAL" 'BEGIN {
    printf "ratio to goal: %.3f (%s)\n", t / g, t <= g ? "within goal" : "OVER goal by " t - g " bytes";
    split("Twilio Voice:46534,Bandwidth webrtc-browser 0.12.0-beta.1:48020,SIP.js:50341,mediasoup-client:39661", peers, ",");
    for (i = 1; i <= 4; i++) { split(peers[i], p, ":"); printf "  vs %-38s %6d bytes: ratio %.3f\n", p[1], p[2], t / p[2]; }
}'
if [ "${SB_SIZE_DETAIL:-0}" = 1 ] && [ -f "$ROOT/build-wasm/switchboard.js.symbols" ]; then
    python3 "$ROOT/bench/size/wasm_top.py" "$ROOT/build-wasm/switchboard.wasm" "$ROOT/build-wasm/switchboard.js.symbols" 30
fi
