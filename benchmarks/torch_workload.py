#!/usr/bin/env python3
"""The PyTorch side of `ecgs-bench --workload DIR` and `ecgs-bench --evaluate DIR`: the same pipeline with
wfdb-python, PyTorch (torch.set_num_threads(2)) and scikit-learn, printing the same JSON line.

    python3 benchmarks/torch_workload.py --workload DIR
    python3 benchmarks/torch_workload.py --evaluate DIR

DIR is a PTB-XL-shaped folder of 500 Hz records (`ecgs-bench --make-ptbxl DIR N --rate 500`). The steps follow
ecgs's post-training recipe (Engine/Training/Recipes.swift, RecipeSettings.post) with one preview and one
fine-tuning epoch:
  load      wfdb.rdsamp of every record, superdiagnostic labels from scp_codes and scp_statements.csv,
            mean and standard deviation of the training folds (1-8);
  preview   features of the training and validation records (batch 64, no_grad), one epoch of a new linear
            head (AdamW 1e-3, weight decay 0.01, cosine, batch 64), validation loss and macro AUROC/AUPRC;
  finetune  one epoch of the whole model (AdamW 1e-4, weight decay 0.01, linear warm-up over the epoch,
            stochastic depth to 0.1 on the last block, gradient clipping at norm 1, batch 32), validation.
Evaluation: labels of the task "all" (every statement), predictions of every record (batch 64), macro AUROC and AUPRC with 100 bootstrap resamples that
redraw until every class has a positive and a negative (ecgs's strict bootstrap).
Net1D comes from scripts/make_reference.py (the model the golden tests check ecgs against).
"""
import argparse, ast, csv, importlib.util, json, math, os, resource, time
import numpy as np
import torch
import torch.nn.functional as F
import wfdb
from sklearn.metrics import average_precision_score, roc_auc_score

here = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("ref", os.path.join(here, "..", "scripts", "make_reference.py"))
ref = importlib.util.module_from_spec(spec)
spec.loader.exec_module(ref)
torch.set_num_threads(2)


def load(folder, task):
    """Signals (N, 12, L) float32, targets (N, C), folds, classes, and the training mean and std. Labels of the task
    "superdiagnostic" (the diagnostic classes of the diagnostic statements) or "all" (every statement)."""
    with open(os.path.join(folder, "scp_statements.csv")) as f:
        statements = {r[""]: r for r in csv.DictReader(f)}
    rows = []
    with open(os.path.join(folder, "ptbxl_database.csv")) as f:
        for r in csv.DictReader(f):
            codes = [c for c in ast.literal_eval(r["scp_codes"]) if c in statements]
            if task == "all":
                labels = set(codes)
            else:
                labels = {statements[c]["diagnostic_class"] for c in codes
                          if statements[c]["diagnostic"] in ("1", "1.0") and statements[c]["diagnostic_class"]}
            if labels:
                rows.append((r["filename_hr"], int(r["strat_fold"]), labels))
    classes = sorted(set().union(*(r[2] for r in rows)))
    signals = np.stack([wfdb.rdsamp(os.path.join(folder, name))[0].T.astype(np.float32) for name, _, _ in rows])
    targets = np.zeros((len(rows), len(classes)), np.float32)
    for i, (_, _, labels) in enumerate(rows):
        for c in labels:
            targets[i, classes.index(c)] = 1
    folds = np.array([r[1] for r in rows])
    train = signals[folds <= 8]
    mean, std = float(train.mean(dtype=np.float64)), float(train.std(dtype=np.float64))
    return torch.from_numpy(signals), torch.from_numpy(targets), folds, classes, mean, max(std, 1e-8)


def make_model(classes):
    base, filters, blocks = ref.PRESETS["ecgfounder"]
    torch.manual_seed(1)
    return ref.Net1D(12, base, filters, blocks, classes)


def features(model, x):
    """The pooled backbone output (what the head sees)."""
    out = model.first_activation(model.first_conv(x))
    for s in model.stage_list:
        out = s(out)
    return out.mean(-1)


def batches(n, size, generator):
    order = torch.randperm(n, generator=generator)
    return [order[i:i + size] for i in range(0, n, size)]


def macro(y, p):
    keep = [c for c in range(y.shape[1]) if 0 < y[:, c].sum() < len(y)]
    return (float(np.mean([roc_auc_score(y[:, c], p[:, c]) for c in keep])),
            float(np.mean([average_precision_score(y[:, c], p[:, c]) for c in keep])))


def validate(logits, y):
    loss = F.binary_cross_entropy_with_logits(logits, y).item()
    return (loss,) + macro(y.numpy(), torch.sigmoid(logits).numpy())


def predict(fn, x, mean, std, size=64):
    with torch.no_grad():
        return torch.cat([fn((x[i:i + size] - mean) / std) for i in range(0, len(x), size)])


def with_drop_path(model, max_rate):
    """Stochastic depth as ecgs applies it (make_reference.Block): a per-sample keep mask on the squeeze-excitation
    scale, rates linear from 0 to max_rate over the blocks."""
    blocks = [b for s in model.stage_list for b in s.block_list]
    for i, b in enumerate(blocks):
        b.drop_path = max_rate * i / max(1, len(blocks) - 1)


def epoch(folder):
    t0 = time.perf_counter()
    x, y, folds, classes, mean, std = load(folder, "superdiagnostic")
    load_s = time.perf_counter() - t0
    tr, va = torch.from_numpy(folds <= 8), torch.from_numpy(folds == 9)
    xt, yt, xv, yv = x[tr], y[tr], x[va], y[va]
    model = make_model(len(classes))
    with_drop_path(model, 0.1)
    g = torch.Generator().manual_seed(0)

    t0 = time.perf_counter()  # preview: cached features, one head epoch, validation
    model.eval()
    ft, fv = predict(lambda b: features(model, b), xt, mean, std), predict(lambda b: features(model, b), xv, mean, std)
    head = torch.nn.Linear(ft.shape[1], len(classes))
    opt = torch.optim.AdamW(head.parameters(), lr=1e-3, weight_decay=0.01)
    for idx in batches(len(ft), 64, g):
        opt.zero_grad()
        F.binary_cross_entropy_with_logits(head(ft[idx]), yt[idx]).backward()
        opt.step()
    with torch.no_grad():
        validate(head(fv), yv)
    preview_s = time.perf_counter() - t0

    t0 = time.perf_counter()  # fine-tuning: one epoch (its warm-up), then validation
    model.dense = head
    model.train()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-4, weight_decay=0.01)
    steps = batches(len(xt), 32, g)
    for k, idx in enumerate(steps):
        for group in opt.param_groups:
            group["lr"] = 1e-4 * (k + 1) / len(steps)
        opt.zero_grad()
        F.binary_cross_entropy_with_logits(model((xt[idx] - mean) / std), yt[idx]).backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
    model.eval()
    validate(predict(model, xv, mean, std), yv)
    finetune_s = time.perf_counter() - t0
    total = load_s + preview_s + finetune_s
    return {"case": "post-epoch-500hz", "train_records": len(xt), "val_records": len(xv), "load_s": round(load_s, 2),
            "preview_s": round(preview_s, 2), "finetune_s": round(finetune_s, 2), "total_s": round(total, 2),
            "records_per_s": round(len(xt) / total, 2), "peak_rss_mib": round(peak_rss())}


def evaluate(folder):
    t0 = time.perf_counter()
    x, y, _, classes, mean, std = load(folder, "all")
    load_s = time.perf_counter() - t0
    model = make_model(len(classes)).eval()
    t0 = time.perf_counter()
    p = torch.sigmoid(predict(model, x, mean, std)).numpy()
    yn = y.numpy()
    auroc, _ = macro(yn, p)
    rng = np.random.default_rng(0)
    done = 0
    while done < 100:
        idx = rng.integers(0, len(yn), len(yn))
        if all(0 < yn[idx, c].sum() < len(idx) for c in range(yn.shape[1])):
            macro(yn[idx], p[idx])
            done += 1
    seconds = time.perf_counter() - t0
    return {"case": "evaluate-500hz-b100", "records": len(x), "load_s": round(load_s, 2), "evaluate_s": round(seconds, 2),
            "records_per_s": round(len(x) / seconds, 2), "auroc": round(auroc, 4), "peak_rss_mib": round(peak_rss())}


def peak_rss():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


p = argparse.ArgumentParser()
p.add_argument("--workload")
p.add_argument("--evaluate")
a = p.parse_args()
if a.workload:
    print(json.dumps(epoch(a.workload)), flush=True)
if a.evaluate:
    print(json.dumps(evaluate(a.evaluate)), flush=True)
