#!/usr/bin/env bash
# A phone call into switchboard from the command line: sipp dials NUMBER at HOST:PORT, plays a
# G.711 recording and hangs up after SECONDS.
#   examples/dial-in/dial-in.sh [NUMBER] [HOST:PORT] [SECONDS]
#   defaults: +15550100 (the demo's number) 127.0.0.1:5060 20
set -euo pipefail
number=${1:-+15550100}
target=${2:-127.0.0.1:5060}
seconds=${3:-20}
here=$(cd "$(dirname "$0")" && pwd)
command -v sipp >/dev/null || { echo "dial-in: sipp is missing (Debian package sip-tester)" >&2; exit 1; }
exec sipp "$target" -sf "$here/dial-in.xml" -s "$number" -m 1 -d "$((seconds * 1000))" \
  -i 127.0.0.1 -mi 127.0.0.1 -p 0 -mp "$((50000 + RANDOM % 5000 * 2))" -nostdin \
  -timeout "$((seconds + 15))s" -timeout_error -trace_err -error_file "${TMPDIR:-/tmp}/dial-in-$$.log"
