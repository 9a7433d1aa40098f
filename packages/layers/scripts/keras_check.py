"""Loads a .keras file in Python Keras 3 and reports what the interop tests compare.

Reads JSON from stdin: {"path": ".keras file", "x": ..., "y": ...}. Each of x and y is either
- a nested list (one input, or one output), as for a Sequential model;
- a dict name -> nested list (inputs by input name, targets by output name; a one-entry dict for a
  one-input or one-output model is taken as its lone value); or
- a list of nested lists, one per input (or output) in the model's order: a list is taken as such
  when the model has several inputs (outputs) and the list has that many entries.
Prints JSON:
    predictions         for x: a nested list when the model has one output, else a dict
                        output name (model.output_names) -> nested list
    optimizerVariables  the optimizer's variables, each flattened
    weights             the model's weights as loaded (model.weights order, e.g. moving statistics), flattened
    nextLosses          the total loss of each of two training steps on (x, y)
    nextLogs            the full lists those two train_on_batch calls returned (total loss first)
    nextLogNames        the names of nextLogs's entries, in order (loss, per-output losses, metrics)
    metricsNames        model.metrics_names after those steps (in Keras 3 not the order of nextLogs)
    compileConfig       model.get_compile_config() as loaded (optimizer, schedule and loss objects)
One process per test file: JAX's start-up dominates.
"""
import json
import sys

import keras
import numpy as np


def as_arrays(value, slots):
    """A request's x or y, as Keras's fit/predict take them, for a model with these inputs (outputs)."""
    if isinstance(value, dict) and len(slots) == 1 and len(value) == 1:
        return np.asarray(next(iter(value.values())), dtype="float32")
    if isinstance(value, dict):
        return {name: np.asarray(v, dtype="float32") for name, v in value.items()}
    if len(slots) > 1 and isinstance(value, list) and len(value) == len(slots):
        return [np.asarray(v, dtype="float32") for v in value]
    return np.asarray(value, dtype="float32")


def log_names(model):
    """The names of train_on_batch's list entries, in its order (after a training step has built the
    metrics). model.metrics_names is not that: in Keras 3 it lists 'compile_metrics' for the compiled
    metrics as one, and the list puts e.g. 'digit_accuracy' after the per-output losses."""
    names = model._flatten_metrics_in_order({name: name for name in model.get_metrics_result()})
    return [names] if isinstance(names, str) else list(names)


def main():
    request = json.load(sys.stdin)
    model = keras.saving.load_model(request["path"])
    x = as_arrays(request["x"], model.inputs)
    y = as_arrays(request["y"], model.outputs)  # Sequential has outputs but no output_names
    predictions = model.predict(x, verbose=0)
    if isinstance(predictions, dict):
        predictions = {name: np.asarray(p).tolist() for name, p in predictions.items()}
    elif isinstance(predictions, (list, tuple)):
        predictions = {name: np.asarray(p).tolist() for name, p in zip(model.output_names, predictions)}
    else:
        predictions = predictions.tolist()
    # read before training: the state the saved file holds
    optimizer_variables = [np.asarray(v).ravel().tolist() for v in model.optimizer.variables]
    weights = [np.asarray(v).ravel().tolist() for v in model.weights]
    logs = [[float(v) for v in np.atleast_1d(model.train_on_batch(x, y))] for _ in range(2)]
    report = {
        "predictions": predictions,
        "optimizerVariables": optimizer_variables,
        "weights": weights,
        "nextLosses": [step[0] for step in logs],
        "nextLogs": logs,
        "nextLogNames": log_names(model),
        "metricsNames": list(model.metrics_names),
        "compileConfig": model.get_compile_config(),
    }
    print(json.dumps(report))


if __name__ == "__main__":
    main()
