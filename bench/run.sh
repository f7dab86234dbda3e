#!/bin/sh
# Benchmarks print figures; they never pass or fail on time.
set -e
cd "$(dirname "$0")/.."
make -s build/magpie
exec python3 bench/bench.py "$@"
