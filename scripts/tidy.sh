#!/usr/bin/env bash
# Runs clang-tidy (the checks in .clang-tidy) over the .cpp files of server/, protocol/ and wasm/core/,
# using BUILD_DIR/compile_commands.json; the headers they include are checked through HeaderFilterRegex.
# Usage: scripts/tidy.sh BUILD_DIR [FOLDER...]    e.g. scripts/tidy.sh build server/sip wasm/core
#   FOLDERs default to all of server/, protocol/ and wasm/core/. JOBS=N runs N clang-tidy at once (default 2).
# Quiet when clean; prints every finding and fails when there is one (WarningsAsErrors: '*').
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
build=${1:?usage: scripts/tidy.sh BUILD_DIR [FOLDER...]}
shift
build=$(cd "$build" && pwd)
jobs=${JOBS:-2}
folders=("$@")
[ ${#folders[@]} -gt 0 ] || folders=(server protocol wasm/core)

if [ ! -f "$build/compile_commands.json" ]; then
  echo "tidy: no $build/compile_commands.json (configure with cmake first)" >&2
  exit 2
fi
tidy=$(command -v clang-tidy || command -v clang-tidy-14 || true)
if [ -z "$tidy" ]; then
  echo "tidy: clang-tidy not found (scripts/install-deps.sh test installs it)" >&2
  exit 2
fi

# The files to check: those of the folders that the compilation database knows (wasm/core/ is compiled
# natively for unit_tests), so a file missing from the build cannot be checked without flags by mistake.
for f in "${folders[@]}"; do
  [ -d "$f" ] || { echo "tidy: no folder $f" >&2; exit 2; }
done
mapfile -t files < <(for f in "${folders[@]}"; do find "${f%/}" -name '*.cpp'; done | sort -u)
declare -A known=()
while read -r f; do known[$f]=1; done \
  < <(grep -o '"file": *"[^"]*"' "$build/compile_commands.json" | sed 's/^"file": *"//; s/"$//')
missing=()
for f in "${files[@]}"; do
  [ -n "${known[$root/$f]:-}" ] || missing+=("$f")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "tidy: not in $build/compile_commands.json: ${missing[*]}" >&2
  exit 2
fi
[ ${#files[@]} -gt 0 ] || { echo "tidy: no .cpp files in ${folders[*]}" >&2; exit 2; }

start=$SECONDS
runner=$(command -v run-clang-tidy || command -v run-clang-tidy-14 || true)
set +e
if [ -n "$runner" ]; then
  # run-clang-tidy takes regexes over the database's absolute paths; it echoes each clang-tidy command
  # line and forces colours, which are dropped here so that only findings are printed.
  regex=$(printf '^%s$|' "${files[@]/#/$root/}" | sed 's/[.]/[.]/g; s/|$//')
  "$runner" -quiet -p "$build" -j "$jobs" -clang-tidy-binary "$tidy" "$regex" 2>&1 \
    | sed -u 's/\x1b\[[0-9;]*m//g' | grep -v -e "^$tidy " -e '^[0-9]* warnings\? generated\.$'
  status=${PIPESTATUS[0]}
else
  printf '%s\n' "${files[@]}" \
    | xargs -P "$jobs" -n 4 "$tidy" -quiet -p "$build" 2>&1 \
    | grep -v '^[0-9]* warnings\? generated\.$'
  status=${PIPESTATUS[1]}
fi
set -e
if [ "$status" -ne 0 ]; then
  echo "tidy: findings in ${folders[*]} (${#files[@]} files, $((SECONDS - start))s)" >&2
  exit 1
fi
echo "tidy: ${#files[@]} files clean in ${folders[*]} ($((SECONDS - start))s)"
