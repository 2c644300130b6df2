#!/usr/bin/env python3
"""Checkpoint files as users have them, written by PyTorch itself (Tests/Fixtures/golden/):

- ecgfounder-checkpoint.pth: the dict ECGFounder's `save_checkpoint` writes in its fine-tuning notebook
  ({epoch, step, state_dict, optimizer (Adam), scheduler (ReduceLROnPlateau), val_auroc}), where
  val_auroc is a NumPy float64 (so the pickle names numpy's scalar and dtype), plus a NumPy array of
  thresholds (numpy's _reconstruct / ndarray) as such scripts also save.
- tiny-L1000-legacy.pth: the same weights in the legacy (pre-1.6, non-zip) torch.save format, under
  the key `stat_dict` as in the generator of PyPI's deepfake-ecg wheel.
- numpy-global.pth / os-system-in-legacy.pth: a pickle naming a NumPy function that is not a data
  constructor, and a legacy file whose pickle names os.system: both must be refused.
The weights are those of tiny-L1000.pth (scripts/make_reference.py), so its reference logits apply.
Run: python scripts/make_checkpoint_variants.py  (needs torch, numpy)
"""
import os, pickle
import numpy as np
import torch

out = os.path.join(os.path.dirname(__file__), "..", "Tests", "Fixtures", "golden")
sd = torch.load(os.path.join(out, "tiny-L1000.pth"), weights_only=True)["state_dict"]

params = [torch.nn.Parameter(v.clone()) for k, v in sd.items() if v.dtype == torch.float32]
opt = torch.optim.Adam(params, lr=1e-3, weight_decay=1e-5)
for p in params:
    p.grad = torch.randn_like(p) * 1e-3
opt.step()
sched = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, patience=10, factor=0.1, mode="max")
sched.step(0.75)
val_auroc = np.float64(0.8123)
torch.save({"epoch": 3, "step": 120, "state_dict": sd, "optimizer": opt.state_dict(), "scheduler": sched.state_dict(),
            "val_auroc": val_auroc, "thresholds": np.array([0.2, 0.35, 0.5], dtype=np.float32)},
           os.path.join(out, "ecgfounder-checkpoint.pth"))
torch.load(os.path.join(out, "ecgfounder-checkpoint.pth"), weights_only=False)   # readable by PyTorch

torch.save({"stat_dict": sd, "epoch": 7}, os.path.join(out, "tiny-L1000-legacy.pth"), _use_new_zipfile_serialization=False)
back = torch.load(os.path.join(out, "tiny-L1000-legacy.pth"), weights_only=True)["stat_dict"]
assert all(torch.equal(back[k], sd[k]) for k in sd)


class Evil:
    def __reduce__(self):
        return (os.system, ("echo pwned",))


torch.save({"state_dict": sd, "config": np.load}, os.path.join(out, "numpy-global.pth"))
torch.save({"state_dict": sd, "hook": Evil()}, os.path.join(out, "os-system-in-legacy.pth"), _use_new_zipfile_serialization=False)
print("written")
