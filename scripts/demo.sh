#!/usr/bin/env bash
# `make demo`: starts Janus and switchboard with config/switchboard.demo.json, prints where to go,
# and stops both on Ctrl-C. Janus uses this machine's real interfaces (a normal machine); run it
# as `scripts/netns.sh exec scripts/demo.sh` to keep everything inside the test namespace instead.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p var
JANUS_PORT=${JANUS_PORT:-8188}
node scripts/janus.mjs stop --dir var/janus >/dev/null 2>&1 || true
node scripts/janus.mjs start --dir var/janus --ws-ip 127.0.0.1 --ws-port "$JANUS_PORT"
cleanup() { node scripts/janus.mjs stop --dir var/janus >/dev/null 2>&1 || true; }
trap cleanup EXIT INT TERM
cat <<TXT

  Demo page:  http://127.0.0.1:8080/demo/   (open it in two tabs and press Join in each)
  REST API:   http://127.0.0.1:8080/v1/accounts/9900000/   (HTTP Basic: demo / demo-password)
  Dial in:    sip:+15550100@127.0.0.1:5060   (any SIP softphone on this machine lands in the demo session)
  Call out:   "Call a phone" on the page dials through sip:127.0.0.1:5070 (run a softphone there)

TXT
build/switchboard --config config/switchboard.demo.json \
  --janus "ws://127.0.0.1:${JANUS_PORT}" --janus-admin-key "$(cat var/janus/admin_key)"
