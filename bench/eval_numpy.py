#!/usr/bin/env python3
"""NumPy reference for the evaluation benchmark: mAP@K with DeepHash-pytorch's CalcTopMap definition,
one argsort per query as the field's code does, on the files `deephash bench eval` writes.
The argsort is stable so that ties follow database order, deephash4j's rule; the value must match.
Usage: python3 eval_numpy.py DIR TOPK   (DIR holds query_codes.npy, database_codes.npy, query_labels.npy,
database_labels.npy). Prints one JSON line: {"seconds": ..., "map": ...} (seconds = the query loop)."""
import json
import sys
import time

import numpy as np


def calc_top_map(qB, rB, qL, rL, topk):
    bits = qB.shape[1]
    total = 0.0
    for i in range(qB.shape[0]):
        gnd = (qL[i] @ rL.T > 0).astype(np.float32)
        hamm = 0.5 * (bits - qB[i] @ rB.T)
        ind = np.argsort(hamm, kind="stable")
        tgnd = gnd[ind][0:topk]
        tsum = int(np.sum(tgnd))
        if tsum == 0:
            continue
        count = np.linspace(1, tsum, tsum)
        tindex = np.asarray(np.where(tgnd == 1)) + 1.0
        total += np.mean(count / tindex)
    return total / qB.shape[0]


def main():
    d, topk = sys.argv[1], int(sys.argv[2])
    qB = np.load(f"{d}/query_codes.npy").astype(np.float32)
    rB = np.load(f"{d}/database_codes.npy").astype(np.float32)
    ql = np.load(f"{d}/query_labels.npy")
    rl = np.load(f"{d}/database_labels.npy")
    classes = int(max(ql.max(), rl.max())) + 1
    qL = np.eye(classes, dtype=np.float32)[ql]
    rL = np.eye(classes, dtype=np.float32)[rl]
    t = time.perf_counter()
    value = calc_top_map(qB, rB, qL, rL, topk)
    print(json.dumps({"seconds": time.perf_counter() - t, "map": value, "numpy": np.__version__}))


if __name__ == "__main__":
    main()
