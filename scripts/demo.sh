#!/usr/bin/env bash
# `make demo`: starts Janus and switchboard with config/switchboard.demo.json, prints where to go,
# and stops both on Ctrl-C. Janus uses this machine's real interfaces (a normal machine); run it
# as `scripts/netns.sh exec scripts/demo.sh` to keep everything inside the test namespace instead.
#
# Janus is started the way the production unit starts it: its configs are generated from
# switchboard's config by `switchboard --write-configs DIR` (one source of truth: the templates of
# config/janus/, the admin key in var/janus/admin_key that switchboard reads through
# janusAdminKeyFile), then `janus -C DIR/janus.jcfg -F DIR`.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p var
JANUS_PORT=${JANUS_PORT:-8188}
JANUS_DIR=$(pwd)/var/janus
SWITCHBOARD=(build/switchboard --config config/switchboard.demo.json --janus "ws://127.0.0.1:${JANUS_PORT}")
node scripts/janus.mjs stop --dir "$JANUS_DIR" >/dev/null 2>&1 || true
"${SWITCHBOARD[@]}" --write-configs "$JANUS_DIR" >/dev/null
# -o no colours, -L log file, -N no stdout log. Its working directory is outside the working tree:
# a core dump ("core" is relative to it) must never land in the repository (docs/janus-crash.md).
(cd "${TMPDIR:-/tmp}" && exec janus -C "$JANUS_DIR/janus.jcfg" -F "$JANUS_DIR" -o -L "$JANUS_DIR/janus.log" -N \
  >>"$JANUS_DIR/janus.out" 2>&1) &
echo $! >"$JANUS_DIR/janus.pid"
cleanup() { node scripts/janus.mjs stop --dir "$JANUS_DIR" >/dev/null 2>&1 || true; }
trap cleanup EXIT INT TERM
node scripts/janus.mjs wait --ws-port "$JANUS_PORT" --pid "$(cat "$JANUS_DIR/janus.pid")"
cat <<TXT

  Demo page:  http://127.0.0.1:8080/demo/   (open it in two tabs and press Join in each)
  REST API:   http://127.0.0.1:8080/v1/accounts/9900000/   (HTTP Basic: demo / demo-password)
  Dial in:    sip:+15550100@127.0.0.1:5060   (any SIP softphone on this machine lands in the demo session)
  Call out:   "Call a phone" on the page dials through sip:127.0.0.1:5070 (run a softphone there)

TXT
"${SWITCHBOARD[@]}"
