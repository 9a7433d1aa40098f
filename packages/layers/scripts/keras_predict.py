"""Loads .keras files in Python Keras 3 and prints each one's predictions, for the sequence interop test.

Reads JSON from stdin: [{"path": ".keras file", "x": flat list, "shape": [...]}, ...] (a model with several
inputs: "inputs": [{"x": ..., "shape": ...}, ...] in place of x and shape); prints a JSON list
with, per file, the list of its outputs (each flattened). One process for all files: JAX's start-up dominates.
"""
import json
import sys

import keras
import numpy as np


def main():
    results = []
    for request in json.load(sys.stdin):
        model = keras.saving.load_model(request["path"])
        parts = request.get("inputs", [request])
        xs = [np.asarray(p["x"], dtype="float32").reshape(p["shape"]) for p in parts]
        x = xs if "inputs" in request else xs[0]
        out = model(x, training=False)
        out = list(out) if isinstance(out, (list, tuple)) else [out]
        results.append([np.asarray(o).ravel().tolist() for o in out])
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()
