"""Writes the Keras-made Functional-API fixtures for Strata's functional-model interop tests.

Run from the repository root (after scripts/test-setup.sh has made .venv-keras):
    KERAS_BACKEND=jax .venv-keras/bin/python packages/layers/scripts/make_functional_fixtures.py

For each model below it writes test/fixtures/<name>.keras (built with keras.Input and explicitly named
layers, compiled, and trained a few steps so the optimizer has state) and <name>.json:
    inputs       {input name: nested list}, 8 samples
    targets      {output name: nested list}
    predictions  {output name: nested list}, model.predict on the inputs (by name; see feed)
    nextLosses   the total loss of each of two further train_on_batch calls on (inputs, targets)
    nextLogs     the full lists those two calls returned (total loss, per-output losses, metrics)
    nextLogNames the names of nextLogs's entries, in order (e.g. loss, digit_loss, parity_loss, digit_accuracy)
    metricsNames model.metrics_names (in Keras 3 not the order of nextLogs: it names 'compile_metrics')
    config       the model's config.json exactly as Keras wrote it into the .keras zip
    kerasVersion
Only these layer classes appear: InputLayer, Dense, Concatenate, Add, Subtract, Multiply, Average,
Maximum, Minimum, Dot and a nested Functional model. Each model's config.json is also printed.
"""
import json
import pathlib
import zipfile

import keras
import numpy as np
from keras import layers

FIXTURES = pathlib.Path(__file__).resolve().parent.parent / "test" / "fixtures"
SAMPLES = 8


def normal(rng, *shape):
    return rng.normal(size=(SAMPLES, *shape)).astype("float32")


def one_hot(labels, classes):
    return keras.utils.to_categorical(labels, classes).astype("float32")


def two_heads(rng):
    image = keras.Input((12,), name="image")
    meta = keras.Input((4,), name="meta")
    a = layers.Dense(16, activation="relu", name="image_dense")(image)
    b = layers.Dense(8, activation="relu", name="meta_dense")(meta)
    merged = layers.Concatenate(name="merged")([a, b])
    digit = layers.Dense(3, activation="softmax", name="digit")(merged)
    parity = layers.Dense(1, activation="sigmoid", name="parity")(merged)
    model = keras.Model(inputs=[image, meta], outputs=[digit, parity], name="two_heads")
    model.compile(
        optimizer="adam",
        loss={"digit": "sparse_categorical_crossentropy", "parity": "binary_crossentropy"},
        loss_weights={"digit": 1.0, "parity": 0.2},
        metrics={"digit": ["accuracy"]},
    )
    labels = np.arange(SAMPLES) % 3
    inputs = {"image": normal(rng, 12), "meta": normal(rng, 4)}
    targets = {
        "digit": labels.astype("float32"),
        "parity": (np.arange(SAMPLES) % 2).astype("float32").reshape(SAMPLES, 1),
    }
    return model, inputs, targets


def add(rng):
    x = keras.Input((6,), name="x")
    relu = layers.Dense(5, activation="relu", name="relu_branch")(x)
    tanh = layers.Dense(5, activation="tanh", name="tanh_branch")(x)
    summed = layers.Add(name="add")([relu, tanh])
    out = layers.Dense(2, activation="softmax", name="out")(summed)
    model = keras.Model(inputs=x, outputs=out, name="add_model")
    model.compile(optimizer="rmsprop", loss="categorical_crossentropy", metrics=["accuracy"])
    return model, {"x": normal(rng, 6)}, {"out": one_hot(np.arange(SAMPLES) % 2, 2)}


def inception(rng):
    x = keras.Input((6,), name="x")
    b1 = layers.Dense(4, activation="relu", name="branch1")(x)
    b2 = layers.Dense(6, activation="relu", name="branch2a")(x)
    b2 = layers.Dense(4, activation="relu", name="branch2b")(b2)
    b3 = layers.Dense(3, activation="linear", name="branch3")(x)
    joined = layers.Concatenate(axis=-1, name="concat")([b1, b2, b3])
    out = layers.Dense(2, activation="softmax", name="out")(joined)
    model = keras.Model(inputs=x, outputs=out, name="inception")
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.01, momentum=0.9), loss="categorical_crossentropy")
    return model, {"x": normal(rng, 6)}, {"out": one_hot((np.arange(SAMPLES) // 2) % 2, 2)}


def shared(rng):
    left = keras.Input((5,), name="left")
    right = keras.Input((5,), name="right")
    dense = layers.Dense(4, activation="relu", name="shared")
    l, r = dense(left), dense(right)
    diff = layers.Subtract(name="subtract")([l, r])
    prod = layers.Multiply(name="multiply")([l, r])
    joined = layers.Concatenate(name="concat")([diff, prod])
    out = layers.Dense(1, activation="sigmoid", name="out")(joined)
    model = keras.Model(inputs=[left, right], outputs=out, name="siamese")
    model.compile(optimizer="adam", loss="binary_crossentropy")
    inputs = {"left": normal(rng, 5), "right": normal(rng, 5)}
    return model, inputs, {"out": (np.arange(SAMPLES) % 2).astype("float32").reshape(SAMPLES, 1)}


def nested(rng):
    inner_in = keras.Input((6,), name="encoder_input")
    h = layers.Dense(5, activation="relu", name="encoder_dense1")(inner_in)
    h = layers.Dense(3, activation="relu", name="encoder_dense2")(h)
    encoder = keras.Model(inputs=inner_in, outputs=h, name="encoder")
    x = keras.Input((6,), name="x")
    out = layers.Dense(2, activation="softmax", name="out")(encoder(x))
    model = keras.Model(inputs=x, outputs=out, name="outer")
    model.compile(optimizer="adam", loss="categorical_crossentropy")
    return model, {"x": normal(rng, 6)}, {"out": one_hot(np.arange(SAMPLES) % 2, 2)}


def merge_ops(rng):
    p = keras.Input((4,), name="p")
    q = keras.Input((4,), name="q")
    dp = layers.Dense(3, name="p_dense")(p)
    dq = layers.Dense(3, name="q_dense")(q)
    avg = layers.Average(name="average")([dp, dq])
    mx = layers.Maximum(name="maximum")([dp, dq])
    mn = layers.Minimum(name="minimum")([dp, dq])
    dot = layers.Dot(axes=1, name="dot")([dp, dq])
    joined = layers.Concatenate(name="concat")([avg, mx, mn, dot])
    out = layers.Dense(1, activation="linear", name="out")(joined)
    model = keras.Model(inputs=[p, q], outputs=out, name="merge_ops")
    model.compile(optimizer="adam", loss="mse")
    inputs = {"p": normal(rng, 4), "q": normal(rng, 4)}
    return model, inputs, {"out": normal(rng, 1)}


MODELS = {
    "functional-two-heads": two_heads,
    "functional-add": add,
    "functional-inception": inception,
    "functional-shared": shared,
    "functional-nested": nested,
    "functional-merge-ops": merge_ops,
}


def as_lists(arrays):
    return {name: np.asarray(value).tolist() for name, value in arrays.items()}


def log_names(model):
    """The names of train_on_batch's list entries, in its order (after a training step has built the
    metrics). model.metrics_names is not that: in Keras 3 it lists 'compile_metrics' for the compiled
    metrics as one, and the list puts e.g. 'digit_accuracy' after the per-output losses."""
    names = model._flatten_metrics_in_order({name: name for name in model.get_metrics_result()})
    return [names] if isinstance(names, str) else list(names)


def feed(arrays):
    """What fit/predict/train_on_batch take: the dict itself for several inputs (outputs), which Keras
    matches by name; the lone array for one (a one-entry dict for a single-tensor model fails for
    targets and warns for inputs)."""
    return arrays if len(arrays) > 1 else next(iter(arrays.values()))


def write(name, build):
    # a fresh session (name counters: optimizer "adam", not "adam_2") and seed per model, so each
    # fixture comes out the same whichever others are made; only config.json's shared_object_id
    # (an object address) differs from run to run
    keras.backend.clear_session()
    keras.utils.set_random_seed(1)
    model, inputs, targets = build(np.random.default_rng(0))
    assert set(targets) == set(model.output_names), (name, model.output_names)
    x, y = feed(inputs), feed(targets)
    model.fit(x, y, batch_size=4, epochs=2, shuffle=False, verbose=0)
    path = FIXTURES / f"{name}.keras"
    model.save(path)
    with zipfile.ZipFile(path) as archive:
        config = json.loads(archive.read("config.json"))

    predictions = model.predict(x, verbose=0)
    if not isinstance(predictions, (list, tuple, dict)):
        predictions = [predictions]
    if not isinstance(predictions, dict):
        predictions = dict(zip(model.output_names, predictions))
    # the loss of each step is computed before its update: the second shows the optimizer state at work
    logs = [[float(v) for v in np.atleast_1d(model.train_on_batch(x, y))] for _ in range(2)]
    expected = {
        "inputs": as_lists(inputs),
        "targets": as_lists(targets),
        "predictions": as_lists(predictions),
        "nextLosses": [step[0] for step in logs],
        "nextLogs": logs,
        "nextLogNames": log_names(model),
        "metricsNames": list(model.metrics_names),
        "config": config,
        "kerasVersion": keras.__version__,
    }
    (FIXTURES / f"{name}.json").write_text(json.dumps(expected) + "\n")
    print(f"=== {name}: config.json ===")
    print(json.dumps(config, indent=2))


def main():
    for name, build in MODELS.items():
        write(name, build)


if __name__ == "__main__":
    main()
