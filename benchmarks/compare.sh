#!/usr/bin/env bash
# Runs ecgs-bench and the PyTorch script on the same cases in the same minutes, alternating case by
# case (the host's speed drifts), and prints the time ratio ecgs / PyTorch.
#   PYTHON=~/torchenv/bin/python benchmarks/compare.sh [--repeats N] [--case NAME]
# PyTorch: python3 -m venv ~/torchenv && ~/torchenv/bin/pip install torch numpy safetensors
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
repeats=7; only=""
while [ $# -gt 0 ]; do case "$1" in
  --repeats) repeats=$2; shift 2;; --case) only=$2; shift 2;;
  *) echo "compare.sh: unknown argument $1" >&2; exit 2;; esac; done
swift build -c release --product ecgs-bench >/dev/null 2>&1
bench=.build/release/ecgs-bench
have_torch=1; "$PYTHON" -c "import torch" 2>/dev/null || { have_torch=0; echo "(PyTorch not importable by $PYTHON: ecgs side only)"; }
cases=${only:-"ecgfounder-L5000-B8 ecgfounder-L1000-B16 small-L1000-B32 small-L5000-B16"}
$bench --sgemm --repeats "$repeats" | tail -1
printf "%-22s %-8s %10s %10s %8s %9s %9s\n" case mode "ecgs s" "torch s" ratio "ecgs MiB" "torch MiB"
for c in $cases; do for m in forward train; do
  e=$($bench --case "$c" --mode "$m" --json --repeats "$repeats" | grep '"case"')
  if [ $have_torch = 1 ]; then t=$("$PYTHON" benchmarks/torch_bench.py --case "$c" --mode "$m" --json --repeats "$repeats"); else t='{"median_s": null, "peak_rss_mib": null}'; fi
  python3 - "$e" "$t" <<'PY'
import json, sys
e, t = json.loads(sys.argv[1]), json.loads(sys.argv[2])
ratio = f"{e['median_s'] / t['median_s']:.2f}" if t["median_s"] else "-"
print(f"{e['case']:22} {e['mode']:8} {e['median_s']:10.4f} {t['median_s'] or 0:10.4f} {ratio:>8} {e['peak_rss_mib']:9} {t['peak_rss_mib'] or '-':>9}")
PY
done; done
# Metrics: macro AUROC + AUPRC with 100 strict bootstraps on 2,203 x 71 (scikit-learn on the same procedure).
if [ -z "$only" ]; then
  e=$($bench --metrics --json --repeats "$repeats")
  if "$PYTHON" -c "import sklearn" 2>/dev/null; then t=$("$PYTHON" benchmarks/sklearn_metrics.py --repeats 3); else t='{"median_s": null}'; fi
  python3 - "$e" "$t" <<'PY'
import json, sys
e, t = json.loads(sys.argv[1]), json.loads(sys.argv[2])
ratio = f"{e['median_s'] / t['median_s']:.3f}" if t["median_s"] else "-"
print(f"{'metrics-2203x71-b100':22} {'eval':8} {e['median_s']:10.4f} {t['median_s'] or 0:10.4f} {ratio:>8}   (scikit-learn)")
PY
fi
