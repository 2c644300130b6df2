#!/usr/bin/env python3
"""The PyTorch side of ecgs-bench: the same Net1D, cases, shapes and modes, torch.set_num_threads(2).

    python3 benchmarks/torch_bench.py [--case NAME] [--mode forward|train] [--json] [--repeats N]

Prints the same JSON lines as `ecgs-bench --json`. Net1D comes from scripts/make_reference.py (the
model the golden tests check ecgs against).
"""
import argparse, importlib.util, json, os, resource, statistics, sys, time
import torch
import torch.nn.functional as F

here = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("ref", os.path.join(here, "..", "scripts", "make_reference.py"))
ref = importlib.util.module_from_spec(spec)
spec.loader.exec_module(ref)

CASES = {"ecgfounder-L5000-B8": ("ecgfounder", 5000, 8), "ecgfounder-L1000-B16": ("ecgfounder", 1000, 16),
         "small-L1000-B32": ("small", 1000, 32), "small-L5000-B16": ("small", 5000, 16)}

p = argparse.ArgumentParser()
p.add_argument("--case"); p.add_argument("--mode", choices=["forward", "train"]); p.add_argument("--json", action="store_true")
p.add_argument("--repeats", type=int, default=7)
a = p.parse_args()
torch.set_num_threads(2)
names = [a.case] if a.case else list(CASES)
modes = [a.mode] if a.mode else ["forward", "train"]
for name in names:
    preset, L, B = CASES[name]
    base, filters, blocks = ref.PRESETS[preset]
    torch.manual_seed(1)
    model = ref.Net1D(12, base, filters, blocks, 71)
    x = torch.randn(B, 12, L)
    y = (torch.rand(B, 71) < 0.2).float()
    for mode in modes:
        if mode == "forward":
            model.eval()
            def step():
                with torch.no_grad():
                    model(x)
        else:
            model.train()
            opt = torch.optim.AdamW(model.parameters(), lr=1e-4, weight_decay=0.01)
            def step():
                opt.zero_grad()
                F.binary_cross_entropy_with_logits(model(x), y).backward()
                opt.step()
        step()
        times = []
        for _ in range(a.repeats):
            t0 = time.perf_counter(); step(); times.append(time.perf_counter() - t0)
        med = statistics.median(times)
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        line = {"case": name, "mode": mode, "median_s": round(med, 5), "samples_per_s": round(B / med, 2), "peak_rss_mib": round(rss)}
        print(json.dumps(line) if a.json else f"{name:22} {mode:8} {med:9.4f} s {B / med:10.1f} samples/s {rss:7.0f} MiB", flush=True)
