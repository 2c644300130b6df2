#!/usr/bin/env python3
"""Times what `ecgs-bench --metrics` times, with scikit-learn: macro AUROC + AUPRC on 2,203 records x
71 classes with 100 bootstrap resamples, redrawing resamples that lack a positive of some class (the
PTB-XL benchmark's procedure). Data drawn as in ecgs-bench (prevalences log-uniform 0.5-40 %, scores =
sigmoid(1.5*y + N(0,1))), with NumPy's generator. Prints one JSON line like ecgs-bench --metrics --json.
"""
import json, statistics, sys, time
import numpy as np
from sklearn.metrics import roc_auc_score, average_precision_score

repeats = int(sys.argv[sys.argv.index("--repeats") + 1]) if "--repeats" in sys.argv else 7
rng = np.random.default_rng(7)
n, k = 2203, 71
prev = np.exp(np.log(0.005) + rng.random(k) * (np.log(0.4) - np.log(0.005)))
y = (rng.random((n, k)) < prev).astype(int)
s = 1 / (1 + np.exp(-(1.5 * y + rng.standard_normal((n, k)))))

def run():
    r = np.random.default_rng(1)
    au, ap = [], []
    while len(au) < 100:
        idx = r.integers(0, n, n)
        if (y[idx].sum(axis=0) == 0).any():
            continue
        au.append(roc_auc_score(y[idx], s[idx], average="macro"))
        ap.append(average_precision_score(y[idx], s[idx], average="macro"))
    return roc_auc_score(y, s, average="macro"), average_precision_score(y, s, average="macro"), np.percentile(au, [5, 95])

run()
times = []
for _ in range(repeats):
    t0 = time.perf_counter(); a, p, ci = run(); times.append(time.perf_counter() - t0)
print(json.dumps({"case": "metrics-2203x71-b100", "mode": "eval", "median_s": round(statistics.median(times), 5),
                  "auroc": round(a, 4), "auprc": round(p, 4)}))
