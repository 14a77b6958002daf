#!/usr/bin/env bash
# Two test "hosts" made of network namespaces: a server (switchboard, Janus, coturn) and a laptop
# (Chromium), joined by one veth pair with private addresses and nothing else.
#
#   scripts/twohost.sh up                      create both (idempotent)
#   scripts/twohost.sh down [--force]          remove both (refuses while processes still run inside;
#                                              --force ends them)
#   scripts/twohost.sh exec server|laptop CMD  run CMD inside one of them (creates them if missing)
#   scripts/twohost.sh status                  show what exists
#
# Why a second topology next to scripts/netns.sh: there, the browser and the server share one
# loopback, so the page is always "localhost" (a secure context without TLS) and every ICE path is
# host-to-host. Here the browser reaches the server only across the veth, at the server's address,
# as a laptop on another computer would: the page needs HTTPS, and a firewall inside the laptop
# namespace can block UDP to force TURN over TCP. Like netns.sh, neither namespace has a default
# route and IPv6 is off inside both, so no packet can reach anything but the other end of the veth
# (and each namespace's own loopback); Janus, with ice_enforce_list = the server's veth, offers
# exactly one host candidate.
#
# Environment (defaults): SBTWO_SERVER=sbserver SBTWO_LAPTOP=sblaptop
#   SBTWO_SERVER_IF=sbsrv0 SBTWO_LAPTOP_IF=sblap0
#   SBTWO_SERVER_ADDR=10.204.0.1/24 SBTWO_LAPTOP_ADDR=10.204.0.2/24
# tests/twohost/topology.mjs reads the same variables. Needs root (CAP_SYS_ADMIN + CAP_NET_ADMIN).
set -euo pipefail

SERVER=${SBTWO_SERVER:-sbserver}
LAPTOP=${SBTWO_LAPTOP:-sblaptop}
SERVER_IF=${SBTWO_SERVER_IF:-sbsrv0}
LAPTOP_IF=${SBTWO_LAPTOP_IF:-sblap0}
SERVER_ADDR=${SBTWO_SERVER_ADDR:-10.204.0.1/24}
LAPTOP_ADDR=${SBTWO_LAPTOP_ADDR:-10.204.0.2/24}

die() { echo "twohost.sh: $*" >&2; exit 1; }
in_ns() { local ns=$1; shift; ip netns exec "$ns" "$@"; }
# /proc/sys/net shows the namespace of the reading process (no dependency on procps' sysctl).
ns_sysctl() { in_ns "$1" sh -c "echo $3 > /proc/sys/$2"; }
ns_exists() { [ -e "/run/netns/$1" ] && ip netns list | grep -qw "^$1"; }

# True when namespace $1 exists with interface $2 up, address $3 on it and IPv6 off.
ns_healthy() {
  ns_exists "$1" || return 1
  in_ns "$1" ip -4 -o addr show dev "$2" 2>/dev/null | grep -q " ${3%/*}/" || return 1
  in_ns "$1" ip link show dev "$2" 2>/dev/null | grep -q 'state UP' || return 1
  [ "$(in_ns "$1" cat /proc/sys/net/ipv6/conf/all/disable_ipv6)" = 1 ] || return 1
  # No default route: nothing beyond the veth subnet is reachable.
  ! in_ns "$1" ip route show default | grep -q .
}
healthy() { ns_healthy "$SERVER" "$SERVER_IF" "$SERVER_ADDR" && ns_healthy "$LAPTOP" "$LAPTOP_IF" "$LAPTOP_ADDR"; }

make_ns() {
  ip netns add "$1"
  # IPv6 off before any interface appears, so no link-local address is ever configured.
  ns_sysctl "$1" net/ipv6/conf/all/disable_ipv6 1
  ns_sysctl "$1" net/ipv6/conf/default/disable_ipv6 1
  ns_sysctl "$1" net/ipv6/conf/lo/disable_ipv6 1
  in_ns "$1" ip link set lo up
}

up() {
  [ "$(id -u)" -eq 0 ] || die "needs root"
  healthy && return 0
  # Half-built leftovers (an interrupted `up`): start again from nothing.
  teardown
  make_ns "$SERVER"
  make_ns "$LAPTOP"
  # Both ends are created directly inside their namespaces: the root namespace never holds either.
  ip link add "$SERVER_IF" netns "$SERVER" type veth peer name "$LAPTOP_IF" netns "$LAPTOP"
  for side in "$SERVER $SERVER_IF $SERVER_ADDR" "$LAPTOP $LAPTOP_IF $LAPTOP_ADDR"; do
    set -- $side
    ns_sysctl "$1" "net/ipv6/conf/$2/disable_ipv6" 1
    in_ns "$1" ip addr add "$3" dev "$2"
    in_ns "$1" ip link set "$2" up
  done
  # The veth needs a moment to report carrier; wait until both sides are UP.
  for _ in $(seq 1 50); do
    healthy && break
    sleep 0.05
  done
  healthy || die "namespaces $SERVER/$LAPTOP did not come up as expected"
}

teardown() {
  # Deleting a namespace deletes the veth end inside it, and with it the peer.
  ip netns del "$SERVER" 2>/dev/null || true
  ip netns del "$LAPTOP" 2>/dev/null || true
}

pids_in() { ns_exists "$1" && ip netns pids "$1" 2>/dev/null | tr '\n' ' '; }

down() {
  [ "$(id -u)" -eq 0 ] || die "needs root"
  local pids
  pids="$(pids_in "$SERVER" || true)$(pids_in "$LAPTOP" || true)"
  if [ -n "${pids// /}" ]; then
    [ "${1:-}" = --force ] || die "processes still run inside ($pids); stop them or use: $0 down --force"
    echo "twohost.sh: ending processes still inside $SERVER/$LAPTOP: $pids" >&2
    kill -TERM $pids 2>/dev/null || true
    for _ in $(seq 1 20); do
      pids="$(pids_in "$SERVER" || true)$(pids_in "$LAPTOP" || true)"
      [ -z "${pids// /}" ] && break
      sleep 0.1
    done
    [ -z "${pids// /}" ] || kill -KILL $pids 2>/dev/null || true
  fi
  teardown
}

status() {
  local rc=0
  for ns in "$SERVER" "$LAPTOP"; do
    if ! ns_exists "$ns"; then echo "$ns: absent"; rc=1; continue; fi
    echo "$ns: present"
    in_ns "$ns" ip -br addr
    in_ns "$ns" ip route
    echo "processes inside: $(ip netns pids "$ns" | tr '\n' ' ')"
  done
  healthy && echo "topology: up" || { echo "topology: not healthy"; rc=1; }
  return $rc
}

cmd=${1:-}
shift || true
case "$cmd" in
  up) up ;;
  down) down "${1:-}" ;;
  exec)
    [ $# -gt 1 ] || die "usage: $0 exec server|laptop CMD [ARGS...]"
    case "$1" in server) ns=$SERVER ;; laptop) ns=$LAPTOP ;; *) die "exec: server or laptop, not $1" ;; esac
    shift
    healthy || up
    exec ip netns exec "$ns" "$@"
    ;;
  status) status ;;
  *) echo "usage: $0 up|down [--force]|exec server|laptop CMD...|status" >&2; exit 2 ;;
esac
