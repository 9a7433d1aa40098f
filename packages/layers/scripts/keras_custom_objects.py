"""Custom objects both ways with Python Keras 3, for test/custom-objects.test.ts.

Reads JSON from stdin: {"strataPath": .keras file Strata saved, "kerasPath": where to save Keras's own model,
"x": flat list, "shape": [...], "y": flat list, "yShape": [...]}. With `Doubler` (a Layer) and
`MeanPrediction` (a Metric) registered under package "Custom" exactly as the test registers them in
Strata, it loads Strata's file (compiled: its custom metric and an AUC(num_thresholds=50) come back from
compile_config) and evaluates it; then it builds the same kind of model itself, saves it to kerasPath and
reports its weights, predictions and evaluation, for Strata to load.
"""
import json
import sys

import keras
import numpy as np
from keras import ops


@keras.saving.register_keras_serializable(package="Custom")
class Doubler(keras.layers.Layer):
    def call(self, x):
        return x * 2.0


@keras.saving.register_keras_serializable(package="Custom")
class MeanPrediction(keras.metrics.Metric):
    def __init__(self, name="mean_prediction", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.total = self.add_variable(shape=(), initializer="zeros", name="total")
        self.count = self.add_variable(shape=(), initializer="zeros", name="count")

    def update_state(self, y_true, y_pred, sample_weight=None):
        self.total.assign(self.total + ops.sum(y_pred))
        self.count.assign(self.count + ops.cast(ops.size(y_pred), "float32"))

    def result(self):
        return self.total / self.count


@keras.saving.register_keras_serializable(package="Custom")
class ScaledMSE(keras.losses.Loss):
    def __init__(self, name="scaled_mse", reduction="sum_over_batch_size", dtype=None):
        super().__init__(name=name, reduction=reduction, dtype=dtype)

    def call(self, y_true, y_pred):
        return 2.0 * ops.mean(ops.square(y_true - y_pred), axis=-1)

    def get_config(self):
        return {"name": self.name, "reduction": self.reduction}


@keras.saving.register_keras_serializable(package="Custom")
class HalvingSchedule(keras.optimizers.schedules.LearningRateSchedule):
    def __init__(self, initial_learning_rate, every):
        self.initial_learning_rate = initial_learning_rate
        self.every = every

    def __call__(self, step):
        return self.initial_learning_rate * ops.power(0.5, ops.floor(ops.cast(step, "float32") / self.every))

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate, "every": self.every}


def report(model, x, y):
    evaluated = model.evaluate(x, y, batch_size=4, verbose=0, return_dict=True)
    return {
        "predictions": np.asarray(model.predict(x, verbose=0)).ravel().tolist(),
        "evaluate": {k: float(v) for k, v in evaluated.items()},
    }


def main():
    request = json.load(sys.stdin)
    x = np.asarray(request["x"], dtype="float32").reshape(request["shape"])
    y = np.asarray(request["y"], dtype="float32").reshape(request["yShape"])
    strata = keras.saving.load_model(request["strataPath"])
    out = {
        "strata": report(strata, x, y),
        "layerClasses": [type(l).__name__ for l in strata.layers],
        "lossClass": type(strata.loss).__name__,
        "scheduleClass": type(strata.optimizer._learning_rate).__name__,
        "learningRateAt25": float(strata.optimizer._learning_rate(25)),
    }
    keras.utils.set_random_seed(2)
    inputs = keras.Input(request["shape"][1:], name="x")
    probs = keras.layers.Dense(1, activation="sigmoid", name="probs")(Doubler(name="doubler")(inputs))
    model = keras.Model(inputs, probs, name="keras_custom")
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=[MeanPrediction(), keras.metrics.Precision(thresholds=0.3, name="precision_at_03")],
                  weighted_metrics=[keras.metrics.BinaryAccuracy(threshold=0.4, name="acc_04")])
    model.save(request["kerasPath"])
    out["keras"] = report(model, x, y)
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
