#!/usr/bin/env bash
# Whole-workload figures, ecgs against the same pipeline in wfdb-python + PyTorch + scikit-learn
# (benchmarks/torch_workload.py), run one after the other in the same minutes:
#   post-epoch-500hz     one epoch of the post-training recipe (ECGFounder preset) on a PTB-XL-shaped folder of
#                        320 synthetic records at 500 Hz: first load (WFDB decoding), the preview's feature caching
#                        and head epoch, one fine-tuning epoch, validation after each; training records per second
#   evaluate-500hz-b100  predictions and macro AUROC/AUPRC with 100 bootstraps on 2,158 records at 500 Hz
# The folders are written once into .build-bench/ (about 300 MB). Takes about 5 minutes on 2 cores.
#   PYTHON=~/torchenv/bin/python benchmarks/workload.sh
# PyTorch side: ~/torchenv/bin/pip install torch numpy wfdb scikit-learn
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
swift build -c release --product ecgs-bench >/dev/null 2>&1
bench=.build/release/ecgs-bench
. benchmarks/bind-threads.sh # ECGS_PIN_THREADS=1 and $torch_env: both sides bound unless set otherwise
have_torch=1
"$PYTHON" -c "import torch, wfdb, sklearn" 2>/dev/null || { have_torch=0; echo "(torch, wfdb or sklearn not importable by $PYTHON: ecgs side only)"; }
mkdir -p .build-bench
for n in 320 2158; do
  d=.build-bench/ptbxl500-$n
  [ -f "$d/ptbxl_database.csv" ] || $bench --make-ptbxl "$d" "$n" --rate 500
done
compare() { # $1: ecgs JSON, $2: PyTorch JSON or empty
  python3 - "$1" "${2:-null}" <<'PY'
import json, sys
e, t = json.loads(sys.argv[1]), json.loads(sys.argv[2])
n = e.get("train_records", e.get("records"))
print(f"{e['case']} ({n} records)")
parts = [k for k in e if k.endswith("_s") and not k.endswith("per_s")]
for k in parts:
    tv = f"{t[k]:8.2f}" if t else "       -"
    r = f"{e[k] / t[k]:6.2f}" if t and t[k] else "     -"
    print(f"  {k:12} ecgs {e[k]:8.2f} s   torch {tv} s   ratio {r}")
tv = f"{t['records_per_s']:.2f}" if t else "-"
print(f"  records/s    ecgs {e['records_per_s']:.2f}   torch {tv}   peak MiB ecgs {e['peak_rss_mib']} torch {t['peak_rss_mib'] if t else '-'}")
PY
}
e=$($bench --workload .build-bench/ptbxl500-320)
t=""; [ $have_torch = 1 ] && t=$(env $torch_env "$PYTHON" benchmarks/torch_workload.py --workload .build-bench/ptbxl500-320)
compare "$e" "$t"
e=$($bench --evaluate .build-bench/ptbxl500-2158)
t=""; [ $have_torch = 1 ] && t=$(env $torch_env "$PYTHON" benchmarks/torch_workload.py --evaluate .build-bench/ptbxl500-2158)
compare "$e" "$t"
