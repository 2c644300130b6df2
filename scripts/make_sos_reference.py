#!/usr/bin/env python3
"""SciPy reference for Butterworth filters in second-order sections (Tests/Fixtures/signal/sos.safetensors).

For real records at 100 Hz (PTB-XL 00001_lr), 250 Hz (wfdb-python's multi-segment v102s), 500 Hz
(PTB-XL 00001_hr) and 1000 Hz (PTB s0010_re): 1,000 samples of one lead, filtered by
scipy.signal.butter(N, Wn, btype, fs, output="sos") with sosfiltfilt and sosfilt, for low-, high- and
band-pass of every order 1-12. Also the sections of a few designs.
Run: /path/to/venv/bin/python scripts/make_sos_reference.py  (needs numpy, scipy, wfdb, safetensors)
"""
import os
import numpy as np, scipy.signal as ss, wfdb
from safetensors.numpy import save_file

root = os.path.join(os.path.dirname(__file__), "..")
fx = os.path.join(root, "Tests/Fixtures")
inputs = {
    100: wfdb.rdrecord(os.path.join(root, "data/ptbxl-sample/records100/00000/00001_lr")).p_signal[:, 1],
    250: wfdb.rdrecord(os.path.join(fx, "wfdb-python/multi-segment/fixed1/v102s")).p_signal[:1000, 0],
    500: wfdb.rdrecord(os.path.join(fx, "wfdb/ptbxl500/00001_hr")).p_signal[:1000, 1],
    1000: wfdb.rdrecord(os.path.join(fx, "wfdb/s0010_re")).p_signal[:1000, 0],
}
designs = {"lowpass": lambda fs: min(40.0, 0.4 * fs), "highpass": lambda fs: 0.5, "bandpass": lambda fs: [0.5, min(40.0, 0.4 * fs)]}
out = {}
for fs, x in inputs.items():
    x = np.asarray(x, dtype=np.float64)
    assert len(x) == 1000 and not np.isnan(x).any()
    out[f"x{fs}"] = x
    for btype, wn in designs.items():
        for order in range(1, 13):
            sos = ss.butter(order, wn(fs), btype=btype, fs=fs, output="sos")
            key = f"{btype}.{order}.{fs}"
            out["sosfiltfilt." + key] = ss.sosfiltfilt(sos, x).astype(np.float32)
            out["sosfilt." + key] = ss.sosfilt(sos, x).astype(np.float32)
            out["sos." + key] = sos
save_file({k: np.ascontiguousarray(v) for k, v in out.items()}, os.path.join(fx, "signal/sos.safetensors"))
print(len(out), "arrays")
