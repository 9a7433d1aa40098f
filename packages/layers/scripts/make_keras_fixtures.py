"""Writes the Keras-made fixtures that packages/layers/test/io-keras-interop.test.ts loads.

Run from the repository root (after .ci/run has made .venv-keras):
    KERAS_BACKEND=jax .venv-keras/bin/python packages/layers/scripts/make_keras_fixtures.py

Writes test/fixtures/keras-mlp-rmsprop.keras (a Dense relu/softmax stack compiled with rmsprop and
trained a few steps, so the optimizer has state) and keras-mlp-rmsprop.json (fixed inputs, Keras's
predictions for them, and the losses of two further training steps).
"""
import json
import pathlib

import keras
import numpy as np

FIXTURES = pathlib.Path(__file__).resolve().parent.parent / "test" / "fixtures"


def data():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(12, 4)).astype("float32")
    y = keras.utils.to_categorical(np.arange(12) % 3, 3).astype("float32")
    return x, y


def main():
    keras.utils.set_random_seed(1)
    model = keras.Sequential(
        [
            keras.Input((4,)),
            keras.layers.Dense(8, activation="relu"),
            keras.layers.Dense(3, activation="softmax"),
        ]
    )
    model.compile(optimizer="rmsprop", loss="categorical_crossentropy", metrics=["accuracy"])
    x, y = data()
    model.fit(x, y, batch_size=4, epochs=2, shuffle=False, verbose=0)
    model.save(FIXTURES / "keras-mlp-rmsprop.keras")

    predictions = model.predict(x, verbose=0)
    # the loss of each step is computed before its update: the second shows the optimizer state at work
    losses = [float(model.train_on_batch(x, y)[0]) for _ in range(2)]
    expected = {
        "x": x.tolist(),
        "y": y.tolist(),
        "predictions": predictions.tolist(),
        "nextLosses": losses,
        "kerasVersion": keras.__version__,
    }
    (FIXTURES / "keras-mlp-rmsprop.json").write_text(json.dumps(expected) + "\n")


if __name__ == "__main__":
    main()
