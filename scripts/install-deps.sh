#!/usr/bin/env bash
# Installs what Switchboard needs on Debian 12, idempotently and quietly when nothing is missing.
# Usage: scripts/install-deps.sh [build|test|bench]   (each profile includes the ones before it)
set -euo pipefail
profile=${1:-test}
cd "$(dirname "$0")/.."

build_pkgs=(g++ cmake ninja-build pkg-config libboost-dev nlohmann-json3-dev libssl-dev libsqlite3-dev
            libcpp-jwt-dev catch2 libopus-dev libsofia-sip-ua-dev libpugixml-dev
            flite1-dev libsndfile1-dev libspeexdsp-dev)
test_pkgs=(janus coturn systemd chromium iproute2 sip-tester emscripten clang clang-format clang-tidy libclang-rt-14-dev
           openssl libnss3-tools nftables iptables python3 firefox-esr wabt)
# openssl: the CLI makes the test CAs (tls, callbacks, twohost) and bench certificates; certutil
# (libnss3-tools) and nft: tests/twohost; firefox-esr: the second browser engine of tests/browser
# (driven by puppeteer-core over WebDriver BiDi); wabt: wasm-objdump reads the SDK's wasm imports.
# iptables (its NFQUEUE target) and python3: tests/support/delay-queue.py delays media in the
# call-delay browser test (no sch_netem on these kernels).
bench_pkgs=(wrk nginx-light)

pkgs=("${build_pkgs[@]}")
case "$profile" in
  build) ;;
  test) pkgs+=("${test_pkgs[@]}") ;;
  bench) pkgs+=("${test_pkgs[@]}" "${bench_pkgs[@]}") ;;
  *) echo "unknown profile $profile" >&2; exit 2 ;;
esac
command -v node >/dev/null 2>&1 || pkgs+=(nodejs)
command -v npm >/dev/null 2>&1 || pkgs+=(npm)

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# npm packages for tests and benchmarks, reinstalled only when the lock file changed.
if [ "$profile" != build ]; then
  stamp=node_modules/.switchboard-lock-stamp
  want=$(sha256sum package-lock.json | cut -d' ' -f1)
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    echo "installing npm packages"
    npm ci --no-audit --no-fund --loglevel=error >/dev/null
    echo "$want" > "$stamp"
  fi
fi
