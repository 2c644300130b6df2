#!/usr/bin/env python3
"""SciPy reference values for the signal-processing tests (Tests/Fixtures/signal/scipy.safetensors).

Input: PTB-XL record 00001 at 500 Hz (Tests/Fixtures/wfdb/ptbxl500/00001_hr, read with wfdb-python).
Run: /path/to/venv/bin/python scripts/make_signal_reference.py  (needs numpy, scipy, wfdb, safetensors)
"""
import os
import numpy as np, scipy.signal as ss, wfdb
from safetensors.numpy import save_file

root = os.path.join(os.path.dirname(__file__), "..")
x, _ = wfdb.rdsamp(os.path.join(root, "Tests/Fixtures/wfdb/ptbxl500/00001_hr"))
x = x.T.astype(np.float64)               # (12, 5000)
lead = x[1]                               # lead II
out = {}

filters = {
    "notch50_q30_500": ss.iirnotch(50, 30, fs=500),
    "notch60_q25_360": ss.iirnotch(60, 25, fs=360),
    "butter4_bp_0.67_40_500": ss.butter(4, [0.67, 40], btype="bandpass", fs=500),
    "butter2_bp_0.5_45_100": ss.butter(2, [0.5, 45], btype="bandpass", fs=100),
    "butter3_lp_30_250": ss.butter(3, 30, btype="lowpass", fs=250),
    "butter2_hp_0.5_500": ss.butter(2, 0.5, btype="highpass", fs=500),
    "butter2_bs_45_55_500": ss.butter(2, [45, 55], btype="bandstop", fs=500),
}
for name, (b, a) in filters.items():
    out[name + ".b"] = np.asarray(b, dtype=np.float64)
    out[name + ".a"] = np.asarray(a, dtype=np.float64)
out["filtfilt_notch50"] = ss.filtfilt(*filters["notch50_q30_500"], lead)
out["filtfilt_butter4"] = ss.filtfilt(*filters["butter4_bp_0.67_40_500"], lead)
out["filtfilt_hp"] = ss.filtfilt(*filters["butter2_hp_0.5_500"], lead)
out["lfilter_lp"] = ss.lfilter(*filters["butter3_lp_30_250"], lead)
out["medfilt_201"] = ss.medfilt(lead, 201)
out["resample_500_100"] = ss.resample_poly(lead, 1, 5)
out["resample_100_500"] = ss.resample_poly(out["resample_500_100"], 5, 1)
out["resample_500_360"] = ss.resample_poly(lead, 18, 25)

# ECGFounder's fine-tuning chain on all 12 leads (SCIENCE.md §1)
y = ss.filtfilt(*filters["notch50_q30_500"], x, axis=1)
y = ss.filtfilt(*filters["butter4_bp_0.67_40_500"], y, axis=1)
y = y - ss.medfilt(y, [1, 201])
y = (y - y.mean()) / (y.std() + 1e-8)
out["chain"] = y.astype(np.float32)
save_file({k: np.ascontiguousarray(v) for k, v in out.items()}, os.path.join(root, "Tests/Fixtures/signal/scipy.safetensors"))
print("wrote", len(out), "arrays")
