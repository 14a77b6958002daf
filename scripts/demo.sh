#!/usr/bin/env bash
# `make demo`: starts Janus, coturn and switchboard with config/switchboard.demo.json, prints where
# to go, and stops them all on Ctrl-C. Janus uses this machine's real interfaces (a normal machine);
# run it as `scripts/netns.sh exec scripts/demo.sh` to keep everything inside the test namespace
# instead.
#
# Janus and coturn are started the way the production units start them: their configs are generated
# from switchboard's config by `switchboard --write-configs DIR` (one source of truth: the templates
# of config/janus/, the admin key in var/janus/admin_key that switchboard reads through
# janusAdminKeyFile, turnserver.conf with the secret devices' TURN credentials are signed with).
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
TURN_PID=
cleanup() {
  if [ -n "$TURN_PID" ]; then kill "$TURN_PID" 2>/dev/null || true; wait "$TURN_PID" 2>/dev/null || true; fi
  node scripts/janus.mjs stop --dir "$JANUS_DIR" >/dev/null 2>&1 || true
}
trap cleanup EXIT INT TERM
node scripts/janus.mjs wait --ws-port "$JANUS_PORT" --pid "$(cat "$JANUS_DIR/janus.pid")"
TURN_CONF=$JANUS_DIR/turnserver.conf
if command -v turnserver >/dev/null 2>&1; then
  turn_port=$(sed -n 's/^listening-port=//p' "$TURN_CONF")
  if command -v ss >/dev/null 2>&1 && [ -n "$(ss -Hlun "sport = :$turn_port")" ]; then
    echo "demo: UDP port $turn_port is taken already (Debian's coturn service?): the demo's coturn may not get the packets" >&2
  fi
  # Its own pid file and database in var/: the demo needs neither root nor /var/lib/turn.
  turnserver -c "$TURN_CONF" --pidfile var/turnserver.pid --db var/turndb >var/turnserver.log 2>&1 &
  TURN_PID=$!
  TURN_LINE="  TURN:       coturn on $(sed -n 's/^listening-ip=//p' "$TURN_CONF"):$turn_port (log: var/turnserver.log)"
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
"${SWITCHBOARD[@]}"
