"""Stateful metric and weighted-loss fixtures from Python Keras 3 (JAX backend), for test/metrics-keras.test.ts.

    KERAS_BACKEND=jax JAX_PLATFORMS=cpu .venv-keras/bin/python packages/layers/scripts/make_metric_fixtures.py

test/fixtures/metrics.json:
- `metrics`: each case builds one Keras metric (`args` are the Strata constructor options, `kerasArgs`
  Keras's), folds in two batches with `update_state` (sample weights in some) and records `result()`
  after each, and the metric's `get_config()`.
- `losses`: each loss function's value on one batch with and without per-sample weights (Keras's
  `sum_over_batch_size` reduction), and `class_weight` turned into sample weights.
- `fit`: a Dense(3, softmax) model with fixed weights, trained one epoch of batch 4 (no shuffling, SGD
  0.1) with `sample_weight`, weighted metrics and unweighted ones; the history and the weights after.
"""
import json
import os

import keras
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "test", "fixtures")
rng = np.random.default_rng(0)


def arr(a):
    a = np.asarray(a, dtype=np.float32)
    return {"values": a.reshape(-1).tolist(), "shape": list(a.shape)}


def binary(n, d=1):
    shape = (n,) if d == 0 else (n, d)
    return (rng.random(shape) > 0.5).astype(np.float32), rng.random(shape).astype(np.float32)


def one_hot(n, c):
    labels = rng.integers(0, c, n)
    return np.eye(c, dtype=np.float32)[labels], labels.astype(np.float32)


def scores(n, c):
    p = rng.random((n, c)).astype(np.float32)
    return p / p.sum(-1, keepdims=True)


def weights(n):
    return rng.random(n).astype(np.float32) * 2


def case_binary(d=1, weighted=False):
    out = []
    for n in (6, 5):
        y, p = binary(n, d)
        out.append((y, p, weights(n) if weighted else None))
    return out


def case_onehot(c=4, weighted=False, sparse=False):
    out = []
    for n in (6, 5):
        y, labels = one_hot(n, c)
        out.append((labels if sparse else y, scores(n, c), weights(n) if weighted else None))
    return out


def case_regression(d=3, weighted=False):
    out = []
    for n in (5, 4):
        out.append((rng.normal(size=(n, d)).astype(np.float32), rng.normal(size=(n, d)).astype(np.float32), weights(n) if weighted else None))
    return out


def case_iou(c=3, weighted=False, dense_pred=False):
    out = []
    for n in (8, 7):
        y = rng.integers(0, c, n).astype(np.float32)
        p = scores(n, c) if dense_pred else rng.integers(0, c, n).astype(np.float32)
        # MeanIoU's state is int32 in Keras, which truncates float weights: whole weights keep the case exact
        out.append((y, p, rng.integers(0, 3, n).astype(np.float32) if weighted else None))
    return out


M = keras.metrics
METRICS = [
    ("precision", "Precision", {}, {}, case_binary()),
    ("precision-weighted", "Precision", {}, {}, case_binary(weighted=True)),
    ("precision-threshold-0.7", "Precision", {"thresholds": 0.7}, {"thresholds": 0.7}, case_binary(d=2)),
    ("precision-thresholds-list", "Precision", {"thresholds": [0.3, 0.6]}, {"thresholds": [0.3, 0.6]}, case_binary()),
    ("precision-class-id", "Precision", {"classId": 1, "thresholds": 0.2}, {"class_id": 1, "thresholds": 0.2}, case_onehot()),
    ("precision-top-k", "Precision", {"topK": 2}, {"top_k": 2}, case_onehot(weighted=True)),
    ("recall", "Recall", {}, {}, case_binary()),
    ("recall-weighted-class-id", "Recall", {"classId": 2, "thresholds": 0.2}, {"class_id": 2, "thresholds": 0.2}, case_onehot(weighted=True)),
    ("auc-roc", "AUC", {}, {}, case_binary()),
    ("auc-roc-weighted", "AUC", {}, {}, case_binary(weighted=True)),
    ("auc-pr", "AUC", {"curve": "PR"}, {"curve": "PR"}, case_binary(weighted=True)),
    ("auc-pr-majoring-50", "AUC", {"curve": "PR", "summationMethod": "majoring", "numThresholds": 50}, {"curve": "PR", "summation_method": "majoring", "num_thresholds": 50}, case_binary()),
    ("auc-roc-minoring-thresholds", "AUC", {"summationMethod": "minoring", "thresholds": [0.2, 0.5, 0.8]}, {"summation_method": "minoring", "thresholds": [0.2, 0.5, 0.8]}, case_binary(d=2)),
    ("auc-from-logits", "AUC", {"fromLogits": True}, {"from_logits": True}, [(y, (p - 0.5) * 8, w) for y, p, w in case_binary()]),
    ("top-k-categorical-accuracy", "TopKCategoricalAccuracy", {"k": 2}, {"k": 2}, case_onehot(c=5, weighted=True)),
    ("top-k-categorical-accuracy-default", "TopKCategoricalAccuracy", {}, {}, case_onehot(c=7)),
    ("sparse-top-k-categorical-accuracy", "SparseTopKCategoricalAccuracy", {"k": 2}, {"k": 2}, case_onehot(c=5, sparse=True)),
    ("f1-none", "F1Score", {}, {}, case_onehot()),
    ("f1-micro", "F1Score", {"average": "micro"}, {"average": "micro"}, case_onehot(weighted=True)),
    ("f1-macro-threshold", "F1Score", {"average": "macro", "threshold": 0.3}, {"average": "macro", "threshold": 0.3}, case_onehot()),
    ("f1-weighted", "F1Score", {"average": "weighted", "threshold": 0.25}, {"average": "weighted", "threshold": 0.25}, case_onehot(weighted=True)),
    ("fbeta-2-macro", "FBetaScore", {"beta": 2, "average": "macro"}, {"beta": 2.0, "average": "macro"}, case_onehot()),
    ("mean-iou", "MeanIoU", {"numClasses": 3}, {"num_classes": 3}, case_iou()),
    ("mean-iou-weighted-ignore", "MeanIoU", {"numClasses": 3, "ignoreClass": 0}, {"num_classes": 3, "ignore_class": 0}, case_iou(weighted=True)),
    ("mean-iou-dense-pred", "MeanIoU", {"numClasses": 4, "sparseYPred": False}, {"num_classes": 4, "sparse_y_pred": False}, case_iou(c=4, dense_pred=True)),
    ("root-mean-squared-error", "RootMeanSquaredError", {}, {}, case_regression(weighted=True)),
    ("mean-absolute-percentage-error", "MeanAbsolutePercentageError", {}, {}, case_regression()),
    ("mean-absolute-percentage-error-weighted", "MeanAbsolutePercentageError", {}, {}, case_regression(weighted=True)),
    ("cosine-similarity", "CosineSimilarity", {}, {}, case_regression(weighted=True)),
    ("binary-accuracy-threshold", "BinaryAccuracy", {"threshold": 0.7}, {"threshold": 0.7}, case_binary(d=3, weighted=True)),
    ("categorical-accuracy-weighted", "CategoricalAccuracy", {}, {}, case_onehot(weighted=True)),
    ("sparse-categorical-accuracy", "SparseCategoricalAccuracy", {}, {}, case_onehot(sparse=True)),
    ("mean-squared-error-weighted", "MeanSquaredError", {}, {}, case_regression(weighted=True)),
]


def metric_cases():
    out = []
    for name, cls, args, keras_args, batches in METRICS:
        m = getattr(M, cls)(**keras_args)
        results, recorded = [], []
        for y, p, w in batches:
            m.update_state(y, p, sample_weight=w)
            results.append(np.asarray(m.result(), dtype=np.float64).reshape(-1).tolist())
            recorded.append({"yTrue": arr(y), "yPred": arr(p), **({"sampleWeight": arr(w)} if w is not None else {})})
        config = m.get_config()
        out.append({"name": name, "className": cls, "args": args, "config": config, "batches": recorded, "results": results})
    return out


LOSSES = ["categorical_crossentropy", "sparse_categorical_crossentropy", "binary_crossentropy", "mean_squared_error", "mean_absolute_error"]


def loss_cases():
    out = []
    for name in LOSSES:
        n = 6
        if "categorical" in name:
            y, labels = one_hot(n, 4)
            p = scores(n, 4)
            y = labels if name.startswith("sparse") else y
        elif name == "binary_crossentropy":
            y, p = binary(n, 2)
        else:
            y, p = rng.normal(size=(n, 3)).astype(np.float32), rng.normal(size=(n, 3)).astype(np.float32)
        w = weights(n)
        w[1] = 0
        obj = {"mean_squared_error": keras.losses.MeanSquaredError, "mean_absolute_error": keras.losses.MeanAbsoluteError,
               "binary_crossentropy": keras.losses.BinaryCrossentropy, "categorical_crossentropy": keras.losses.CategoricalCrossentropy,
               "sparse_categorical_crossentropy": keras.losses.SparseCategoricalCrossentropy}[name]()
        out.append({
            "name": name, "yTrue": arr(y), "yPred": arr(p), "sampleWeight": arr(w),
            "unweighted": float(obj(y, p)), "weighted": float(obj(y, p, sample_weight=w)),
            "weightedColumn": float(obj(y, p, sample_weight=w.reshape(-1, 1))),
        })
    return out


def class_weight_cases():
    from keras.src.trainers.data_adapters import data_adapter_utils as du
    y_onehot, labels = one_hot(7, 3)
    cw = {0: 0.5, 2: 3.0}
    return [
        {"y": arr(labels), "classWeight": cw, "sampleWeight": du.class_weight_to_sample_weights(labels, cw).tolist()},
        {"y": arr(y_onehot), "classWeight": cw, "sampleWeight": du.class_weight_to_sample_weights(y_onehot, cw).tolist()},
    ]


def fit_case():
    keras.utils.set_random_seed(1)
    inputs = keras.Input((4,), name="x")
    out = keras.layers.Dense(3, activation="softmax", name="probs")(inputs)
    model = keras.Model(inputs, out, name="weighted")
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="categorical_crossentropy", metrics=["accuracy", M.AUC(name="auc")],
                  weighted_metrics=["accuracy", M.Precision(name="precision")])
    x = rng.normal(size=(10, 4)).astype(np.float32)
    y, _ = one_hot(10, 3)
    w = weights(10)
    start = [v.numpy().tolist() for v in model.weights]
    history = model.fit(x, y, sample_weight=w, batch_size=4, epochs=2, shuffle=False, verbose=0)
    evaluated = model.evaluate(x, y, sample_weight=w, batch_size=4, verbose=0, return_dict=True)
    return {
        "x": arr(x), "y": arr(y), "sampleWeight": arr(w), "initialWeights": start,
        "history": {k: [float(v) for v in vs] for k, vs in history.history.items()},
        "evaluate": {k: float(v) for k, v in evaluated.items()},
        "finalWeights": [v.numpy().reshape(-1).tolist() for v in model.weights],
    }


if __name__ == "__main__":
    fixture = {"kerasVersion": keras.__version__, "metrics": metric_cases(), "losses": loss_cases(), "classWeight": class_weight_cases(), "fit": fit_case()}
    with open(os.path.join(OUT, "metrics.json"), "w") as f:
        json.dump(fixture, f, indent=1)
        f.write("\n")
