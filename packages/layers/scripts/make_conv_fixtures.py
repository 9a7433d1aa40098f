"""Writes the Keras-made fixtures that packages/layers/test/conv-keras.test.ts loads.

Run from the repository root (in the venv scripts/test-setup.sh makes):
    KERAS_BACKEND=jax JAX_PLATFORMS=cpu .venv-keras/bin/python packages/layers/scripts/make_conv_fixtures.py

conv-convnet.keras: the book's MNIST convnet (chapter 8), compiled with rmsprop (not trained), its biases set to random values (so a bias
loaded into the wrong slot shows). conv-layers.keras: a functional model using every
convolution, pooling and image layer Strata has (Conv1D, Conv2D with strides, dilation, groups and same
padding, the pooling layers, ZeroPadding2D, UpSampling2D, Rescaling). conv-fixtures.json: for each, fixed
inputs and Keras's predictions for them.
"""
import json
import pathlib

import keras
import numpy as np

FIXTURES = pathlib.Path(__file__).resolve().parent.parent / "test" / "fixtures"
L = keras.layers


def convnet():
    model = keras.Sequential([
        keras.Input((28, 28, 1)),
        L.Conv2D(32, 3, activation="relu"),
        L.MaxPooling2D(2),
        L.Conv2D(64, 3, activation="relu"),
        L.MaxPooling2D(2),
        L.Conv2D(128, 3, activation="relu"),
        L.Flatten(),
        L.Dense(10, activation="softmax"),
    ])
    model.compile(optimizer="rmsprop", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def randomize_biases(model, rng):
    for w in model.weights:
        if w.path.endswith("bias"):
            w.assign(rng.normal(size=w.shape).astype("float32") * 0.1)


def every_layer():
    image = keras.Input((12, 10, 3), name="image")
    x = L.Rescaling(1 / 4, offset=-0.5)(image)
    x = L.ZeroPadding2D(((1, 2), (0, 1)))(x)
    x = L.Conv2D(4, 3, strides=2, padding="same", activation="relu")(x)
    x = L.Conv2D(6, (2, 3), dilation_rate=2, padding="same", groups=2)(x)
    x = L.MaxPooling2D(3, strides=2, padding="same")(x)
    x = L.UpSampling2D((2, 1))(x)
    x = L.AveragePooling2D(2, strides=1, padding="same")(x)
    a = L.GlobalAveragePooling2D()(x)
    b = L.GlobalMaxPooling2D()(x)
    seq = keras.Input((16, 3), name="sequence")
    s = L.Conv1D(5, 4, padding="same", activation="relu")(seq)
    s = L.Conv1D(4, 3, strides=2, use_bias=False)(s)
    s = L.MaxPooling1D(2)(s)
    s = L.AveragePooling1D(2, strides=1, padding="same")(s)
    c = L.GlobalMaxPooling1D()(s)
    d = L.GlobalAveragePooling1D()(s)
    out = L.Dense(3, activation="softmax")(L.Concatenate()([a, b, c, d]))
    model = keras.Model([image, seq], out)
    model.compile(optimizer="adam", loss="categorical_crossentropy")
    return model


def main():
    keras.utils.set_random_seed(5)
    rng = np.random.default_rng(5)
    net = convnet()
    images = rng.uniform(size=(3, 28, 28, 1)).astype("float32")
    randomize_biases(net, rng)
    net.save(FIXTURES / "conv-convnet.keras")

    model = every_layer()
    randomize_biases(model, rng)
    model.save(FIXTURES / "conv-layers.keras")
    x_image = rng.uniform(0, 4, size=(3, 12, 10, 3)).astype("float32")
    x_seq = rng.normal(size=(3, 16, 3)).astype("float32")
    expected = {
        "convnet": {"x": images.ravel().tolist(), "predictions": net.predict(images, verbose=0).ravel().tolist()},
        "layers": {
            "image": x_image.ravel().tolist(),
            "sequence": x_seq.ravel().tolist(),
            "predictions": model.predict([x_image, x_seq], verbose=0).ravel().tolist(),
        },
        "kerasVersion": keras.__version__,
    }
    (FIXTURES / "conv-fixtures.json").write_text(json.dumps(expected) + "\n")


if __name__ == "__main__":
    main()
