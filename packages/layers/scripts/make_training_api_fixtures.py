"""Golden values for learning-rate schedules, losses and optimizers (issue 20, part A).

KERAS_BACKEND=jax JAX_PLATFORMS=cpu .venv-keras/bin/python packages/layers/scripts/make_training_api_fixtures.py

Writes packages/layers/test/fixtures/training-api.json:
- schedules: per case the Strata options (camelCase), Keras's get_config(), and the rate at `steps`;
- losses: per case the class, its options, y_true / y_pred, Keras's per-sample values (reduction 'none')
  and the reduced value for each reduction, and (`weighted`) each reduction with SAMPLE_WEIGHT;
- optimizers: per case the class and options; the variable after each of four apply_gradients calls
  on the fixed start and gradients below, plus Keras's get_config() and optimizer variable names;
- model: a Dense(5, tanh) -> Dense(3) model compiled with Nadam(ExponentialDecay) and LogCosh,
  trained 3 steps and saved as training-api-model.keras; `x`, `y`, its `predictions`, the losses of two
  further train_on_batch calls (`nextLosses`) and its compile config;
- reductions: Dense(1) from fixed weights, SGD(0.1), MeanSquaredError with each reduction, two
  train_on_batch steps with sample weights: the losses and the kernel after.
"""
import json
import os

import numpy as np
import keras
from keras import ops

S = keras.optimizers.schedules
L = keras.losses
O = keras.optimizers


def camel(key):
    head, *rest = key.split("_")
    return head + "".join(p[:1].upper() + p[1:] for p in rest)


def floats(x):
    return np.asarray(x, dtype=np.float64).tolist()


STEPS = [0, 1, 2, 3, 5, 7, 10, 15, 20, 33, 50, 99, 100, 150]

SCHEDULES = [
    ("ExponentialDecay", dict(initial_learning_rate=0.1, decay_steps=10, decay_rate=0.5)),
    ("ExponentialDecay", dict(initial_learning_rate=0.1, decay_steps=10, decay_rate=0.5, staircase=True)),
    ("PiecewiseConstantDecay", dict(boundaries=[10, 20], values=[1.0, 0.5, 0.1])),
    ("PolynomialDecay", dict(initial_learning_rate=0.1, decay_steps=50, end_learning_rate=0.01, power=2.0)),
    ("PolynomialDecay", dict(initial_learning_rate=0.1, decay_steps=30, power=0.5, cycle=True)),
    ("InverseTimeDecay", dict(initial_learning_rate=0.1, decay_steps=10, decay_rate=0.5)),
    ("InverseTimeDecay", dict(initial_learning_rate=0.1, decay_steps=10, decay_rate=0.5, staircase=True)),
    ("CosineDecay", dict(initial_learning_rate=0.1, decay_steps=100, alpha=0.1)),
    ("CosineDecay", dict(initial_learning_rate=0.0, decay_steps=100, warmup_target=0.1, warmup_steps=20)),
    ("CosineDecayRestarts", dict(initial_learning_rate=0.1, first_decay_steps=10)),
    ("CosineDecayRestarts", dict(initial_learning_rate=0.1, first_decay_steps=10, t_mul=1.0, m_mul=0.5, alpha=0.05)),
]


def schedules():
    out = []
    for name, kwargs in SCHEDULES:
        s = getattr(S, name)(**kwargs)
        out.append({
            "className": name,
            "options": {camel(k): v for k, v in kwargs.items()},
            "config": s.get_config(),
            "steps": STEPS,
            "rates": [float(s(ops.convert_to_tensor(t, "int32"))) for t in STEPS],
        })
    return out


rng = np.random.default_rng(0)
probs = rng.uniform(0.05, 1, (4, 3)).astype("float32")
probs = probs / probs.sum(-1, keepdims=True)
onehot = np.eye(3, dtype="float32")[[0, 2, 1, 2]]
binary = np.array([[1, 0], [0, 0], [1, 1], [0, 1]], "float32")
sig = rng.uniform(0.05, 0.95, (4, 2)).astype("float32")
real_t = rng.normal(size=(4, 3)).astype("float32")
real_p = (real_t + rng.normal(scale=1.5, size=(4, 3))).astype("float32")
pos_t = rng.uniform(0, 3, (4, 3)).astype("float32")
pos_p = rng.uniform(0.1, 3, (4, 3)).astype("float32")
logits = rng.normal(scale=2, size=(4, 3)).astype("float32")
hinge_t = np.array([[-1, 1], [1, 1], [-1, -1], [1, -1]], "float32")

SAMPLE_WEIGHT = np.array([1.0, 0.0, 2.0, 0.5], "float32")

LOSSES = [
    ("Huber", {}, real_t, real_p),
    ("Huber", dict(delta=0.5), real_t, real_p),
    ("KLDivergence", {}, onehot * 0.8 + 0.2 / 3, probs),
    ("Poisson", {}, pos_t, pos_p),
    ("Hinge", {}, binary, real_p[:, :2]),
    ("Hinge", {}, hinge_t, real_p[:, :2]),
    ("SquaredHinge", {}, binary, real_p[:, :2]),
    ("CategoricalHinge", {}, onehot, real_p),
    ("LogCosh", {}, real_t, real_p),
    ("CosineSimilarity", {}, real_t, real_p),
    ("BinaryFocalCrossentropy", {}, binary, sig),
    ("BinaryFocalCrossentropy", dict(apply_class_balancing=True, alpha=0.4, gamma=1.5, label_smoothing=0.1), binary, sig),
    ("BinaryFocalCrossentropy", dict(from_logits=True, gamma=3.0), binary, real_p[:, :2]),
    ("CategoricalFocalCrossentropy", {}, onehot, probs),
    ("CategoricalFocalCrossentropy", dict(from_logits=True, alpha=0.5, gamma=1.0, label_smoothing=0.2), onehot, logits),
    ("MeanSquaredLogarithmicError", {}, pos_t, pos_p),
    ("CategoricalCrossentropy", dict(label_smoothing=0.1), onehot, probs),
    ("CategoricalCrossentropy", dict(from_logits=True, label_smoothing=0.2), onehot, logits),
    ("BinaryCrossentropy", dict(label_smoothing=0.2), binary, sig),
    ("BinaryCrossentropy", dict(from_logits=True), binary, real_p[:, :2]),
    ("SparseCategoricalCrossentropy", dict(from_logits=True), np.array([0, 2, 1, 2], "int32"), logits),
    ("MeanSquaredError", {}, real_t, real_p),
    ("MeanAbsoluteError", {}, real_t, real_p),
]


def losses():
    out = []
    for name, kwargs, y, p in LOSSES:
        cls = getattr(L, name)
        per_sample = cls(reduction="none", **kwargs)(y, p)
        reduced = {r: float(cls(reduction=r, **kwargs)(y, p)) for r in ["sum_over_batch_size", "sum", "mean"]}
        weighted = {r: floats(cls(reduction=r, **kwargs)(y, p, sample_weight=SAMPLE_WEIGHT)) for r in ["sum_over_batch_size", "sum", "mean", "mean_with_sample_weight", "none"]}
        out.append({
            "className": name,
            "options": {camel(k): v for k, v in kwargs.items()},
            "config": cls(**kwargs).get_config(),
            "yTrue": np.asarray(y).tolist(),
            "yPred": floats(p),
            "perSample": floats(per_sample),
            "reduced": reduced,
            "weighted": weighted,
        })
    return out


X0 = [1.0, -2.0, 0.5]
GRADS = [[0.1, -0.2, 0.3], [0.4, 0.1, -0.5], [-0.3, 0.6, 0.2], [0.25, -0.05, 0.15]]

OPTIMIZERS = [
    ("Nadam", dict(learning_rate=0.1, beta_1=0.8, beta_2=0.9, epsilon=1e-3)),
    ("Nadam", {}),
    ("Adamax", dict(learning_rate=0.1, beta_1=0.8, beta_2=0.9, epsilon=1e-3)),
    ("Adadelta", dict(learning_rate=1.0, rho=0.8, epsilon=1e-3)),
    ("Lion", dict(learning_rate=0.1, beta_1=0.8, beta_2=0.9)),
    ("Ftrl", dict(learning_rate=0.1)),
    ("Ftrl", dict(learning_rate=0.1, learning_rate_power=-0.7, initial_accumulator_value=0.2, l1_regularization_strength=0.01, l2_regularization_strength=0.02, l2_shrinkage_regularization_strength=0.03, beta=0.1)),
    ("Adam", dict(learning_rate=0.1, use_ema=True, ema_momentum=0.5)),
    ("SGD", dict(learning_rate=0.1, momentum=0.9, use_ema=True, ema_momentum=0.7, ema_overwrite_frequency=3)),
    ("Adam", dict(learning_rate=0.1, gradient_accumulation_steps=2)),
    ("Nadam", dict(learning_rate=0.1, gradient_accumulation_steps=2, use_ema=True, ema_momentum=0.5)),
    ("SGD", dict(learning_rate=0.1, momentum=0.5, weight_decay=0.1, clipnorm=0.3)),
    ("RMSprop", dict(learning_rate=0.01, weight_decay=0.2, clipvalue=0.25)),
    ("Adam", dict(learning_rate=S.ExponentialDecay(0.1, 2, 0.5))),
    ("SGD", dict(learning_rate=S.PiecewiseConstantDecay([1, 2], [0.1, 0.05, 0.01]), weight_decay=0.5)),
]


def optimizers():
    out = []
    for name, kwargs in OPTIMIZERS:
        opt = getattr(O, name)(**kwargs)
        w = keras.Variable(np.array(X0, "float32"), name="w")
        steps = []
        for g in GRADS:
            opt.apply_gradients([(ops.convert_to_tensor(np.array(g, "float32")), w)])
            steps.append(floats(w.numpy()))
        options = {}
        for k, v in kwargs.items():
            if isinstance(v, S.LearningRateSchedule):
                v = {"className": type(v).__name__, "options": {camel(a): b for a, b in v.get_config().items() if a != "name"}}
            options[camel(k)] = v
        out.append({
            "className": name,
            "options": options,
            "steps": steps,
            "iterations": int(np.asarray(opt.iterations)),
            "variableNames": [v.path.split("/", 1)[1] for v in opt.variables],
            "variables": [floats(np.asarray(v.numpy()).reshape(-1)) for v in opt.variables],
            "config": opt.get_config(),
        })
    return out


def model(fixtures):
    keras.utils.set_random_seed(1)
    x = rng.normal(size=(8, 4)).astype("float32")
    y = rng.normal(size=(8, 3)).astype("float32")
    m = keras.Sequential([keras.Input((4,)), keras.layers.Dense(5, activation="tanh"), keras.layers.Dense(3)])
    schedule = S.ExponentialDecay(0.05, decay_steps=2, decay_rate=0.5)
    m.compile(optimizer=O.Nadam(learning_rate=schedule), loss=L.LogCosh())
    for _ in range(3):
        m.train_on_batch(x, y)
    m.save(os.path.join(fixtures, "training-api-model.keras"))
    predictions = m.predict(x, verbose=0)
    next_losses = [float(m.train_on_batch(x, y)) for _ in range(2)]
    return {"x": x.tolist(), "y": y.tolist(), "predictions": floats(predictions), "nextLosses": next_losses, "compileConfig": m.get_compile_config()}


def reductions():
    """fit with sample weights under each reduction: Dense(1) from fixed weights, SGD(0.1), MSE, two full-batch steps."""
    x = rng.normal(size=(6, 4)).astype("float32")
    y = rng.normal(size=(6, 1)).astype("float32")
    sw = np.array([1.0, 0.0, 2.0, 0.5, 1.5, 1.0], "float32")
    kernel = rng.normal(size=(4, 1)).astype("float32")
    bias = np.array([0.25], "float32")
    out = {"x": x.tolist(), "y": y.tolist(), "sampleWeight": sw.tolist(), "kernel": kernel.tolist(), "bias": bias.tolist(), "cases": []}
    for reduction in ["sum_over_batch_size", "sum", "mean", "mean_with_sample_weight"]:
        m = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
        m.set_weights([kernel, bias])
        m.compile(optimizer=O.SGD(0.1), loss=L.MeanSquaredError(reduction=reduction))
        losses_ = [float(m.train_on_batch(x, y, sample_weight=sw)) for _ in range(2)]
        out["cases"].append({"reduction": reduction, "losses": losses_, "kernel": floats(m.get_weights()[0])})
    return out


def main():
    fixtures = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures")
    data = {"kerasVersion": keras.__version__, "x0": X0, "grads": GRADS, "schedules": schedules(), "losses": losses(), "optimizers": optimizers(), "model": model(fixtures), "reductions": reductions()}
    path = os.path.join(fixtures, "training-api.json")
    with open(path, "w") as f:
        json.dump(data, f, indent=1)
        f.write("\n")
    print("wrote", os.path.normpath(path))


if __name__ == "__main__":
    main()
