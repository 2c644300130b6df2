#!/usr/bin/env python3
"""Time wfdb-python reading every 100 Hz record of a PTB-XL folder into one array, the way the
PTB-XL benchmark's load_raw_data does (wfdb.rdsamp per record, then np.array).
Usage: python benchmarks/wfdb_load.py DIR"""
import ast, sys, time
import numpy as np, pandas as pd, wfdb

d = sys.argv[1]
t0 = time.time()
df = pd.read_csv(d + "/ptbxl_database.csv", index_col="ecg_id")
df.scp_codes = df.scp_codes.apply(lambda x: ast.literal_eval(x))
data = np.array([wfdb.rdsamp(d + "/" + f)[0] for f in df.filename_lr])
print('{"case": "wfdb-python-load", "records": %d, "load_s": %.2f}' % (len(data), time.time() - t0))
