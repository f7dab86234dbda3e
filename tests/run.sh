#!/bin/sh
# run.sh -- run every test: the unit test programs build/asan/test_* and the
# command-line tests tests/cli.sh.  `make test` builds them and runs this from
# the repository root.
#
# Each program prints its checks and ends with "N passed, N failed".  This
# script shows each program's output (its own summary line is shown prefixed
# with the program's name), sums the counts, lists every failure again at the
# end, and prints one final line "N passed, N failed" with the totals.  A
# program that exits nonzero without reporting a failure (a crash, a
# sanitizer report, a missing summary line) counts as one failure.  The exit
# status is 1 if anything failed.

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

LOG=$(mktemp "${TMPDIR:-/tmp}/magpie-run.XXXXXX") || {
    echo "run.sh: cannot make a temporary file" >&2
    exit 3
}
FAILS=$(mktemp "${TMPDIR:-/tmp}/magpie-fails.XXXXXX") || {
    rm -f "$LOG"
    echo "run.sh: cannot make a temporary file" >&2
    exit 3
}
trap 'rm -f "$LOG" "$FAILS"' EXIT
trap 'exit 130' HUP INT TERM

TOTAL_PASS=0
TOTAL_FAIL=0
NPROG=0

# one NAME COMMAND...: run one test program and add up its counts.
one() {
    name=$1
    shift
    NPROG=$((NPROG + 1))
    echo "== $name"
    "$@" >"$LOG" 2>&1
    rc=$?
    summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$LOG" | tail -n 1)
    # everything but the summary line; ok lines are shown too
    grep -v -E '^[0-9]+ passed, [0-9]+ failed$' "$LOG"
    if [ -n "$summary" ]; then
        p=${summary%% passed*}
        f=${summary#*passed, }
        f=${f%% failed}
    else
        p=0
        f=0
    fi
    TOTAL_PASS=$((TOTAL_PASS + p))
    TOTAL_FAIL=$((TOTAL_FAIL + f))
    grep -E '^(FAIL|not ok)' "$LOG" | sed "s|^|$name: |" >>"$FAILS"
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
        TOTAL_FAIL=$((TOTAL_FAIL + 1))
        if [ -z "$summary" ]; then
            why="exited with status $rc without a summary line (crash?)"
        else
            why="exited with status $rc although it reported no failure"
        fi
        echo "$name: FAIL - $why" >>"$FAILS"
        echo "FAIL - $name $why"
    fi
    if [ "$rc" -eq 0 ] && [ "$f" -ne 0 ]; then
        echo "$name: FAIL - reported $f failures but exited 0" >>"$FAILS"
    fi
    echo "== $name: ${p} passed, ${f} failed, exit status $rc"
}

for t in build/asan/test_*; do
    [ -f "$t" ] && [ -x "$t" ] || continue
    case $t in
    *.*) continue ;; # objects, dependency files
    esac
    one "${t#build/asan/}" "./$t"
done
[ "$NPROG" -gt 0 ] || echo "note: no unit test programs in build/asan (run make test)"

if [ -f tests/cli.sh ]; then
    one cli.sh sh tests/cli.sh
else
    echo "run.sh: tests/cli.sh missing (run from the repository root)"
    TOTAL_FAIL=$((TOTAL_FAIL + 1))
    echo "run.sh: FAIL - tests/cli.sh missing" >>"$FAILS"
fi

one store.sh sh tests/store.sh

if [ -s "$FAILS" ]; then
    echo
    echo "==== failures"
    cat "$FAILS"
fi
echo "$TOTAL_PASS passed, $TOTAL_FAIL failed"
[ "$TOTAL_FAIL" -eq 0 ]
