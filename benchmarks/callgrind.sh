#!/usr/bin/env bash
# Instruction counts of one ecgs-bench step under valgrind's callgrind: repeatable whatever the machine's
# speed is doing. valgrind 3.19 (Debian 12) cannot run AVX-512 code, so this builds an AVX2 variant
# (ECGS_TARGET_CPU=haswell, OPENBLAS_CORETYPE=Haswell) into .build-haswell. It runs the case with
# --repeats 1 and 2 (warm-up + 1 or 2 steps) and reports the difference, one step, in total and for the
# engine's hot functions (inclusive counts). One worker (--threads 1): a spinning worker thread would add
# instructions that depend on timing.
#   benchmarks/callgrind.sh [CASE] [MODE] [SOURCE_DIR]   (default ecgfounder-L1000-B16 train; SOURCE_DIR
#   another checkout, e.g. a `git worktree` of an older commit, to count the same step there)
set -euo pipefail
case_name=${1:-ecgfounder-L1000-B16}; mode=${2:-train}; src=${3:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$src"
ECGS_TARGET_CPU=haswell swift build -c release --product ecgs-bench --scratch-path .build-haswell >/dev/null
bench=$src/.build-haswell/release/ecgs-bench
out=$(mktemp -d /tmp/ecgs-callgrind.XXXXXX)
trap 'rm -rf "$out"' EXIT
for r in 1 2; do
  OPENBLAS_CORETYPE=Haswell valgrind --tool=callgrind --callgrind-out-file="$out/r$r" \
    "$bench" --case "$case_name" --mode "$mode" --repeats "$r" --threads 1 >/dev/null 2>"$out/log$r"
done
patterns='Optimizer.*step|maxPool1d|Tensor.*backward|forwardDirect|inputGradientDirect|weightGradientDirect|correlate|outerAccumulate|biasGradient|ChannelMajor|Batched|sgemm_kernel|scaledResidual|Tensor.*unary'
python3 - "$out/r1" "$out/r2" "$patterns" "$case_name" "$mode" <<'PY'
import re, subprocess, sys
def totals(path):
    text = subprocess.run(["callgrind_annotate", "--inclusive=yes", "--threshold=100", path], capture_output=True, text=True).stdout
    total = int(re.search(r"([\d,]+) \(100.0%\)\s+PROGRAM TOTALS", text).group(1).replace(",", ""))
    fns = {}
    for line in text.splitlines():
        m = re.match(r"\s*([\d,]+) \([ \d.]+%\)\s+\S*:(\S+)", line)
        if m:
            fns[m.group(2)] = fns.get(m.group(2), 0) + int(m.group(1).replace(",", ""))
    return total, fns
(t1, f1), (t2, f2) = totals(sys.argv[1]), totals(sys.argv[2])
print(f"{sys.argv[4]} {sys.argv[5]}: {(t2 - t1) / 1e9:.3f} G instructions per step (AVX2 build)")
pat = re.compile(sys.argv[3])
keys = sorted(f2)
names = subprocess.run(["swift", "demangle", "--simplified", "--compact"], input="\n".join(keys), capture_output=True,
                       text=True).stdout.splitlines()
rows = [(f2[k] - f1.get(k, 0), name) for k, name in zip(keys, names) if pat.search(name)]
for n, name in sorted(rows, reverse=True)[:24]:
    print(f"  {n / 1e6:10.1f} M  {name[:110]}")
PY
