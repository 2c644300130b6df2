"""Reference outputs of wfdb-python on its own sample-data, for Tests/Fixtures/wfdb-python.

Usage: python scripts/make_wfdb_python_reference.py WFDB_PYTHON_CHECKOUT
(a checkout of MIT-LCP/wfdb-python; needs `pip install wfdb numpy`). Copies the records it reads
into Tests/Fixtures/wfdb-python/ and writes reference.json beside them: for every record (and
window / smooth_frames setting) the fs, signal names, units, frame count, per-signal NaN counts and
sums of the physical values, and the first and last 40 values of each signal; for every annotation
file every row (sample, symbol, subtype, chan, num, aux). Also writes custom-labels.atr with
wfdb.wrann(custom_labels=...), a file with label definitions in its header block.
"""
import json, os, shutil, sys
import numpy as np
import wfdb

SRC = os.path.join(sys.argv[1], "sample-data")
OUT = os.path.join(os.path.dirname(__file__), "..", "Tests", "Fixtures", "wfdb-python")
os.makedirs(OUT, exist_ok=True)

# (case name, record path relative to sample-data, rdrecord keyword arguments)
RECORDS = [
    ("test01_00s_frame", "test01_00s_frame", {}),
    ("test01_00s_frame-expanded", "test01_00s_frame", {"smooth_frames": False}),
    ("test01_00s_skew", "test01_00s_skew", {}),
    ("test01_00s_skewframe", "test01_00s_skewframe", {}),
    ("3000003_0003", "3000003_0003", {}),
    ("310derive", "310derive", {}),
    ("310derive_2", "310derive_2", {}),
    ("310derive_3", "310derive_3", {}),
    ("311derive", "311derive", {}),
    ("311derive_2", "311derive_2", {}),
    ("311derive_3", "311derive_3", {}),
    ("311derive_4", "311derive_4", {}),
    ("flacformats", "flacformats", {}),
    ("flac_3_constant", "flac_3_constant", {}),
    ("mixedsignals", "mixedsignals", {}),
    ("mixedsignals-expanded", "mixedsignals", {"smooth_frames": False}),
    ("mixedsignals-window", "mixedsignals", {"sampfrom": 1000, "sampto": 5000}),
    ("a103l", "a103l", {"sampto": 5000}),
    ("a103l-no-len", "a103l-no-len", {"sampfrom": 80000}),
    ("03700181", "03700181", {}),
    ("03700181-window", "03700181", {"sampfrom": 30001, "sampto": 31234}),
    ("03700181-expanded", "03700181", {"sampto": 2000, "smooth_frames": False}),
    ("fixed1", "multi-segment/fixed1/v102s", {}),
    ("fixed1-window", "multi-segment/fixed1/v102s", {"sampfrom": 70000, "sampto": 80000}),
    ("041s", "multi-segment/041s/041s", {}),
    ("041s-window", "multi-segment/041s/041s", {"sampfrom": 900, "sampto": 1100}),
    ("s25047", "multi-segment/s25047/s25047-2704-05-04-10-44", {}),
    ("s25047-window", "multi-segment/s25047/s25047-2704-05-04-10-44", {"sampfrom": 25000, "sampto": 60000}),
]
ANNOTATIONS = [("1003", "atr"), ("100", "qrs"), ("huge", "qrs"), ("12726", "anI"), ("12726", "wabp"),
               ("12726", "wqrs"), ("03700181", "gqrsh"), ("03700181", "gqrsl"), ("03700181", "sqrs")]


def copy_record(rel):
    """Copies a record's header(s) and signal files (and a multi-segment record's segments)."""
    src_dir = os.path.dirname(os.path.join(SRC, rel))
    dst_dir = os.path.join(OUT, os.path.dirname(rel))
    os.makedirs(dst_dir, exist_ok=True)
    name = os.path.basename(rel)
    header = os.path.join(src_dir, name + ".hea")
    shutil.copy(header, dst_dir)
    lines = [l.split() for l in open(header) if l.strip() and not l.startswith("#")]
    if "/" in lines[0][0]:
        for seg in lines[1:]:
            if seg[0] != "~":
                copy_record(os.path.join(os.path.dirname(rel), seg[0]))
    else:
        for sig in lines[1:]:
            if sig[0] != "~":
                shutil.copy(os.path.join(src_dir, sig[0]), dst_dir)


def summary(signals, fs_list):
    out = []
    for x in signals:
        x = np.asarray(x, dtype=np.float64)
        finite = x[~np.isnan(x)]
        out.append({"n": int(x.size), "nan": int(np.isnan(x).sum()), "sum": float(finite.sum()),
                    "abs_sum": float(np.abs(finite).sum()),
                    "head": [None if np.isnan(v) else float(v) for v in x[:40]],
                    "tail": [None if np.isnan(v) else float(v) for v in x[-40:]]})
    return out


ref = {"wfdb_version": wfdb.__version__, "records": [], "annotations": []}
for case, rel, kw in RECORDS:
    copy_record(rel)
    r = wfdb.rdrecord(os.path.join(SRC, rel), **kw)
    if kw.get("smooth_frames", True):
        signals = [r.p_signal[:, i] for i in range(r.n_sig)]
        spf = [1] * r.n_sig
    else:
        signals = r.e_p_signal
        spf = [s or 1 for s in r.samps_per_frame]
    ref["records"].append({"case": case, "path": rel, "args": kw, "fs": float(r.fs),
                           "sig_name": list(r.sig_name), "units": list(r.units), "sig_len": int(r.sig_len),
                           "samps_per_frame": spf, "signals": summary(signals, r.fs)})

for rec, ext in ANNOTATIONS:
    for f in (rec + "." + ext,):
        shutil.copy(os.path.join(SRC, f), OUT)
    a = wfdb.rdann(os.path.join(SRC, rec), ext, return_label_elements=["symbol", "label_store"])
    # wfdb-python has no symbol for some codes (NaN from its label table): written as null, with the
    # code, so that the test can check the rdann-style '[code]' ecgs gives them.
    ref["annotations"].append({"file": rec + "." + ext, "rows": [
        [int(a.sample[i]), a.symbol[i] if isinstance(a.symbol[i], str) else None, int(a.subtype[i]), int(a.chan[i]),
         int(a.num[i]), a.aux_note[i], int(a.label_store[i])]
        for i in range(len(a.sample))]})

# Custom label definitions, written by wfdb-python itself.
import pandas as pd
labels = pd.DataFrame({"label_store": [1, 2, 3, 4], "symbol": ["z", "l", "v", "r"],
                       "description": ["custom z", "custom l", "custom v", "custom r"]})
cwd = os.getcwd()
os.chdir(OUT)
wfdb.wrann("custom-labels", "atr", np.array([10, 20, 35, 70, 100]), symbol=["z", "l", "v", "r", "z"],
           chan=np.array([0, 1, 255, 3, 0]), num=np.array([0, 1, 2, 3, 4]), aux_note=["", "(AB", "", "note", ""],
           custom_labels=labels, fs=250)
os.chdir(cwd)
a = wfdb.rdann(os.path.join(OUT, "custom-labels"), "atr", return_label_elements=["symbol", "label_store"])
ref["annotations"].append({"file": "custom-labels.atr", "rows": [
    [int(a.sample[i]), a.symbol[i], int(a.subtype[i]), int(a.chan[i]), int(a.num[i]), a.aux_note[i], int(a.label_store[i])]
    for i in range(len(a.sample))]})

with open(os.path.join(OUT, "reference.json"), "w") as f:
    json.dump(ref, f, indent=0, allow_nan=False)
print("records", len(ref["records"]), "annotation files", len(ref["annotations"]))
