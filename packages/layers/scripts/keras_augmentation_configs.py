"""Loads a Strata-saved .keras file in Python Keras 3, for the augmentation interop test.

Reads JSON from stdin: {"path": ".keras file", "x": flat list, "shape": [...]}; prints a JSON pair: the
model's outputs (training=False, each flattened) and, per augmentation layer, the options Keras rebuilt
it with (its get_config() without name, trainable, dtype and data_format, plus class_name).
"""
import json
import sys

import keras
import numpy as np

AUGMENTATION = ("RandomFlip", "RandomTranslation", "RandomRotation", "RandomZoom")
COMMON = ("name", "trainable", "dtype", "data_format")


def options(layer):
    config = {k: list(v) if isinstance(v, tuple) else v for k, v in layer.get_config().items() if k not in COMMON}
    return {"class_name": type(layer).__name__, **config}


def main():
    request = json.load(sys.stdin)
    model = keras.saving.load_model(request["path"])
    x = np.asarray(request["x"], dtype="float32").reshape(request["shape"])
    out = model(x, training=False)
    outputs = [np.asarray(o).ravel().tolist() for o in (out if isinstance(out, (list, tuple)) else [out])]
    json.dump([outputs, [options(l) for l in model.layers if type(l).__name__ in AUGMENTATION]], sys.stdout)


if __name__ == "__main__":
    main()
