"""DepthwiseConv2D, SeparableConv2D and Conv2DTranspose fixtures from Python Keras 3 (JAX backend), for
test/conv-variants-keras.test.ts.

    KERAS_BACKEND=jax JAX_PLATFORMS=cpu .venv-keras/bin/python packages/layers/scripts/make_conv_variant_fixtures.py

Each case is a one-layer model (the last: all three layers in a chain) with fixed random weights (biases included), saved as
test/fixtures/conv-variant-<name>.keras; test/fixtures/conv-variants.json holds its input, Keras's output,
and the gradients (jax.grad through model.stateless_call) of sum(output * r) with respect to the input
and the trainable weights (model.trainable_variables order).
"""
import json
import os

import jax
import jax.numpy as jnp
import keras
import numpy as np
from keras import layers as L

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "test", "fixtures")

CASES = {
    "depthwise-multiplier": ((6, 5, 3), lambda: L.DepthwiseConv2D(3, depth_multiplier=2)),
    "depthwise-same-strides-relu": ((7, 6, 3), lambda: L.DepthwiseConv2D((2, 3), strides=2, padding="same", activation="relu")),
    "depthwise-dilation-no-bias": ((7, 7, 2), lambda: L.DepthwiseConv2D(3, dilation_rate=2, padding="same", depth_multiplier=3, use_bias=False)),
    "separable-multiplier": ((6, 6, 3), lambda: L.SeparableConv2D(4, 3, depth_multiplier=2)),
    "separable-same-strides-tanh": ((7, 5, 2), lambda: L.SeparableConv2D(5, (3, 2), strides=(2, 1), padding="same", activation="tanh")),
    "separable-dilation-relu-no-bias": ((7, 6, 3), lambda: L.SeparableConv2D(3, 2, dilation_rate=2, activation="relu", use_bias=False)),
    "transpose-valid": ((4, 3, 3), lambda: L.Conv2DTranspose(4, 3)),
    "transpose-same-strides": ((3, 4, 2), lambda: L.Conv2DTranspose(3, 3, strides=2, padding="same")),
    "transpose-same-even-kernel-relu": ((3, 3, 2), lambda: L.Conv2DTranspose(3, (4, 2), strides=(2, 3), padding="same", activation="relu")),
    "transpose-valid-stride-over-kernel": ((3, 2, 3), lambda: L.Conv2DTranspose(2, 2, strides=3)),
    "transpose-output-padding-valid": ((3, 3, 2), lambda: L.Conv2DTranspose(3, 3, strides=2, output_padding=1)),
    "transpose-output-padding-same": ((3, 2, 2), lambda: L.Conv2DTranspose(2, (3, 4), strides=(3, 2), padding="same", output_padding=(2, 1), use_bias=False)),
    "transpose-dilation-same": ((4, 4, 2), lambda: L.Conv2DTranspose(2, 3, dilation_rate=2, padding="same", activation="sigmoid")),
    "transpose-dilation-valid": ((3, 4, 3), lambda: L.Conv2DTranspose(2, (2, 3), dilation_rate=(2, 1))),
    "all-three": ((8, 7, 3), lambda: [
        L.DepthwiseConv2D(3, depth_multiplier=2, padding="same", activation="relu"),
        L.SeparableConv2D(4, 2, strides=2),
        L.Conv2DTranspose(3, 3, strides=2, padding="same", output_padding=1),
    ]),
}


def main():
    cases = []
    for i, (name, (shape, make)) in enumerate(CASES.items()):
        rng = np.random.default_rng(300 + i)
        made = make()
        model = keras.Sequential([keras.Input(shape), *(made if isinstance(made, list) else [made])])
        model.set_weights([rng.uniform(-0.6, 0.6, w.shape).astype("float32") for w in model.get_weights()])
        x = rng.uniform(-1, 1, (2, *shape)).astype("float32")
        out = np.asarray(model(x))
        r = rng.uniform(-1, 1, out.shape).astype("float32")
        trainable = [v.value for v in model.trainable_variables]

        def loss(xv, tv):
            y, _ = model.stateless_call(tv, [], xv, training=False)
            return jnp.sum(y * r)

        gx, gw = jax.grad(loss, argnums=(0, 1))(jnp.asarray(x), trainable)
        model.compile(optimizer="adam", loss="mse")
        model.save(os.path.join(OUT, f"conv-variant-{name}.keras"))
        cases.append({
            "name": name,
            "x": x.ravel().tolist(),
            "shape": list(x.shape),
            "output": out.ravel().tolist(),
            "outputShape": list(out.shape),
            "r": r.ravel().tolist(),
            "gradX": np.asarray(gx).ravel().tolist(),
            "gradWeights": [np.asarray(g).ravel().tolist() for g in gw],
            "weightShapes": [list(v.shape) for v in model.trainable_variables],
            "params": model.count_params(),
        })
    with open(os.path.join(OUT, "conv-variants.json"), "w") as f:
        json.dump({"keras": keras.__version__, "cases": cases}, f)
        f.write("\n")


if __name__ == "__main__":
    main()
