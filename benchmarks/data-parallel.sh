#!/usr/bin/env bash
# Data-parallel scaling on this machine: samples/s of fine-tuning steps at 1 and 2 ranks (mpirun) and the
# all-reduce time per step, for the small preset (100 Hz, batch 32) and the ECGFounder preset (500 Hz, batch 8).
# Samples/s come from the difference of two runs of LONG and SHORT steps (wall clock), which removes the fixed
# costs (start-up, synthetic data, model, validation); the all-reduce figures from the trainer's report.
#   benchmarks/data-parallel.sh [--quick]        (--quick: fewer steps)
set -euo pipefail
cd "$(dirname "$0")/.."
short=2 long=8
[ "${1:-}" = "--quick" ] && { short=1; long=3; }
make -s build >/dev/null
ecgs=$PWD/.build/release/ecgs
mpi=(mpirun --allow-run-as-root --oversubscribe)
run() { # RANKS PRESET RATE BATCH STEPS -> seconds, report line
  local ranks=$1; shift
  local cmd=("$ecgs" run benchmarks/data-parallel.ecgs "$@")
  [ "$ranks" -gt 1 ] && cmd=("${mpi[@]}" -np "$ranks" "${cmd[@]}")
  local t0 t1 log
  log=$(mktemp)
  t0=$(date +%s.%N)
  "${cmd[@]}" > "$log" 2>&1 || { cat "$log"; echo "data-parallel.sh: run failed: ${cmd[*]}" >&2; exit 1; }
  t1=$(date +%s.%N)
  echo "$(echo "$t1 - $t0" | bc -l) $(grep -o 'all-reduce [0-9.]* ms a step' "$log" | tail -1 | awk '{print $2}')"
  rm -f "$log"
}
echo "cores: $(nproc); $(mpirun --version | head -1)"
printf "%-12s %5s %6s %6s %12s %14s %12s\n" preset rate batch ranks samples/s all-reduce_ms step_ms
for spec in "small 100 32" "ecgfounder 500 8"; do
  set -- $spec
  for ranks in 1 2; do
    read -r ts _ <<< "$(run "$ranks" "$1" "$2" "$3" "$short")"
    read -r tl ar <<< "$(run "$ranks" "$1" "$2" "$3" "$long")"
    python3 - "$1" "$2" "$3" "$ranks" "$ts" "$tl" "$short" "$long" "${ar:-}" <<'PY'
import sys
preset, rate, batch, ranks, ts, tl, short, long, ar = sys.argv[1:]
step = (float(tl) - float(ts)) / (int(long) - int(short))
print(f"{preset:12} {rate:>5} {batch:>6} {ranks:>6} {int(batch) / step:12.1f} {ar or '-':>14} {1000 * step:12.0f}")
PY
  done
done
