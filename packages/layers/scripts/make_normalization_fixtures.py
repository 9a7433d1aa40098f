"""Writes the Keras-made fixtures that packages/layers/test/normalization-keras.test.ts checks against.

Run from the repository root (in the venv scripts/test-setup.sh makes):
    KERAS_BACKEND=jax JAX_PLATFORMS=cpu .venv-keras/bin/python packages/layers/scripts/make_normalization_fixtures.py

normalization-layers.json: for each case, a BatchNormalization or LayerNormalization layer with fixed
weights, an input, Keras's output for it, and the gradients (jax.grad through layer.stateless_call) of
sum(output * r) for a fixed r with respect to the input and the trainable weights; for BatchNormalization
in training mode also the moving statistics after that call.

keras-batchnorm.keras / .json: Dense(8) -> BatchNormalization -> relu -> LayerNormalization -> Dense(3, softmax), trained 3
epochs with adam in Keras (moving statistics away from their initial values); the json holds the data,
Keras's predictions (inference mode: moving statistics), the moving statistics and the losses of two
further train_on_batch calls.
"""
import json
import pathlib
import re

import jax
import jax.numpy as jnp
import keras
import numpy as np

FIXTURES = pathlib.Path(__file__).resolve().parent.parent / "test" / "fixtures"

# (name, class, camelCase args as Strata takes them, input shape, training, with a mask)
CASES = [
    ("bn-train-2d", "BatchNormalization", {}, (6, 4), True, False),
    ("bn-infer-2d", "BatchNormalization", {"epsilon": 0.01}, (6, 4), False, False),
    ("bn-train-axis1-3d", "BatchNormalization", {"axis": 1, "momentum": 0.9}, (3, 4, 5), True, False),
    ("bn-train-plain-3d", "BatchNormalization", {"center": False, "scale": False}, (3, 4, 5), True, False),
    ("bn-train-masked-3d", "BatchNormalization", {"momentum": 0.8}, (3, 4, 5), True, True),
    ("ln-last-3d", "LayerNormalization", {}, (3, 4, 5), True, False),
    ("ln-axes-3d", "LayerNormalization", {"axis": [1, 2], "epsilon": 1e-5}, (3, 4, 5), False, False),
    ("ln-axis1-3d", "LayerNormalization", {"axis": 1, "center": False}, (3, 4, 5), False, False),
    ("ln-rms-2d", "LayerNormalization", {"rmsScaling": True}, (6, 4), False, False),
    # feature maps: channels last, and channels first (axis 1: the reduced axes 0, 2, 3 are not contiguous)
    ("bn-train-4d", "BatchNormalization", {}, (2, 3, 3, 4), True, False),
    ("bn-train-axis1-4d", "BatchNormalization", {"axis": 1}, (2, 4, 3, 3), True, False),
    ("bn-infer-axis1-4d", "BatchNormalization", {"axis": 1}, (2, 4, 3, 3), False, False),
]


def snake(name):
    return re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name).lower()


def make_case(rng, name, cls, args, shape, training, masked):
    layer = getattr(keras.layers, cls)(**{snake(k): v for k, v in args.items()})
    x = (rng.normal(size=shape) * 2 + 1).astype("float32")
    layer.build(x.shape)
    # non-trivial weights: scales around 1, offsets and moving statistics away from 0 and 1
    for v in layer.weights:
        if v.name in ("gamma", "moving_variance"):
            v.assign(rng.uniform(0.5, 2.0, size=v.shape).astype("float32"))
        else:
            v.assign(rng.normal(size=v.shape).astype("float32"))
    weights = [np.asarray(v).ravel().tolist() for v in layer.weights]
    r = rng.normal(size=shape).astype("float32")
    mask = (rng.uniform(size=shape[:-1]) > 0.3) if masked else None
    if masked:
        mask[:, 0] = True
    non_trainable = [v.value for v in layer.non_trainable_variables]

    def loss(x, trainable):
        kwargs = {"training": training} if cls == "BatchNormalization" else {}
        if masked:
            kwargs["mask"] = jnp.asarray(mask)
        out, updated = layer.stateless_call(trainable, non_trainable, x, **kwargs)
        return jnp.sum(out * r), (out, updated)

    trainable = [v.value for v in layer.trainable_variables]
    (_, (out, updated)), (gx, gw) = jax.value_and_grad(loss, argnums=(0, 1), has_aux=True)(jnp.asarray(x), trainable)
    case = {
        "name": name,
        "className": cls,
        "args": args,
        "training": training,
        "x": x.ravel().tolist(),
        "shape": list(shape),
        "weights": weights,
        "weightNames": [v.name for v in layer.weights],
        "r": r.ravel().tolist(),
        "output": np.asarray(out).ravel().tolist(),
        "gradX": np.asarray(gx).ravel().tolist(),
        "gradWeights": [np.asarray(g).ravel().tolist() for g in gw],
        "nonTrainableAfter": [np.asarray(v).ravel().tolist() for v in updated],
    }
    if masked:
        case["mask"] = mask.astype("int32").ravel().tolist()
    return case


def trained_model(rng):
    keras.utils.set_random_seed(1)
    model = keras.Sequential(
        [
            keras.Input((4,)),
            keras.layers.Dense(8),
            keras.layers.BatchNormalization(momentum=0.9),
            keras.layers.Activation("relu"),
            keras.layers.LayerNormalization(),
            keras.layers.Dense(3, activation="softmax"),
        ]
    )
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    x = (rng.normal(size=(16, 4)) * 3 + 2).astype("float32")
    y = keras.utils.to_categorical(np.arange(16) % 3, 3).astype("float32")
    model.fit(x, y, batch_size=8, epochs=3, shuffle=False, verbose=0)
    model.save(FIXTURES / "keras-batchnorm.keras")
    bn = model.layers[1]
    expected = {
        "x": x.tolist(),
        "y": y.tolist(),
        "predictions": model.predict(x, verbose=0).tolist(),
        "movingMean": np.asarray(bn.moving_mean).tolist(),
        "movingVariance": np.asarray(bn.moving_variance).tolist(),
        "nextLosses": [float(model.train_on_batch(x, y)[0]) for _ in range(2)],
        "kerasVersion": keras.__version__,
    }
    (FIXTURES / "keras-batchnorm.json").write_text(json.dumps(expected) + "\n")


def main():
    rng = np.random.default_rng(0)
    cases = [make_case(rng, *c) for c in CASES]
    (FIXTURES / "normalization-layers.json").write_text(json.dumps({"kerasVersion": keras.__version__, "cases": cases}) + "\n")
    trained_model(rng)


if __name__ == "__main__":
    main()
