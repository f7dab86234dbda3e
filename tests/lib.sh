#!/bin/sh
# lib.sh -- what tests/cli.sh and tests/store.sh share: the set-up (the
# magpie binary, sanitizer options, a temporary directory removed at exit)
# and the check helpers.  A script sets TEST_NAME and sources this file from
# the repository root:
#
#     run [-i STDIN] ARGS...      run magpie once; output kept in $T/out, $T/err
#     begin "name"                start a check
#     want_rc 1                   any number of expectations ...
#     end                         print "ok - name" or "FAIL - name (details)"
#
# `end` also fails the check when stderr holds a sanitizer report.  BG may
# hold the pid of a background process to kill at exit.

ROOT=$(pwd)
MAGPIE=${MAGPIE:-build/asan/magpie}
case $MAGPIE in
/*) ;;
*) MAGPIE=$ROOT/$MAGPIE ;;
esac
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

T=$(mktemp -d "${TMPDIR:-/tmp}/magpie-$TEST_NAME.XXXXXX") || {
    echo "$TEST_NAME.sh: cannot make a temporary directory" >&2
    exit 3
}
BG=
trap 'if [ -n "$BG" ]; then kill -9 $BG 2>/dev/null; fi; rm -rf "$T"' EXIT
trap 'exit 130' HUP INT TERM
cd "$T" || exit 3

PASS=0
FAIL=0
if command -v python3 >/dev/null 2>&1; then HAVE_PY=1; else HAVE_PY=0; fi
if command -v timeout >/dev/null 2>&1; then TIMEOUT="timeout 600"; else TIMEOUT=; fi

if [ ! -x "$MAGPIE" ]; then
    echo "FAIL - magpie binary $MAGPIE not found (run make first)"
    echo "0 passed, 1 failed"
    exit 1
fi

# ---- helpers ------------------------------------------------------------------
# The first lines of a file as one line of at most 200 characters, for the
# details of a failure.
oneline() {
    head -n 2 "$1" | tr '\n\t' '| ' | cut -c1-200
}

# run [-i FILE] ARGS...: run magpie with ARGS, stdin from FILE (else /dev/null).
run() {
    _in=/dev/null
    if [ "$1" = "-i" ]; then
        _in=$2
        shift 2
    fi
    $TIMEOUT "$MAGPIE" "$@" <"$_in" >out 2>err
    RC=$?
}

begin() {
    NAME=$1
    PROBS=
    SKIP=
}

problem() {
    if [ -n "$PROBS" ]; then PROBS="$PROBS; $1"; else PROBS=$1; fi
}

want_rc() {
    [ "$RC" = "$1" ] || problem "exit $RC, want $1; stderr: $(oneline err)"
}

want_out_empty() {
    [ ! -s out ] || problem "stdout not empty: $(oneline out)"
}

want_err_empty() {
    [ ! -s err ] || problem "stderr not empty: $(oneline err)"
}

want_out_has() {
    grep -F -e "$1" out >/dev/null || problem "stdout lacks '$1'"
}

want_out_lacks() {
    ! grep -F -e "$1" out >/dev/null || problem "stdout has '$1'"
}

want_out_match() {
    grep -E -e "$1" out >/dev/null || problem "stdout has no line matching /$1/"
}

want_err_has() {
    grep -F -e "$1" err >/dev/null || problem "stderr lacks '$1': $(oneline err)"
}

want_err_match() {
    grep -E -e "$1" err >/dev/null || problem "stderr has no line matching /$1/: $(oneline err)"
}

# want_out_same FILE: stdout is byte for byte FILE.
want_out_same() {
    cmp -s out "$1" || problem "stdout differs from $1: got $(oneline out) want $(oneline "$1")"
}

# want_py SCRIPT ARGS...: a python3 check that prints its problems and exits 1.
want_py() {
    if [ "$HAVE_PY" = 0 ]; then
        SKIP="python3 absent: not checked"
        return
    fi
    python3 "$@" >py.out 2>&1 || problem "$(oneline py.out)"
}

end() {
    if grep -E -e 'Sanitizer|runtime error:' err >/dev/null 2>&1; then
        problem "sanitizer report: $(grep -E -e 'Sanitizer|runtime error:' err | head -n 2 | tr '\n' '|' | cut -c1-300)"
    fi
    [ "$RC" = 124 ] && [ -n "$TIMEOUT" ] && problem "timed out"
    if [ -z "$PROBS" ]; then
        PASS=$((PASS + 1))
        if [ -n "$SKIP" ]; then echo "ok - $NAME # $SKIP"; else echo "ok - $NAME"; fi
    else
        FAIL=$((FAIL + 1))
        echo "FAIL - $NAME ($PROBS)"
    fi
}

skipped() {
    PASS=$((PASS + 1))
    echo "ok - $1 # skipped ($2)"
}

# want_lines N: stdout has N lines.
want_lines() {
    _n=$(wc -l <out | tr -d ' ')
    [ "$_n" = "$1" ] || problem "stdout has $_n lines, want $1"
}

# want_same A B: two files are byte for byte the same.
want_same() {
    cmp -s "$1" "$2" || problem "$1 and $2 differ: $(diff "$1" "$2" | head -n 3 | tr '\n' '|' | cut -c1-200)"
}
