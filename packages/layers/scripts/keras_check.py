"""Loads a .keras file in Python Keras 3 and reports what the interop test compares.

Reads JSON from stdin: {"path": ".keras file", "x": [[...]], "y": [[...]]}; prints JSON: the predictions
for x, the optimizer's variables, and the losses of two training steps on (x, y).
One process per test file: JAX's start-up dominates.
"""
import json
import sys

import keras
import numpy as np


def main():
    request = json.load(sys.stdin)
    model = keras.saving.load_model(request["path"])
    x = np.asarray(request["x"], dtype="float32")
    y = np.asarray(request["y"], dtype="float32")
    report = {
        "predictions": model.predict(x, verbose=0).tolist(),
        "optimizerVariables": [np.asarray(v).ravel().tolist() for v in model.optimizer.variables],
        "nextLosses": [float(model.train_on_batch(x, y)[0]) for _ in range(2)],
    }
    print(json.dumps(report))


if __name__ == "__main__":
    main()
