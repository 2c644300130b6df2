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
root = os.path.join(os.path.dirname(__file__), "..")
json.dump(cases, open(os.path.join(root, "Tests/Fixtures/metrics/sklearn.json"), "w"))
print({c: (v["macro_auroc"], v["macro_ap"]) for c, v in cases.items()})
