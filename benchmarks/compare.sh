#!/usr/bin/env bash
# Runs ecgs-bench and the PyTorch script on the same cases in the same minutes, alternating case by case
# (the host's speed drifts up to 2x within minutes), in R interleaved rounds, and prints per case and mode the
# median time of each side, the median ecgs / PyTorch ratio over the rounds and its spread (lowest-highest),
# the peak memory of both, and ecgs's GFLOP/s as a share of the sgemm rate of the same round (median, spread).
#   PYTHON=~/torchenv/bin/python benchmarks/compare.sh [--repeats N] [--rounds R] [--case NAME]
# PyTorch: python3 -m venv ~/torchenv && ~/torchenv/bin/pip install torch numpy safetensors scikit-learn
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
repeats=7; rounds=3; only=""
while [ $# -gt 0 ]; do case "$1" in
  --repeats) repeats=$2; shift 2;; --rounds) rounds=$2; shift 2;; --case) only=$2; shift 2;;
  *) echo "compare.sh: unknown argument $1" >&2; exit 2;; esac; done
swift build -c release --product ecgs-bench >/dev/null 2>&1
bench=.build/release/ecgs-bench
. benchmarks/bind-threads.sh # ECGS_PIN_THREADS=1 and $torch_env: both sides bound unless set otherwise
have_torch=1; "$PYTHON" -c "import torch" 2>/dev/null || { have_torch=0; echo "(PyTorch not importable by $PYTHON: ecgs side only)"; }
cases=${only:-"ecgfounder-L5000-B8 ecgfounder-L1000-B16 small-L1000-B32 small-L5000-B16"}
log=$(mktemp /tmp/ecgs-compare.XXXXXX)
trap 'rm -f "$log"' EXIT
for r in $(seq 1 "$rounds"); do
  echo "round $r of $rounds" >&2
  echo "sgemm $r $($bench --sgemm --json --repeats "$repeats" | grep '"case"')" >>"$log"
  for c in $cases; do for m in forward train; do
    echo "ecgs $r $($bench --case "$c" --mode "$m" --json --repeats "$repeats" | grep '"case"')" >>"$log"
    if [ $have_torch = 1 ]; then
      echo "torch $r $(env $torch_env "$PYTHON" benchmarks/torch_bench.py --case "$c" --mode "$m" --json --repeats "$repeats")" >>"$log"
    fi
  done; done
done
python3 - "$log" <<'PY'
import collections, json, statistics, sys
runs = collections.defaultdict(dict)  # (case, mode) -> {(side, round): record}
sgemm = {}
for line in open(sys.argv[1]):
    side, rnd, text = line.split(" ", 2)
    rec = json.loads(text)
    if side == "sgemm":
        sgemm[rnd] = rec["gflops"]
    else:
        runs[(rec["case"], rec["mode"])][(side, rnd)] = rec
rounds = sorted(sgemm)
print(f"sgemm 2048^3: {' / '.join(f'{sgemm[r]:.0f}' for r in rounds)} GFLOP/s in rounds {', '.join(rounds)}")
print(f"{'case':22} {'mode':8} {'ecgs s':>8} {'torch s':>8} {'ratio':>6} {'spread':>11} {'ecgs MiB':>9} {'torch MiB':>9} {'% sgemm (spread)':>17}")
for (case, mode), got in runs.items():
    e = [got[("ecgs", r)] for r in rounds]
    t = [got[("torch", r)] for r in rounds if ("torch", r) in got]
    shares = [x["gflops"] / sgemm[r] * 100 for x, r in zip(e, rounds)]
    row = f"{case:22} {mode:8} {statistics.median(x['median_s'] for x in e):8.4f} "
    if len(t) == len(e):
        ratios = [a["median_s"] / b["median_s"] for a, b in zip(e, t)]
        row += (f"{statistics.median(x['median_s'] for x in t):8.4f} {statistics.median(ratios):6.2f} "
                f"{min(ratios):5.2f}-{max(ratios):4.2f} {max(x['peak_rss_mib'] for x in e):9.0f} "
                f"{max(x['peak_rss_mib'] for x in t):9.0f}")
    else:
        row += f"{'-':>8} {'-':>6} {'-':>11} {max(x['peak_rss_mib'] for x in e):9.0f} {'-':>9}"
    print(row + f" {statistics.median(shares):7.0f}% ({min(shares):.0f}-{max(shares):.0f})")
PY
# Metrics: macro AUROC + AUPRC with 100 strict bootstraps on 2,203 x 71 (scikit-learn on the same procedure).
if [ -z "$only" ]; then
  e=$($bench --metrics --json --repeats "$repeats")
  if "$PYTHON" -c "import sklearn" 2>/dev/null; then t=$("$PYTHON" benchmarks/sklearn_metrics.py --repeats 3); else t='{"median_s": null}'; fi
  python3 - "$e" "$t" <<'PY'
import json, sys
e, t = json.loads(sys.argv[1]), json.loads(sys.argv[2])
ratio = f"{e['median_s'] / t['median_s']:.3f}" if t["median_s"] else "-"
print(f"{'metrics-2203x71-b100':22} {'eval':8} {e['median_s']:8.4f} {t['median_s'] or 0:8.4f} {ratio:>6}   (scikit-learn)")
PY
fi
