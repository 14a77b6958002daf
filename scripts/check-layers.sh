#!/usr/bin/env bash
# Fails when a folder of server/ includes a folder above it in the layer order below: every
# #include "server/<folder>/..." must name the including file's own folder or a lower layer.
# Prints each offending include (file:line: text) and exits 1; quiet and 0 when the tree is clean.
# Usage: scripts/check-layers.sh [ROOT]   (ROOT defaults to the repository this script is in)
#
# Verified to fail: with `#include "server/api/RestApi.hpp"` added to server/media/Sdp.cpp it
# printed that line and exited 1; with `#include "server/voice/Call.hpp"` added to
# server/signaling/MediaJson.hpp (a peer on the same layer) likewise; with a new folder
# server/extra/ it named the folder as missing from the order. All three were then removed.
set -euo pipefail
cd "${1:-$(dirname "$0")/..}"

# The layers, lowest first. A folder may include its own files and those of lower layers only;
# folders on the same layer are peers and include neither each other nor anything above.
#   0 base       logging, metrics, rate limiting, UTF-8: the ground, includes nothing of server/
#   1 state sip  the session store; the SIP endpoint and call audio
#   2 net        the HTTP/WebSocket transport and its framework (Router, HttpError, JSON bodies)
#   3 auth       tokens, account credentials (answered as HTTP errors)
#   4 session    the call-control rules and their SessionError
#   5 media      Janus rooms and legs, following call control through its observer interface
#   6 signaling voice   the device protocol; the voice API and BXML call flows
#   7 bridge     SIP calls joined to media and voice
#   8 api ops web   the REST API, operations routes, the demo app and static files
#   9 app        the wiring: the only folder that may include everything
declare -A rank=(
    [base]=0
    [state]=1 [sip]=1
    [net]=2
    [auth]=3
    [session]=4
    [media]=5
    [signaling]=6 [voice]=6
    [bridge]=7
    [api]=8 [ops]=8 [web]=8
    [app]=9
)

failed=0
for dir in server/*/; do
    folder=$(basename "$dir")
    if [ -z "${rank[$folder]+set}" ]; then
        echo "check-layers: server/$folder/ is not in the layer order of $0" >&2
        failed=1
    fi
done

while IFS= read -r hit; do
    file=${hit%%:*}
    rest=${hit#*:}
    text=${rest#*:}
    from=${file#server/}
    from=${from%%/*}
    to=$(sed -E 's|^[[:space:]]*#[[:space:]]*include[[:space:]]*"server/+([^/"]+)/.*|\1|' <<<"$text")
    [ "$from" = "$to" ] && continue
    if [ -z "${rank[$from]+set}" ] || [ -z "${rank[$to]+set}" ]; then
        echo "$hit    <- server/$to/ is not in the layer order" >&2
        failed=1
    elif [ "${rank[$to]}" -ge "${rank[$from]}" ]; then
        echo "$hit    <- $from (layer ${rank[$from]}) may not include $to (layer ${rank[$to]})" >&2
        failed=1
    fi
done < <(grep -rnE '^[[:space:]]*#[[:space:]]*include[[:space:]]*"server/' server \
    --include='*.cpp' --include='*.hpp' --include='*.h' || true)

exit "$failed"
