#!/usr/bin/env python3
"""scikit-learn reference values for the metric tests (Tests/Fixtures/metrics/sklearn.json):
per-class and macro roc_auc_score / average_precision_score on random and heavily tied scores, and
roc_curve / precision_recall_curve points. Run with a Python that has numpy and scikit-learn."""
import json, os
import numpy as np
from sklearn.metrics import roc_auc_score, average_precision_score, roc_curve, precision_recall_curve

rng = np.random.default_rng(42)
cases = {}
for name, n, k, decimals in [("random", 400, 6, None), ("tied", 250, 5, 1), ("rare", 300, 4, 2)]:
    y = (rng.random((n, k)) < np.linspace(0.05, 0.5, k)).astype(int)
    if name == "rare":
        y[:, 0] = 0; y[[3, 77], 0] = 1           # two positives only
    s = rng.random((n, k)) * 0.6 + y * rng.random((n, k)) * 0.5
    s = s.astype(np.float32)
    if decimals is not None:
        s = np.round(s, decimals).astype(np.float32)
    fpr, tpr, th = roc_curve(y[:, 1], s[:, 1], drop_intermediate=False)
    p, r, pth = precision_recall_curve(y[:, 1], s[:, 1])
    cases[name] = {
        "scores": s.tolist(), "labels": y.tolist(),
        "auroc": [roc_auc_score(y[:, j], s[:, j]) for j in range(k)],
        "ap": [average_precision_score(y[:, j], s[:, j]) for j in range(k)],
        "macro_auroc": roc_auc_score(y, s, average="macro"),
        "macro_ap": average_precision_score(y, s, average="macro"),
        "roc1": {"fpr": fpr.tolist(), "tpr": tpr.tolist()},
        "pr1": {"precision": p.tolist(), "recall": r.tolist()},
    }
# Columns without positives / without negatives, ties, and sample weights (a second generator, so that
# the cases above keep their values). scikit-learn's macro roc_auc_score raises on a one-valued column:
# per-class AUROC is NaN there and the macro AUROC averages the others (what ecgs reports);
# average_precision_score counts a column without positives as 0 (with a warning).
import warnings
rng2 = np.random.default_rng(7)
for name, n, weighted in [("edge", 120, False), ("weighted", 200, True), ("edge_weighted", 90, True)]:
    k = 5
    y = (rng2.random((n, k)) < 0.3).astype(int)
    if name.startswith("edge"):
        y[:, 0] = 0          # no positive
        y[:, 4] = 1          # no negative
    s = np.round(rng2.random((n, k)) * 0.7 + y * 0.3 * rng2.random((n, k)), 2).astype(np.float32)   # ties
    w = np.round(rng2.random(n) * 3, 1) if weighted else None
    if weighted:
        w[:5] = 0.0          # zero weights are allowed
    per_auroc = []
    for j in range(k):
        if len(set(y[:, j])) < 2:
            per_auroc.append(None)
        else:
            per_auroc.append(roc_auc_score(y[:, j], s[:, j], sample_weight=w))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ap = [average_precision_score(y[:, j], s[:, j], sample_weight=w) for j in range(k)]
        macro_ap = average_precision_score(y, s, average="macro", sample_weight=w)
    defined = [a for a in per_auroc if a is not None]
    cases[name] = {
        "scores": s.tolist(), "labels": y.tolist(), "weights": None if w is None else w.tolist(),
        "auroc": per_auroc, "ap": ap, "macro_auroc": float(np.mean(defined)), "macro_ap": macro_ap,
        "macro_ap_exclude": float(np.mean([a for j, a in enumerate(ap) if y[:, j].any()])),
    }

root = os.path.join(os.path.dirname(__file__), "..")
json.dump(cases, open(os.path.join(root, "Tests/Fixtures/metrics/sklearn.json"), "w"))
print({c: (v["macro_auroc"], v["macro_ap"]) for c, v in cases.items()})
