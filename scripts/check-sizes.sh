#!/usr/bin/env bash
# Fails when a class of server/ is over 500 lines across its files (its header plus every .cpp of
# the header's folder that defines its members) or a file of server/ is over 400 lines: past that
# a class or file holds more than one concern and is split. Prints each offender and exits 1;
# quiet and 0 when the tree is clean.
# Usage: scripts/check-sizes.sh [ROOT]   (ROOT defaults to the repository this script is in)
#
# A class is a `class` or `struct` defined at the start of a line in a .hpp (nested ones, such as
# a pimpl's Impl, belong to their enclosing class). A .cpp holds its members when a line starts a
# definition of `Name::member(` or `Name::Nested::member(` (a return type may come first, nothing
# with a parenthesis); a header holds a nested one when it defines `class Name::Nested`. Only the
# header's folder is searched, so classes of one name in two folders (two namespaces) stay apart.
# A header declaring several classes counts towards each of them.
#
# Verified to fail: with 250 comment lines added to a copy's server/media/BrowserLeg.cpp it named
# that file (451 lines) and the class BrowserLeg (552 lines) and exited 1. Runs in `make test`
# (`make check-sizes`).
set -euo pipefail
cd "${1:-$(dirname "$0")/..}"

max_class=500
max_file=400
failed=0
nested='([A-Za-z_][A-Za-z0-9_]*::)*'
member='~?[A-Za-z_][A-Za-z0-9_]*[[:space:]]*'

while IFS= read -r file; do
    lines=$(wc -l <"$file")
    if [ "$lines" -gt "$max_file" ]; then
        echo "check-sizes: $file has $lines lines (at most $max_file)" >&2
        failed=1
    fi
done < <(find server -name '*.hpp' -o -name '*.cpp' | sort)

while IFS= read -r header; do
    dir=$(dirname "$header")
    while IFS= read -r name; do
        files=("$header")
        while IFS= read -r more; do
            files+=("$more")
        done < <(grep -lE "^(class|struct) ${name}::" "$dir"/*.hpp 2>/dev/null || true
            grep -lE "^([A-Za-z_][^(=;]*[^:A-Za-z0-9_])?${name}::${nested}${member}\\(" \
                "$dir"/*.cpp 2>/dev/null || true)
        total=$(cat "${files[@]}" | wc -l)
        if [ "$total" -gt "$max_class" ]; then
            echo "check-sizes: $name has $total lines (at most $max_class) in ${files[*]}" >&2
            failed=1
        fi
    done < <(sed -nE 's/^(class|struct) ([A-Za-z_][A-Za-z0-9_]*)( final)?( [:{].*)?$/\2/p' \
        "$header" | sort -u)
done < <(find server -name '*.hpp' | sort)

exit "$failed"
