"""Sequence-layer fixtures from Python Keras 3 (JAX backend), for test/sequence-keras.test.ts.

    KERAS_BACKEND=jax JAX_PLATFORMS=cpu .venv-keras/bin/python packages/layers/scripts/make_sequence_fixtures.py

Each case is a small model with fixed random weights, saved as test/fixtures/sequence-<name>.keras;
test/fixtures/sequence-layers.json holds its input, Keras's outputs for it, and the gradients
(jax.grad through model.stateless_call) of sum_i sum(output_i * r_i) with respect to the trainable
weights (model.trainable_variables order) and, for float inputs, the input.
"""
import json
import os

import jax
import jax.numpy as jnp
import keras
import numpy as np
from keras import layers

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "test", "fixtures")
B, T, F = 2, 5, 3


def seq(*ls, shape=(T, F)):
    return keras.Sequential([keras.Input(shape), *ls])


def functional(layer, shape=(T, F)):
    """A model returning every output of `layer` (output and states), each through a named linear
    Activation so the outputs have distinct names."""
    inp = keras.Input(shape)
    outs = layer(inp)
    return keras.Model(inp, [layers.Activation("linear", name=f"out_{i}")(o) for i, o in enumerate(outs)])


# padded index sequences: zeros masked (one at the end, one inside)
TOKENS = np.array([[3, 1, 7, 0, 0], [2, 0, 5, 6, 4]], dtype="float32")


def floats(rng):
    x = rng.uniform(-1, 1, (B, T, F)).astype("float32")
    return x


def masked_floats(rng):
    x = floats(rng)
    x[0, 3:] = 0
    x[1, 1] = 0
    return x


CASES = {
    "simple-rnn-seq": (lambda: seq(layers.SimpleRNN(4, return_sequences=True)), floats),
    "simple-rnn-relu-back": (lambda: seq(layers.SimpleRNN(3, activation="relu", go_backwards=True)), floats),
    "lstm-last": (lambda: seq(layers.LSTM(4)), floats),
    "lstm-state-back": (lambda: functional(layers.LSTM(3, return_sequences=True, return_state=True, go_backwards=True)), floats),
    "gru-seq": (lambda: seq(layers.GRU(4, return_sequences=True)), floats),
    "gru-v1-back": (lambda: seq(layers.GRU(3, reset_after=False, go_backwards=True, return_sequences=True)), floats),
    "gru-state": (lambda: functional(layers.GRU(3, return_state=True)), floats),
    "embedding-lstm-mask": (lambda: seq(layers.Embedding(8, 3, mask_zero=True), layers.LSTM(4, return_sequences=True), shape=(T,)), None),
    "embedding-gru-mask-last": (lambda: seq(layers.Embedding(8, 3, mask_zero=True), layers.GRU(4), shape=(T,)), None),
    "embedding-plain": (lambda: seq(layers.Embedding(8, 3), layers.SimpleRNN(2), shape=(T,)), None),
    "bidirectional-concat-mask": (lambda: seq(layers.Embedding(8, 3, mask_zero=True), layers.Bidirectional(layers.LSTM(3, return_sequences=True)), shape=(T,)), None),
    "bidirectional-sum": (lambda: seq(layers.Bidirectional(layers.GRU(3), merge_mode="sum")), floats),
    "bidirectional-mul": (lambda: seq(layers.Bidirectional(layers.SimpleRNN(3), merge_mode="mul")), floats),
    "bidirectional-ave-seq": (lambda: seq(layers.Bidirectional(layers.LSTM(2, return_sequences=True), merge_mode="ave")), floats),
    "time-distributed": (lambda: seq(layers.TimeDistributed(layers.Dense(2, activation="tanh")), layers.SimpleRNN(3)), floats),
    "masking-simple-rnn": (lambda: seq(layers.Masking(0.0), layers.SimpleRNN(3, return_sequences=True)), masked_floats),
}


def main():
    cases = []
    for i, (name, (make, data)) in enumerate(CASES.items()):
        rng = np.random.default_rng(100 + i)
        model = make()
        model.set_weights([rng.uniform(-0.6, 0.6, w.shape).astype("float32") for w in model.get_weights()])
        x = TOKENS if data is None else data(rng)
        outs = model(x)
        outs = list(outs) if isinstance(outs, (list, tuple)) else [outs]
        rs = [rng.uniform(-1, 1, o.shape).astype("float32") for o in outs]
        trainable = [v.value for v in model.trainable_variables]
        non_trainable = [v.value for v in model.non_trainable_variables]

        def loss(xv, tv):
            out, _ = model.stateless_call(tv, non_trainable, xv, training=False)
            out = list(out) if isinstance(out, (list, tuple)) else [out]
            return sum(jnp.sum(o * r) for o, r in zip(out, rs))

        gx, gw = jax.grad(loss, argnums=(0, 1))(jnp.asarray(x), trainable)
        model.compile(optimizer="adam", loss="mse")
        model.save(os.path.join(OUT, f"sequence-{name}.keras"))
        cases.append({
            "name": name,
            "x": x.ravel().tolist(),
            "shape": list(x.shape),
            "indices": data is None,
            "outputs": [np.asarray(o).ravel().tolist() for o in outs],
            "outputShapes": [list(o.shape) for o in outs],
            "r": [r.ravel().tolist() for r in rs],
            "gradX": None if data is None else np.asarray(gx).ravel().tolist(),
            "gradWeights": [np.asarray(g).ravel().tolist() for g in gw],
            "weightShapes": [list(v.shape) for v in model.trainable_variables],
        })
    with open(os.path.join(OUT, "sequence-layers.json"), "w") as f:
        json.dump({"keras": keras.__version__, "cases": cases}, f)
        f.write("\n")


if __name__ == "__main__":
    main()
