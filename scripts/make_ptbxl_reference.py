#!/usr/bin/env python3
"""Reference values for the PTB-XL loader tests: the six benchmark tasks built the way
Strodthoff et al.'s code builds them (ast.literal_eval of scp_codes, keys only, records without a
label dropped, MultiLabelBinarizer class order = sorted), on the sample in data/ptbxl-sample, plus the
training-split mean/std that the benchmark's StandardScaler fits (read with wfdb-python).

Usage: python scripts/make_ptbxl_reference.py   (needs wfdb and numpy; writes Tests/Fixtures/ptbxl/tasks.json)
"""
import ast, csv, json, os, sys
import numpy as np

root = os.path.join(os.path.dirname(__file__), "..")
data = os.path.join(root, "data", "ptbxl-sample")
stm = {r[""]: r for r in csv.DictReader(open(os.path.join(data, "scp_statements.csv")))}
db = list(csv.DictReader(open(os.path.join(data, "ptbxl_database.csv"))))

def labels(codes, task):
    out = set()
    for c in codes:
        s = stm[c]
        flag = lambda k: s[k] != "" and float(s[k]) == 1.0
        if task == "all": out.add(c)
        elif task == "diagnostic" and flag("diagnostic"): out.add(c)
        elif task == "subdiagnostic" and flag("diagnostic") and s["diagnostic_subclass"]: out.add(s["diagnostic_subclass"])
        elif task == "superdiagnostic" and flag("diagnostic") and s["diagnostic_class"]: out.add(s["diagnostic_class"])
        elif task == "form" and flag("form"): out.add(c)
        elif task == "rhythm" and flag("rhythm"): out.add(c)
    return out

ref = {}
for task in ["all", "diagnostic", "subdiagnostic", "superdiagnostic", "form", "rhythm"]:
    rows = [(int(float(r["ecg_id"])), int(float(r["strat_fold"])), labels(ast.literal_eval(r["scp_codes"]).keys(), task)) for r in db]
    rows = [r for r in rows if r[2]]
    classes = sorted(set().union(*[r[2] for r in rows]))
    split = lambda fs: [r for r in rows if r[1] in fs]
    ref[task] = {
        "classes": classes,
        "records": [r[0] for r in rows],
        "train_counts": [sum(c in r[2] for r in split(range(1, 9))) for c in classes],
        "val_count": len(split([9])), "test_count": len(split([10])),
    }

import wfdb
train_ids = [int(float(r["ecg_id"])) for r in db if int(float(r["strat_fold"])) <= 8 and labels(ast.literal_eval(r["scp_codes"]).keys(), "superdiagnostic")]
x = np.stack([wfdb.rdsamp(os.path.join(data, "records100/00000/%05d_lr" % i))[0] for i in train_ids]).astype(np.float64)
ref["superdiagnostic"]["train_mean"] = float(x.mean())
ref["superdiagnostic"]["train_std"] = float(x.std())
os.makedirs(os.path.join(root, "Tests/Fixtures/ptbxl"), exist_ok=True)
json.dump(ref, open(os.path.join(root, "Tests/Fixtures/ptbxl/tasks.json"), "w"), indent=1)
print({k: (len(v["classes"]), len(v["records"])) for k, v in ref.items()})
