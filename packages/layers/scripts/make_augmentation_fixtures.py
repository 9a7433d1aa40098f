"""Writes the Keras-made fixtures that packages/layers/test/augmentation-keras.test.ts loads.

Run from the repository root (in the venv scripts/test-setup.sh makes):
    KERAS_BACKEND=jax JAX_PLATFORMS=cpu .venv-keras/bin/python packages/layers/scripts/make_augmentation_fixtures.py

augmentation.json: one batch of images and, per case, an augmentation layer's config and Keras's output for
it with training=True. A factor with a zero-width range ([f, f]) makes Keras's random transform a fixed one;
RandomFlip's flips are given to its transform_images directly. augmentation-model.keras: the four layers in
front of a small convnet, with Keras's predictions (training=False: the augmentation is the identity).
"""
import json
import pathlib

import keras
import numpy as np

FIXTURES = pathlib.Path(__file__).resolve().parent.parent / "test" / "fixtures"
L = keras.layers
SHAPE = (2, 7, 6, 3)


def affine_cases():
    cases = []
    for fill_mode in ("reflect", "wrap", "constant", "nearest"):
        for interpolation in ("bilinear", "nearest"):
            common = dict(fill_mode=fill_mode, interpolation=interpolation, fill_value=0.5)
            cases += [
                ("RandomRotation", dict(factor=(0.1, 0.1), **common)),
                ("RandomTranslation", dict(height_factor=(0.3, 0.3), width_factor=(-0.45, -0.45), **common)),
                ("RandomZoom", dict(height_factor=(0.4, 0.4), width_factor=(-0.3, -0.3), **common)),
            ]
    cases += [
        ("RandomRotation", dict(factor=(-0.3, -0.3))),
        ("RandomZoom", dict(height_factor=(-0.25, -0.25))),
        ("RandomTranslation", dict(height_factor=(-1, -1), width_factor=(0.5, 0.5), fill_mode="wrap")),
    ]
    return cases


def main():
    rng = np.random.default_rng(15)
    x = rng.uniform(-1, 1, size=SHAPE).astype("float32")
    cases = []
    for class_name, config in affine_cases():
        layer = getattr(L, class_name)(**config)
        out = layer(x, training=True)
        cases.append({"class_name": class_name, "config": layer.get_config(), "output": np.asarray(out).ravel().tolist()})
    flips = np.array([True, False]).reshape(2, 1, 1, 1)
    for mode in ("horizontal", "vertical", "horizontal_and_vertical"):
        layer = L.RandomFlip(mode=mode)
        out = layer.transform_images(x, {"flips": flips, "input_shape": SHAPE}, training=True)
        cases.append({"class_name": "RandomFlip", "config": layer.get_config(), "flips": [True, False], "output": np.asarray(out).ravel().tolist()})

    keras.utils.set_random_seed(3)
    model = keras.Sequential([
        keras.Input(SHAPE[1:]),
        L.RandomFlip("horizontal", seed=1),
        L.RandomTranslation(0.1, (-0.2, 0.3), fill_mode="constant", fill_value=0.25, seed=2),
        L.RandomRotation(0.05, interpolation="nearest", fill_mode="wrap"),
        L.RandomZoom((-0.2, 0.1), 0.15, fill_mode="nearest"),
        L.Conv2D(4, 3, activation="relu"),
        L.Flatten(),
        L.Dense(3, activation="softmax"),
    ])
    model.compile(optimizer="adam", loss="categorical_crossentropy")
    model.save(FIXTURES / "augmentation-model.keras")
    predictions = np.asarray(model(x, training=False)).ravel().tolist()
    with open(FIXTURES / "augmentation.json", "w") as f:
        json.dump({"shape": SHAPE, "x": x.ravel().tolist(), "cases": cases, "model": {"predictions": predictions}}, f)


if __name__ == "__main__":
    main()
