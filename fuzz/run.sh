#!/usr/bin/env bash
# Runs every fuzz harness for a fixed budget and reports executions and failures.
#   fuzz/run.sh [SECONDS_PER_HARNESS] [HARNESS...]      (default 120 s each, all harnesses)
# A crash (signal), abort or hang stops the fuzzer; the input that caused it is kept as
# out/fuzz/HARNESS/crash-N and the harness restarts with the next seed until its budget is spent.
# Memory is capped (ulimit -v) so that an unbounded allocation shows up as a failure, not a swap storm.
# Kept inputs to turn into regression tests go to Tests/Fixtures/fuzz/HARNESS/ (replayed by the tests).
set -u
cd "$(dirname "$0")/.."
BUDGET=${1:-120}
shift || true
HARNESSES=${*:-"wfdb-header wfdb-record annotations csv ptbxl scp-codes checkpoint safetensors npy ecgscript"}
swift build -c release --product ecgs-fuzz >/dev/null || exit 1
BIN=.build/release/ecgs-fuzz
for h in $HARNESSES; do
  mkdir -p "out/fuzz/$h"
  end=$(( $(date +%s) + BUDGET ))
  seed=1 crashes=0
  while [ "$(date +%s)" -lt "$end" ]; do
    left=$(( end - $(date +%s) ))
    ( ulimit -v 8000000; exec "$BIN" "$h" --seconds "$left" --seed "$seed" --out out/fuzz ) > "out/fuzz/$h/log-$seed.txt" 2>&1
    rc=$?
    tail -1 "out/fuzz/$h/log-$seed.txt"
    if [ $rc -ne 0 ]; then
      crashes=$((crashes + 1))
      [ -f "out/fuzz/$h/current" ] && mv "out/fuzz/$h/current" "out/fuzz/$h/crash-$seed"
      echo "$h: FAILURE (exit $rc) with seed $seed; input kept as out/fuzz/$h/crash-$seed"
    fi
    seed=$((seed + 1))
  done
  echo "$h: $crashes failing runs"
done
