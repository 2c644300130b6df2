#!/usr/bin/env bash
# Where a benchmark case spends its time, by kind of work: `perf record` of `ecgs-bench --case C --mode M`,
# the samples summed by symbol into convolution kernels, BLAS, element-wise tensor code, optimiser,
# memory (copies, zeroing, page faults) and threading (wake-ups, scheduler), plus the top symbols.
# Usage: benchmarks/profile.sh CASE MODE [REPEATS]   (needs perf and a release build of ecgs-bench)
set -euo pipefail
case_name=${1:?case}; mode=${2:?mode}; repeats=${3:-5}
data=$(mktemp /tmp/ecgs-perf.XXXXXX)
trap 'rm -f "$data"' EXIT
bench=$(dirname "$0")/../.build/release/ecgs-bench
perf record -q -o "$data" "$bench" --case "$case_name" --mode "$mode" --repeats "$repeats" >/dev/null 2>&1
perf report -i "$data" --no-children --sort symbol 2>/dev/null | grep -v '^#' | grep '%' |
  awk '{ p = $1; sub("%", "", p); $1 = ""; $2 = ""; s = $0
         k = "other"
         if (s ~ /ConvKernels|DirectConv|fillPhases|packForwardWeights|inputGradientDirect|weightGradientDirect|biasGradient/) k = "convolution kernels (direct)"
         else if (s ~ /sgemm|ChannelMajor|Batched/) k = "BLAS products (1x1 convolutions, linear)"
         else if (s ~ /Optimizer/) k = "optimiser"
         else if (s ~ /memmove|memset|memcpy|page_fault|clear_page|_mm_|folio|lru|memcg|alloc|free/) k = "memory: copies, zeroing, page faults"
         else if (s ~ /spin|schedule|futex|switch|wake|sched_yield|dispatch|sem_|syscall|pthread/) k = "threading: wake-ups, scheduler"
         else if (s ~ /Engine/) k = "element-wise and other tensor code"
         else if (s ~ /\[k\]/) k = "kernel (other)"
         sum[k] += p; total += p
         if (n < 12) { top[n++] = sprintf("%6.2f%%  %s", p, substr(s, 1, 110)) } }
       END { printf "%-44s %6s\n", "kind of work", "share"
             for (k in sum) printf "%-44s %5.1f%%\n", k, sum[k]
             print "\ntop symbols:"; for (i = 0; i < n; i++) print top[i] }'
