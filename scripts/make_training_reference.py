#!/usr/bin/env python3
"""PyTorch reference trajectories of the three recipes (Tests/Fixtures/golden/training.ref.safetensors).

An independent re-implementation in PyTorch of what `Recipes.run` does for `baseline`, `linear_probe`
and `post` (SCIENCE.md §3, Sources/Engine/Training), on a small fixture of real PTB-XL records: 32
training records (fold 1) and 16 validation records (fold 9) at 100 Hz (first 5 s), superdiagnostic labels,
standardised with the training split's mean and std; the `tiny` Net1D from seed 11; drop path 0.
The pieces ecgs draws from its seeded generator are reproduced exactly: xoshiro256** seeded by
SplitMix64 gives the new head (uniform ±1/sqrt(fan_in), weight then bias) and the Fisher–Yates batch
order of every epoch (seed + 7919 · epoch). Per step: the loss; per recipe: the final weights (after
the best validation epoch is restored). Run: python scripts/make_training_reference.py (torch, numpy,
safetensors, wfdb).
"""
import ast, csv, math, os, sys
import numpy as np
import torch
import torch.nn.functional as F
import wfdb
from safetensors.torch import save_file

sys.path.insert(0, os.path.dirname(__file__))
import make_reference as mr  # noqa: E402  (the Net1D of the golden tests)

ROOT = os.path.join(os.path.dirname(__file__), "..")
M64 = (1 << 64) - 1


class SeededRandom:
    """ecgs's generator: xoshiro256** seeded by SplitMix64 (Sources/Engine/Tensor/SeededRandom.swift)."""
    def __init__(self, seed):
        x = seed & M64
        def splitmix():
            nonlocal x
            x = (x + 0x9E3779B97F4A7C15) & M64
            z = x
            z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
            z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
            return z ^ (z >> 31)
        self.s = [splitmix() for _ in range(4)]

    def next(self):
        s = self.s
        r = (s[1] * 5) & M64
        r = (((r << 7) | (r >> 57)) & M64) * 9 & M64
        t = (s[1] << 17) & M64
        s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3]; s[2] ^= t
        s[3] = ((s[3] << 45) | (s[3] >> 19)) & M64
        return r

    def uniform(self):
        return (self.next() >> 11) * 2.0 ** -53


def batches(count, size, seed):
    order = list(range(count))
    rng = SeededRandom(seed)
    for i in range(count - 1, 0, -1):
        j = rng.next() % (i + 1)
        order[i], order[j] = order[j], order[i]
    return [order[s:s + size] for s in range(0, count, size)]


def new_head(model, classes, seed):
    rng = SeededRandom(seed)
    fan_in = model.dense.in_features
    bound = np.float32(1 / math.sqrt(fan_in))
    def uni(n):
        return torch.tensor([np.float32(-bound) + (bound - np.float32(-bound)) * np.float32(rng.uniform()) for _ in range(n)])
    w = uni(classes * fan_in).reshape(classes, fan_in)
    b = uni(classes)
    model.dense = torch.nn.Linear(fan_in, classes)
    with torch.no_grad():
        model.dense.weight.copy_(w); model.dense.bias.copy_(b)


def factor(schedule, step, warmup, total):
    if warmup > 0 and step < warmup:
        return np.float32(step + 1) / np.float32(warmup + 1)
    if schedule == "constant":
        return np.float32(1)
    span = max(total - warmup, 1)
    t = np.float32(min(step - warmup, span)) / np.float32(span)
    return np.float32(0.5) * (np.float32(1) + np.float32(math.cos(np.float32(math.pi) * t)))


def macro_auroc(scores, labels):
    out = []
    for k in range(labels.shape[1]):
        y, s = labels[:, k] > 0.5, scores[:, k]
        P, N = y.sum(), (~y).sum()
        if P == 0 or N == 0:
            continue
        order = np.argsort(-s, kind="stable")
        s, y = s[order], y[order]
        tp = fp = auc = 0.0
        i = 0
        while i < len(s):
            j = i
            gtp = gfp = 0
            while j < len(s) and s[j] == s[i]:
                gtp += y[j]; gfp += not y[j]; j += 1
            auc += gfp * (tp + 0.5 * gtp); tp += gtp; fp += gfp
            i = j
        out.append(auc / (P * N))
    return float(np.mean(out)) if out else float("nan")


def train(params, forward, x, y, val, cfg, losses):
    """Trainer.run: per-step schedule, BCE, optional clipping, validation AUROC per epoch, best restored."""
    opt_cls = {"adam": torch.optim.Adam, "adamw": torch.optim.AdamW}[cfg["optimizer"]]
    opt = opt_cls(params, lr=cfg["lr"], weight_decay=cfg["wd"])
    n, bs = x.shape[0], cfg["batch"]
    per_epoch = (n + bs - 1) // bs
    total, warm = cfg["epochs"] * per_epoch, cfg.get("warmup", 0) * per_epoch
    best, best_state = None, None
    for epoch in range(cfg["epochs"]):
        for bi, pos in enumerate(batches(n, bs, cfg["seed"] + 7919 * epoch)):
            step = epoch * per_epoch + bi
            for g in opt.param_groups:
                g["lr"] = float(np.float32(cfg["lr"]) * factor(cfg["schedule"], step, warm, total))
            opt.zero_grad()
            loss = F.binary_cross_entropy_with_logits(forward(x[pos]), y[pos])
            loss.backward()
            if cfg.get("clip"):
                torch.nn.utils.clip_grad_norm_(params, cfg["clip"])
            opt.step()
            losses.append(loss.item())
        with torch.no_grad():
            auroc = macro_auroc(torch.sigmoid(forward(val[0])).numpy(), val[1].numpy())
        if best is None or (not math.isnan(auroc) and (math.isnan(best) or auroc > best)):
            best, best_state = auroc, [p.detach().clone() for p in params]
    with torch.no_grad():
        for p, s in zip(params, best_state):
            p.copy_(s)


def data():
    """48 real records (32 train, 16 validation), superdiagnostic labels, global z-score of the train split."""
    d = os.path.join(ROOT, "data/ptbxl-sample")
    st = {r[""]: r for r in csv.DictReader(open(os.path.join(d, "scp_statements.csv")))}
    classes = ["CD", "HYP", "MI", "NORM", "STTC"]
    xs, ys = [], []
    for row in csv.DictReader(open(os.path.join(d, "ptbxl_database.csv"))):
        labels = {st[c]["diagnostic_class"] for c in ast.literal_eval(row["scp_codes"])
                  if c in st and st[c]["diagnostic"] == "1.0" and st[c]["diagnostic_class"]}
        if not labels:
            continue
        sig = wfdb.rdrecord(os.path.join(d, row["filename_lr"])).p_signal.T[:, :500]   # 5 s keep the fixture small
        xs.append(np.nan_to_num(sig).astype(np.float32)); ys.append([float(c in labels) for c in classes])
        if len(xs) == 48:
            break
    x, y = torch.tensor(np.stack(xs)), torch.tensor(ys)
    tr = x[:32].double()
    x = (x - tr.mean().float()) / tr.std(unbiased=False).float()
    return x, y


def main():
    torch.manual_seed(11)
    base, filters, blocks = mr.PRESETS["tiny"]
    init = mr.Net1D(12, base, filters, blocks, 5)
    x, y = data()
    train_x, train_y, val = x[:32], y[:32], (x[32:], y[32:])
    ref = {"x": x, "y": y}
    for k, v in init.state_dict().items():
        if "bn" not in k and "running" not in k:
            ref["init." + k] = v.clone()
    common = {"batch": 8, "seed": 0}
    for recipe in ["baseline", "linear_probe", "post"]:
        model = mr.Net1D(12, base, filters, blocks, 5)
        model.load_state_dict(init.state_dict())
        model.eval()   # no batch norm or dropout in Net1D without use_bn; drop path 0
        new_head(model, 5, 0)
        losses = []
        if recipe in ("linear_probe", "post"):
            def pooled(t):
                out = model.first_activation(model.first_conv(t))
                for s in model.stage_list:
                    out = s(out)
                return out.mean(-1)
            with torch.no_grad():
                ft, fv = pooled(train_x), pooled(val[0])
            head = list(model.dense.parameters())
            train(head, model.dense, ft, train_y, (fv, val[1]),
                  dict(common, optimizer="adamw", lr=1e-3, wd=0.01, schedule="cosine", epochs=3 if recipe == "linear_probe" else 2),
                  losses)
        if recipe == "baseline":
            train(list(model.parameters()), model, train_x, train_y, val,
                  dict(common, optimizer="adam", lr=1e-3, wd=1e-5, schedule="constant", epochs=3), losses)
        if recipe == "post":
            train(list(model.parameters()), model, train_x, train_y, val,
                  dict(common, optimizer="adamw", lr=1e-3, wd=0.01, schedule="cosine", warmup=1, clip=1.0, epochs=3), losses)
        ref[recipe + ".losses"] = torch.tensor(losses)
        for k, v in model.state_dict().items():
            if "bn" not in k and "running" not in k:
                ref[recipe + ".final." + k] = v.detach().clone()
        print(recipe, "losses", [round(l, 5) for l in losses])
    save_file({k: v.contiguous().float() for k, v in ref.items()}, os.path.join(ROOT, "Tests/Fixtures/golden/training.ref.safetensors"))


if __name__ == "__main__":
    main()
