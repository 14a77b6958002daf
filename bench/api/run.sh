#!/usr/bin/env bash
# Switchboard REST API benchmark: throughput and latency against an nginx static-file ceiling,
# latency at half of peak with a constant-rate load, and memory per session / participant.
# See bench/README.md. Usage:
#
#   bench/api/run.sh
#
# Environment (all optional):
#   BENCH_SECONDS      length of each measured run, default 10
#   BENCH_WARMUP       unmeasured warm-up before each wrk run, seconds, default 2
#   BENCH_CONNECTIONS  connections for wrk and the open-loop generator, default 32
#   BENCH_WRK_THREADS  wrk threads, default 2
#   BENCH_MEM_SESSIONS sessions created for the memory figure (2 participants each), default 10000
#   BENCH_STORE        store of the throughput/latency server, default sqlite (memory: to see the
#                      store's share of the cost)
#   BENCH_MEM_STORES   stores measured for memory, default "sqlite memory" (goals use sqlite)
#   BENCH_KEEP=1       keep the temp dir (configs, raw wrk output, server logs) and print its path
#   SWITCHBOARD_BIN    server binary, default build/switchboard
#   BENCH_TLS=1        TLS mode: switchboard and nginx both over TLS with the same certificate
#                      (made here with openssl), same protocols and ciphers; peak GET and POST
#                      (keep-alive) and handshakes per second (a new connection per request).
#                      The open-loop and memory parts are skipped (openloop.mjs speaks plain HTTP
#                      only; TLS does not change what memory measures).
#
# Needs: wrk, nginx (Debian: nginx-light), node >= 18, curl. It installs nothing.
# Everything listens on 127.0.0.1 only; everything it starts is stopped on exit.
# Exits 0 when the benchmark ran (whether or not the goals were met), non-zero when something
# failed or crashed.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
BIN="${SWITCHBOARD_BIN:-$ROOT/build/switchboard}"
DURATION="${BENCH_SECONDS:-10}"
WARMUP="${BENCH_WARMUP:-2}"
CONNS="${BENCH_CONNECTIONS:-32}"
WRK_THREADS="${BENCH_WRK_THREADS:-2}"
MEM_SESSIONS="${BENCH_MEM_SESSIONS:-10000}"
MEM_STORES="${BENCH_MEM_STORES:-sqlite memory}"
STORE="${BENCH_STORE:-sqlite}"
TLS="${BENCH_TLS:-0}"
SCHEME=http
[[ "$TLS" == 1 ]] && SCHEME=https

ACCOUNT_ID=9900000
ACCOUNT_USER=bench
ACCOUNT_PASS=bench-password-1
AUTH="Basic $(printf '%s:%s' "$ACCOUNT_USER" "$ACCOUNT_PASS" | base64 -w0)"
POST_BODY='{"publishPermissions":["AUDIO"],"tag":"bench"}'

log() { printf '[bench] %s\n' "$*" >&2; }
die() { printf '[bench] ERROR: %s\n' "$*" >&2; exit 1; }

# ---------------------------------------------------------------- prerequisites (install nothing)
NGINX="$(command -v nginx || true)"
[[ -z "$NGINX" && -x /usr/sbin/nginx ]] && NGINX=/usr/sbin/nginx
missing=()
command -v wrk >/dev/null || missing+=("wrk          (Debian/Ubuntu: apt-get install wrk)")
[[ -n "$NGINX" ]] || missing+=("nginx        (Debian/Ubuntu: apt-get install nginx-light)")
command -v node >/dev/null || missing+=("node >= 18   (Debian/Ubuntu: apt-get install nodejs)")
command -v curl >/dev/null || missing+=("curl         (Debian/Ubuntu: apt-get install curl)")
[[ "$TLS" != 1 ]] || command -v openssl >/dev/null || missing+=("openssl      (Debian/Ubuntu: apt-get install openssl)")
if ((${#missing[@]})); then
  printf '[bench] missing tools - please install them first (this script installs nothing):\n' >&2
  printf '          %s\n' "${missing[@]}" >&2
  exit 2
fi
node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 18 ? 0 : 1)' ||
  die "node >= 18 is needed (found $(node --version))"
[[ -x "$BIN" ]] || die "no server binary at $BIN - build it first: cd build && ninja"
# wrk2 (constant-rate wrk) is not packaged by Debian; the half-peak latency runs use
# openloop.mjs, a node implementation of the same idea, instead.
[[ "$DURATION" =~ ^[0-9]+$ && "$DURATION" -ge 1 && "$DURATION" -le 600 ]] ||
  die "BENCH_SECONDS must be 1..600 (got $DURATION)"

# ---------------------------------------------------------------- temp dir and cleanup
WORK="$(mktemp -d "${TMPDIR:-/tmp}/sb-bench.XXXXXX")"
RES="$WORK/results"
mkdir -p "$RES"
SB_PID=""
NGINX_PID=""
CHILD=""

stop_pid() {  # pid: SIGTERM, wait up to 5 s, then SIGKILL
  local pid=$1 i
  [[ -n "$pid" ]] || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < 50; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  stop_pid "$CHILD"
  stop_pid "$SB_PID"
  stop_pid "$NGINX_PID"
  if [[ "${BENCH_KEEP:-0}" == 1 ]]; then
    log "kept $WORK"
  else
    rm -rf "$WORK"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Run a private copy: every server instance of this run is then the same build, even if
# someone relinks build/switchboard meanwhile.
cp "$BIN" "$WORK/switchboard"
BIN_SOURCE="$BIN"
BIN="$WORK/switchboard"

# TLS mode: one self-signed certificate (EC P-256, like most certificates issued today) for both
# servers; curl and node (tools.mjs) trust it, wrk does not verify.
CURL_TLS=()
SB_TLS_CONFIG=""
if [[ "$TLS" == 1 ]]; then
  mkdir -p "$WORK/tls"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=127.0.0.1 \
    -addext subjectAltName=IP:127.0.0.1 -keyout "$WORK/tls/key.pem" -out "$WORK/tls/cert.pem" 2>/dev/null ||
    die "openssl could not make the benchmark certificate"
  CURL_TLS=(--cacert "$WORK/tls/cert.pem")
  export NODE_EXTRA_CA_CERTS="$WORK/tls/cert.pem"
  SB_TLS_CONFIG="\"tls\": {\"certFile\": \"$WORK/tls/cert.pem\", \"keyFile\": \"$WORK/tls/key.pem\"},"
fi

# Runs a command in the background and waits for it, so a signal to this script interrupts the
# wait and the EXIT trap can stop it. Returns the command's status.
run() {
  "$@" &
  CHILD=$!
  local rc=0
  wait "$CHILD" || rc=$?
  CHILD=""
  return "$rc"
}

# ---------------------------------------------------------------- CPU accounting
CLK_TCK="$(getconf CLK_TCK)"
NCPU="$(nproc)"
proc_ticks() {  # pids... -> utime+stime summed (all threads of each process)
  local t=0 p v
  for p in "$@"; do
    v="$(sed 's/^.*) //' "/proc/$p/stat" 2>/dev/null | awk '{print $12 + $13}')" || v=0
    t=$((t + ${v:-0}))
  done
  echo "$t"
}
machine_ticks() {  # -> "busy total" from /proc/stat
  awk '/^cpu /{t=0; for (i = 2; i <= NF; i++) t += $i; print t - $5 - $6, t}' /proc/stat
}
nginx_pids() { echo "$NGINX_PID" $(ps -o pid= --ppid "$NGINX_PID" 2>/dev/null); }

# ---------------------------------------------------------------- switchboard
start_switchboard() {  # name store -> SB_PID, SB_PORT, SB_DIR
  local name=$1 store=$2 i
  SB_DIR="$WORK/$name"
  mkdir -p "$SB_DIR/data"
  cat >"$SB_DIR/config.json" <<EOF
{
  "accounts": [{ "id": "$ACCOUNT_ID", "username": "$ACCOUNT_USER", "password": "$ACCOUNT_PASS",
                  "maxSessions": 100000000, "maxParticipants": 100000000 }],
  "store": "$store",
  "threads": 2,
  "logLevel": "warn",
  "requestLog": false,
  "rateLimitPerSecond": 0,
  $SB_TLS_CONFIG
  "adminHttp": "127.0.0.1:0"
}
EOF
  : >"$SB_DIR/stdout"  # exists before the poll below reads it, however late the child starts
  "$BIN" --config "$SB_DIR/config.json" --http 127.0.0.1:0 --data-dir "$SB_DIR/data" \
    >"$SB_DIR/stdout" 2>"$SB_DIR/stderr" &
  SB_PID=$!
  for ((i = 0; i < 100; i++)); do
    SB_PORT="$(sed -n 's/^switchboard listening on https\{0,1\}:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$SB_DIR/stdout")"
    [[ -n "$SB_PORT" ]] && break
    kill -0 "$SB_PID" 2>/dev/null || die "switchboard exited at start: $(cat "$SB_DIR/stderr")"
    sleep 0.1
  done
  [[ -n "$SB_PORT" ]] || die "switchboard did not start within 10 s: $(cat "$SB_DIR/stderr")"
  SB_BASE="$SCHEME://127.0.0.1:$SB_PORT"
  log "switchboard ($store store) pid $SB_PID on $SB_BASE"
}

check_switchboard() {
  kill -0 "$SB_PID" 2>/dev/null ||
    die "switchboard (pid $SB_PID) crashed; stderr: $(tail -n 20 "$SB_DIR/stderr")"
}

stop_switchboard() {
  check_switchboard
  stop_pid "$SB_PID"
  SB_PID=""
}

# ---------------------------------------------------------------- nginx
start_nginx() {  # docroot files must already be in $WORK/nginx/www -> NGINX_PID, NGINX_BASE
  local prefix="$WORK/nginx" port i
  port="$(node "$HERE/tools.mjs" free-port)"
  mkdir -p "$prefix"/{client_body,proxy,fastcgi,uwsgi,scgi}
  # TLS mode: the same certificate, protocols and TLS 1.2 ciphers as switchboard's
  # (server/net/TlsContext.cpp); nginx's defaults otherwise (session tickets on, like OpenSSL's).
  : >"$prefix/tls.conf"
  local ssl=""
  if [[ "$TLS" == 1 ]]; then
    ssl=ssl
    cat >"$prefix/tls.conf" <<EOF
ssl_certificate $WORK/tls/cert.pem;
ssl_certificate_key $WORK/tls/key.pem;
ssl_protocols TLSv1.2 TLSv1.3;
ssl_ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305;
ssl_prefer_server_ciphers off;
ssl_ecdh_curve X25519:prime256v1:secp384r1;
EOF
  fi
  sed -e "s#@PREFIX@#$prefix#g" -e "s#@DOCROOT@#$prefix/www#g" -e "s#@PORT@#$port#g" -e "s#@SSL@#$ssl#g" \
    "$HERE/nginx.conf.template" >"$prefix/nginx.conf"
  # Started as root, nginx workers drop to an unprivileged user: let them read the docroot.
  chmod 755 "$WORK" "$prefix" "$prefix/www"
  chmod 644 "$prefix"/www/*
  "$NGINX" -t -q -p "$prefix/" -c "$prefix/nginx.conf" -e "$prefix/error.log" ||
    die "nginx rejected $prefix/nginx.conf"
  "$NGINX" -p "$prefix/" -c "$prefix/nginx.conf" -e "$prefix/error.log" \
    >"$prefix/stdout" 2>"$prefix/stderr" &
  NGINX_PID=$!
  NGINX_BASE="$SCHEME://127.0.0.1:$port"
  for ((i = 0; i < 50; i++)); do
    curl -fsS "${CURL_TLS[@]}" -o /dev/null "$NGINX_BASE/get.json" 2>/dev/null && break
    kill -0 "$NGINX_PID" 2>/dev/null || die "nginx exited at start: $(cat "$prefix/stderr" "$prefix/error.log" 2>/dev/null)"
    sleep 0.1
  done
  curl -fsS "${CURL_TLS[@]}" -o /dev/null "$NGINX_BASE/get.json" || die "nginx did not serve $NGINX_BASE/get.json"
  log "nginx pid $NGINX_PID on $NGINX_BASE ($(($(nginx_pids | wc -w) - 1)) workers)"
}

# ---------------------------------------------------------------- load runs
# CPU use during one measured run, in % of one core (100 * cores = the machine saturated):
#   target    - the server under test (its PIDs, all threads)
#   generator - wrk or openloop.mjs (children of this script, counted once reaped)
#   other     - everything else on the machine: anything above a few % means the figures of that
#               run were disturbed (a compiler, another benchmark...)
children_ms() {  # CPU ms of the reaped children of this shell, from `times` output in $WORK/times.txt
  awk 'NR == 2 { split($1, u, /[ms]/); split($2, s, /[ms]/); printf "%d\n", (u[1] * 60 + u[2] + s[1] * 60 + s[2]) * 1000 }' "$WORK/times.txt"
}
cpu_begin() {  # pids...
  CPU_P0="$(proc_ticks "$@")"
  times >"$WORK/times.txt"  # in this shell: a $(...) subshell would see only its own children
  CPU_C0="$(children_ms)"
  read -r CPU_MB0 CPU_MT0 <<<"$(machine_ticks)"
}
cpu_end() {  # name pids...
  local name=$1 p1 c1 mb1 mt1
  shift
  p1="$(proc_ticks "$@")"
  times >"$WORK/times.txt"
  c1="$(children_ms)"
  read -r mb1 mt1 <<<"$(machine_ticks)"
  awk -v p=$((p1 - CPU_P0)) -v c=$((c1 - CPU_C0)) -v mb=$((mb1 - CPU_MB0)) -v mt=$((mt1 - CPU_MT0)) \
    -v n="$NCPU" -v hz="$CLK_TCK" 'BEGIN {
      core = mt / n                      # ticks of one core over the run
      target = 100 * p / core; gen = 100 * (c / 1000 * hz) / core; machine = 100 * mb / core
      other = machine - target - gen; if (other < 0) other = 0
      printf "{\"target_cpu_pct\": %.0f, \"generator_cpu_pct\": %.0f, \"other_cpu_pct\": %.0f, \"machine_cpu_pct\": %.0f}\n", target, gen, other, machine
    }' >"$RES/cpu-$name.json"
}

# wrk_run NAME URL METHOD [PIDS...]: warm-up, then a measured run; records CPU use (see above).
wrk_run() {
  local name=$1 url=$2 method=$3
  shift 3
  local body=""
  [[ "$method" == POST ]] && body="$POST_BODY"
  export BENCH_METHOD="$method" BENCH_AUTH="$AUTH" BENCH_BODY="$body" BENCH_CLOSE="${WRK_CLOSE:-0}"
  log "wrk $name: $method $url (${WARMUP}s warm-up, ${DURATION}s measured, -t$WRK_THREADS -c$CONNS)"
  if ((WARMUP > 0)); then
    run wrk -t"$WRK_THREADS" -c"$CONNS" -d"${WARMUP}s" -s "$HERE/wrk.lua" "$url" >/dev/null
  fi
  cpu_begin "$@"
  run wrk -t"$WRK_THREADS" -c"$CONNS" -d"${DURATION}s" --latency -s "$HERE/wrk.lua" "$url" >"$RES/wrk-$name.txt"
  cpu_end "$name" "$@"
  unset BENCH_METHOD BENCH_AUTH BENCH_BODY BENCH_CLOSE
  grep -q '^BENCH_RESULT' "$RES/wrk-$name.txt" || die "wrk $name printed no result: $(cat "$RES/wrk-$name.txt")"
  log "  $(grep '^BENCH_RESULT' "$RES/wrk-$name.txt" | cut -d' ' -f2-6); CPU $(cat "$RES/cpu-$name.json")"
}

wrk_rps() { sed -n 's/^BENCH_RESULT.* rps=\([0-9.]*\).*/\1/p' "$RES/wrk-$1.txt"; }

# openloop_run NAME URL METHOD RATE [PIDS...]
openloop_run() {
  local name=$1 url=$2 method=$3 rate=$4
  shift 4
  local args=(--url "$url" --method "$method" --rate "$rate" --seconds "$DURATION" --warmup 1
    --connections "$CONNS" --auth "$AUTH")
  [[ "$method" == POST ]] && args+=(--body "$POST_BODY")
  log "open-loop $name: $method $url at $rate req/s for ${DURATION}s (+1 s warm-up)"
  cpu_begin "$@"
  run timeout $((DURATION + 30)) node "$HERE/openloop.mjs" "${args[@]}" >"$RES/openloop-$name.json" ||
    die "open-loop $name failed"
  cpu_end "ol-$name" "$@"
  log "  $(cat "$RES/openloop-$name.json"); CPU $(cat "$RES/cpu-ol-$name.json")"
}

# ================================================================ 1. switchboard for throughput
log "temp dir $WORK; ${NCPU} CPUs; ${DURATION}s per run"
# Anything else using the CPU skews every figure (wrk, nginx and the server share the cores).
read -r b0 t0 <<<"$(machine_ticks)"
sleep 1
read -r b1 t1 <<<"$(machine_ticks)"
BACKGROUND_CPU=$((100 * NCPU * (b1 - b0) / (t1 - t0)))
((BACKGROUND_CPU < 20)) || log "WARNING: the machine is already ${BACKGROUND_CPU}% busy (of $((NCPU * 100))%) - figures will be low"
start_switchboard throughput "$STORE"
node "$HERE/tools.mjs" prepare "$SB_BASE" "$ACCOUNT_ID" "$AUTH" >"$RES/prepare.json" ||
  die "could not create the benchmark session"
SESSION_ID="$(node -p 'JSON.parse(require("fs").readFileSync(process.argv[1])).sessionId' "$RES/prepare.json")"
GET_BYTES="$(node -p 'JSON.parse(require("fs").readFileSync(process.argv[1])).getSessionBytes' "$RES/prepare.json")"
POST_BYTES="$(node -p 'JSON.parse(require("fs").readFileSync(process.argv[1])).createParticipantBytes' "$RES/prepare.json")"
log "getSession body $GET_BYTES bytes, createParticipant body $POST_BYTES bytes"

# ================================================================ 2. nginx with same-size files
mkdir -p "$WORK/nginx/www"
node "$HERE/tools.mjs" padjson "$GET_BYTES" "$WORK/nginx/www/get.json"
node "$HERE/tools.mjs" padjson "$POST_BYTES" "$WORK/nginx/www/post.json"
start_nginx

# ================================================================ 3. closed-loop peak (wrk)
SB_GET_URL="$SB_BASE/v1/accounts/$ACCOUNT_ID/sessions/$SESSION_ID"
SB_POST_URL="$SB_BASE/v1/accounts/$ACCOUNT_ID/participants"
wrk_run nginx-get "$NGINX_BASE/get.json" GET $(nginx_pids)
wrk_run sb-get "$SB_GET_URL" GET "$SB_PID"
check_switchboard
wrk_run nginx-post "$NGINX_BASE/post.json" GET $(nginx_pids)
wrk_run sb-post "$SB_POST_URL" POST "$SB_PID"
check_switchboard

if [[ "$TLS" == 1 ]]; then
  # ============================================================== 3b. TLS handshakes per second
  # Connection: close on every request: each one is a new TCP connection and a full handshake
  # (wrk keeps no TLS sessions to resume), so requests/s = handshakes/s.
  WRK_CLOSE=1 wrk_run nginx-hs "$NGINX_BASE/get.json" GET $(nginx_pids)
  WRK_CLOSE=1 wrk_run sb-hs "$SB_GET_URL" GET "$SB_PID"
  check_switchboard
  stop_switchboard
  stop_pid "$NGINX_PID"
  NGINX_PID=""
  cat >"$RES/meta.json" <<EOF
{
  "seconds": $DURATION, "background_cpu_pct": $BACKGROUND_CPU, "store": "$STORE", "connections": $CONNS, "wrk_threads": $WRK_THREADS, "cores": $NCPU,
  "cpu": "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1 | tr -d '"')",
  "get_bytes": $GET_BYTES, "post_bytes": $POST_BYTES,
  "wrk": "$(wrk -v 2>&1 | head -n1 | cut -c1-60)", "nginx": "$("$NGINX" -v 2>&1 | sed 's/^nginx version: //')",
  "openssl": "$(openssl version | cut -c1-40)", "binary": "$BIN_SOURCE"
}
EOF
  node "$HERE/report-tls.mjs" "$RES"
  exit 0
fi

# ================================================================ 4. latency at half of peak (open loop)
GET_RATE="$(awk -v r="$(wrk_rps sb-get)" 'BEGIN { printf "%d", r / 2 }')"
POST_RATE="$(awk -v r="$(wrk_rps sb-post)" 'BEGIN { printf "%d", r / 2 }')"
((GET_RATE > 0 && POST_RATE > 0)) || die "a peak rate is zero; see the wrk output above"
openloop_run sb-get "$SB_GET_URL" GET "$GET_RATE" "$SB_PID"
openloop_run sb-post "$SB_POST_URL" POST "$POST_RATE" "$SB_PID"
check_switchboard
# The same generator against nginx at the same rates: the latency floor of generator + loopback.
openloop_run nginx-get "$NGINX_BASE/get.json" GET "$GET_RATE" $(nginx_pids)
openloop_run nginx-post "$NGINX_BASE/post.json" GET "$POST_RATE" $(nginx_pids)
echo "{\"rss_kb\": $(node "$HERE/tools.mjs" rss "$SB_PID")}" >"$RES/throughput-rss.json"
stop_switchboard
stop_pid "$NGINX_PID"
NGINX_PID=""

# ================================================================ 5. memory (fresh servers)
for store in $MEM_STORES; do
  start_switchboard "memory-$store" "$store"
  sleep 0.5  # let it settle: "idle right after start"
  log "memory ($store store): $MEM_SESSIONS sessions x 2 participants, concurrency $CONNS"
  run timeout 600 node "$HERE/memory.mjs" --base "$SB_BASE" --account "$ACCOUNT_ID" --auth "$AUTH" \
    --pid "$SB_PID" --sessions "$MEM_SESSIONS" --concurrency "$CONNS" >"$RES/memory-$store.json" ||
    die "memory workload ($store) failed"
  log "  $(cat "$RES/memory-$store.json")"
  stop_switchboard
done

# ================================================================ 6. report
cat >"$RES/meta.json" <<EOF
{
  "seconds": $DURATION, "background_cpu_pct": $BACKGROUND_CPU, "store": "$STORE", "connections": $CONNS, "wrk_threads": $WRK_THREADS, "cores": $NCPU,
  "cpu": "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1 | tr -d '"')",
  "get_bytes": $GET_BYTES, "post_bytes": $POST_BYTES, "get_rate": $GET_RATE, "post_rate": $POST_RATE,
  "mem_stores": "$MEM_STORES", "mem_sessions": $MEM_SESSIONS,
  "wrk": "$(wrk -v 2>&1 | head -n1 | cut -c1-60)", "nginx": "$("$NGINX" -v 2>&1 | sed 's/^nginx version: //')",
  "node": "$(node --version)", "binary": "$BIN_SOURCE"
}
EOF
node "$HERE/report.mjs" "$RES"
