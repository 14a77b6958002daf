#!/usr/bin/env bash
# `make demo`: starts Janus, coturn and switchboard with config/switchboard.demo.json, prints where
# to go, and stops them all on Ctrl-C. Janus uses this machine's real interfaces (a normal machine);
# run it as `scripts/netns.sh exec scripts/demo.sh` to keep everything inside the test namespace
# instead. coturn gets the turnserver.conf that switchboard renders from the config's `turn`
# section, so the secret devices' credentials are signed with is the one coturn checks.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p var
JANUS_PORT=${JANUS_PORT:-8188}
CONFIG=config/switchboard.demo.json
node scripts/janus.mjs stop --dir var/janus >/dev/null 2>&1 || true
node scripts/janus.mjs start --dir var/janus --ws-ip 127.0.0.1 --ws-port "$JANUS_PORT"
TURN_PID=
cleanup() {
  if [ -n "$TURN_PID" ]; then kill "$TURN_PID" 2>/dev/null || true; wait "$TURN_PID" 2>/dev/null || true; fi
  node scripts/janus.mjs stop --dir var/janus >/dev/null 2>&1 || true
}
trap cleanup EXIT INT TERM
if command -v turnserver >/dev/null 2>&1; then
  build/switchboard --config "$CONFIG" --print-turnserver-conf >var/turnserver.conf
  turn_port=$(sed -n 's/^listening-port=//p' var/turnserver.conf)
  if command -v ss >/dev/null 2>&1 && [ -n "$(ss -Hlun "sport = :$turn_port")" ]; then
    echo "demo: UDP port $turn_port is taken already (Debian's coturn service?): the demo's coturn may not get the packets" >&2
  fi
  # Its own pid file and database in var/: the demo needs neither root nor /var/lib/turn.
  turnserver -c var/turnserver.conf --pidfile var/turnserver.pid --db var/turndb >var/turnserver.log 2>&1 &
  TURN_PID=$!
  TURN_LINE="  TURN:       coturn on $(sed -n 's/^listening-ip=//p' var/turnserver.conf):$(sed -n 's/^listening-port=//p' var/turnserver.conf) (log: var/turnserver.log)"
else
  TURN_LINE="  TURN:       coturn is not installed (apt-get install coturn): devices get TURN servers that do not answer"
fi
cat <<TXT

  Demo page:  http://127.0.0.1:8080/demo/   (open it in two tabs and press Join in each)
  REST API:   http://127.0.0.1:8080/v1/accounts/9900000/   (HTTP Basic: demo / demo-password)
  Dial in:    sip:+15550100@127.0.0.1:5060   (any SIP softphone on this machine lands in the demo session)
  Call out:   "Call a phone" on the page dials through sip:127.0.0.1:5070 (run a softphone there)
$TURN_LINE

TXT
build/switchboard --config "$CONFIG" \
  --janus "ws://127.0.0.1:${JANUS_PORT}" --janus-admin-key "$(cat var/janus/admin_key)"
