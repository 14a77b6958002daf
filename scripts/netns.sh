#!/usr/bin/env bash
# The project's test network: a network namespace with one veth pair and private addresses.
#
#   scripts/netns.sh up            create it (idempotent)
#   scripts/netns.sh down          remove it (refuses while processes still run inside; --force ends them)
#   scripts/netns.sh exec CMD...   run CMD inside (creates the namespace first if it is missing)
#   scripts/netns.sh status        show what exists
#
# Why: every media test (Janus, Chromium, switchboard) runs inside this namespace so that no packet
# can reach the machine's external interface. Janus 1.1.2 never gathers loopback candidates and, when
# its ice_enforce_list matches nothing, falls back to every interface; inside the namespace the only
# non-loopback interface is our veth, so Janus (with ice_enforce_list = the veth name) offers exactly
# one host candidate, the veth address. There is no default route inside, so nothing but the veth
# subnet and loopback is reachable at all, and IPv6 is switched off inside (no fe80::/fd00:: candidates).
#
# Environment (defaults): SBNET_NAME=sbnet SBNET_HOST_IF=sbveth0 SBNET_NS_IF=sbveth1
#   SBNET_HOST_ADDR=10.203.0.1/24 SBNET_NS_ADDR=10.203.0.2/24
#   SBNET_DEFAULT_ROUTE=1  also add a default route inside, via an address nobody answers ARP for
#                          (10.203.0.254): some browsers (Firefox) gather no ICE candidates without a
#                          default route; packets sent along it are never delivered anywhere.
#   A namespace beside the default one sets all five of SBNET_NAME, SBNET_HOST_IF, SBNET_NS_IF,
#   SBNET_HOST_ADDR and SBNET_NS_ADDR (plus SBNET_DEAD_GW with a default route), or the script refuses.
# Needs root (CAP_SYS_ADMIN + CAP_NET_ADMIN).
set -euo pipefail

die() { echo "netns.sh: $*" >&2; exit 1; }

# A second namespace beside the default one (a parallel run) needs every name and address of its
# own: a partial set would share the default's interface names or subnet and break both runs.
sbnet_vars=(SBNET_NAME SBNET_HOST_IF SBNET_NS_IF SBNET_HOST_ADDR SBNET_NS_ADDR)
sbnet_set=()
for v in "${sbnet_vars[@]}"; do [ -n "${!v:-}" ] && sbnet_set+=("$v"); done
if [ ${#sbnet_set[@]} -gt 0 ] && [ ${#sbnet_set[@]} -lt ${#sbnet_vars[@]} ]; then
  die "set all of ${sbnet_vars[*]} or none (set: ${sbnet_set[*]})"
fi
if [ ${#sbnet_set[@]} -gt 0 ] && [ "${SBNET_DEFAULT_ROUTE:-0}" = 1 ] && [ -z "${SBNET_DEAD_GW:-}" ]; then
  die "SBNET_DEFAULT_ROUTE=1 with your own addresses needs SBNET_DEAD_GW too (an unused address of SBNET_NS_ADDR's subnet)"
fi

NAME=${SBNET_NAME:-sbnet}
HOST_IF=${SBNET_HOST_IF:-sbveth0}
NS_IF=${SBNET_NS_IF:-sbveth1}
HOST_ADDR=${SBNET_HOST_ADDR:-10.203.0.1/24}
NS_ADDR=${SBNET_NS_ADDR:-10.203.0.2/24}
DEAD_GW=${SBNET_DEAD_GW:-10.203.0.254}

in_ns() { ip netns exec "$NAME" "$@"; }
# /proc/sys/net shows the namespace of the reading process (no dependency on procps' sysctl).
ns_sysctl() { in_ns sh -c "echo $2 > /proc/sys/$1"; }
ns_exists() { [ -e "/run/netns/$NAME" ] && ip netns list | grep -qw "^$NAME"; }

# True when the namespace exists and looks exactly as `up` leaves it.
healthy() {
  ns_exists || return 1
  ip link show dev "$HOST_IF" >/dev/null 2>&1 || return 1
  in_ns ip -4 -o addr show dev "$NS_IF" 2>/dev/null | grep -q " ${NS_ADDR%/*}/" || return 1
  in_ns ip link show dev "$NS_IF" 2>/dev/null | grep -q 'state UP' || return 1
  [ "$(in_ns cat /proc/sys/net/ipv6/conf/all/disable_ipv6)" = 1 ] || return 1
}

up() {
  [ "$(id -u)" -eq 0 ] || die "needs root"
  if healthy; then
    if [ "${SBNET_DEFAULT_ROUTE:-0}" = 1 ] && ! in_ns ip route show default | grep -q .; then
      in_ns ip route add default via "$DEAD_GW" dev "$NS_IF"
    fi
    return 0
  fi
  # Half-built leftovers (an interrupted `up`): start again from nothing.
  if ns_exists || ip link show dev "$HOST_IF" >/dev/null 2>&1; then teardown; fi

  ip netns add "$NAME"
  # IPv6 off inside before any interface appears, so no link-local address is ever configured.
  ns_sysctl net/ipv6/conf/all/disable_ipv6 1
  ns_sysctl net/ipv6/conf/default/disable_ipv6 1
  ip link add "$HOST_IF" type veth peer name "$NS_IF" netns "$NAME"
  # Root side: IPv4 only (no fe80:: on the host side either), reachable from the host for debugging.
  echo 1 > "/proc/sys/net/ipv6/conf/$HOST_IF/disable_ipv6"
  ip addr add "$HOST_ADDR" dev "$HOST_IF"
  ip link set "$HOST_IF" up
  ns_sysctl "net/ipv6/conf/$NS_IF/disable_ipv6" 1
  ns_sysctl net/ipv6/conf/lo/disable_ipv6 1
  in_ns ip link set lo up
  in_ns ip addr add "$NS_ADDR" dev "$NS_IF"
  in_ns ip link set "$NS_IF" up
  if [ "${SBNET_DEFAULT_ROUTE:-0}" = 1 ]; then
    in_ns ip route add default via "$DEAD_GW" dev "$NS_IF"
  fi
  # The veth needs a moment to report carrier; wait until the namespace side is UP.
  for _ in $(seq 1 50); do
    in_ns ip link show dev "$NS_IF" | grep -q 'state UP' && break
    sleep 0.05
  done
  healthy || die "namespace $NAME did not come up as expected"
}

teardown() {
  ip netns del "$NAME" 2>/dev/null || true
  # Deleting either end of a veth deletes both; the host end may outlive a namespace that
  # processes still hold, so remove it explicitly.
  ip link del "$HOST_IF" 2>/dev/null || true
}

down() {
  [ "$(id -u)" -eq 0 ] || die "needs root"
  if ns_exists; then
    local pids
    pids=$(ip netns pids "$NAME" 2>/dev/null | tr '\n' ' ')
    if [ -n "${pids// /}" ]; then
      if [ "${1:-}" = --force ]; then
        echo "netns.sh: ending processes still inside $NAME: $pids" >&2
        kill -TERM $pids 2>/dev/null || true
        sleep 1
        pids=$(ip netns pids "$NAME" 2>/dev/null | tr '\n' ' ')
        [ -z "${pids// /}" ] || kill -KILL $pids 2>/dev/null || true
      else
        die "processes still run inside $NAME ($pids); stop them or use: $0 down --force"
      fi
    fi
  fi
  teardown
}

status() {
  if ! ns_exists; then echo "$NAME: absent"; return 1; fi
  healthy && echo "$NAME: up" || echo "$NAME: present but not healthy"
  in_ns ip -br addr
  in_ns ip route
  echo "processes inside: $(ip netns pids "$NAME" | tr '\n' ' ')"
}

cmd=${1:-}
shift || true
case "$cmd" in
  up) up ;;
  down) down "${1:-}" ;;
  exec)
    [ $# -gt 0 ] || die "usage: $0 exec CMD [ARGS...]"
    healthy || up
    exec ip netns exec "$NAME" "$@"
    ;;
  status) status ;;
  *) echo "usage: $0 up|down [--force]|exec CMD...|status" >&2; exit 2 ;;
esac
