"""The middle leg of the scale-out trip: a Strata-saved .keras file continues training in Keras 3 on JAX,
spread over several devices with keras.distribution, and is saved again for Strata.

Run with KERAS_BACKEND=jax. On CPU, JAX_PLATFORMS=cpu and XLA_FLAGS=--xla_force_host_platform_device_count=4
give four devices; on a machine with GPUs (jax[cuda] installed, JAX_PLATFORMS unset) jax.devices() lists them.

Reads JSON from stdin: {"legs": [leg, ...]}, each leg
    input, output   the .keras file to load, and where to save the trained model
    x, y            a .npy path, or a dict input (output) name -> .npy path
    distribution    "data": DataParallel over every device (variables replicated, each batch split);
                    "model": ModelParallel on a 1 x N ("batch", "model") mesh, the weight `shard`
                    split along its last axis over the N devices (LayoutMap), the rest replicated
    shard           the variable path whose layout is reported (and, for "model", sharded), e.g. "dense/kernel"
    shardRank       that variable's rank ("model" splits its last axis)
    epochs, batchSize, shuffle, seed    as model.fit takes them (seed: keras.utils.set_random_seed)
    dump            a directory: the optimizer variables as loaded (loaded_optimizer_<i>.npy), and the
                    weights and optimizer variables after training (weight_<i>.npy, optimizer_<i>.npy),
                    in model.weights / optimizer.variables order
Prints JSON: {"deviceCount", "platform", "legs": [{"distribution", "mesh", "weight" (path, partition spec,
devices, shard shapes), "loadedIterations", "lossBefore", "history" (per-epoch loss), "lossAfter",
"iterations"}]}. One process for every leg: JAX's start-up dominates.
"""
import json
import os
import sys

import jax
import keras
import numpy as np
from keras import distribution as kd


def load_arrays(spec):
    if isinstance(spec, dict):
        return {name: np.load(path) for name, path in spec.items()}
    return np.load(spec)


def make_distribution(kind, shard, rank):
    devices = jax.devices()
    if kind == "data":
        return kd.DataParallel(devices=devices)
    if kind == "model":
        mesh = kd.DeviceMesh(shape=(1, len(devices)), axis_names=("batch", "model"), devices=devices)
        layout_map = kd.LayoutMap(mesh)
        layout_map[shard] = (None,) * (rank - 1) + ("model",)
        return kd.ModelParallel(layout_map=layout_map, batch_dim_name="batch")
    raise ValueError(f"distribution must be 'data' or 'model', got {kind!r}")


def check_batches(x, batch_size, replicas):
    """JAX splits each batch evenly over the data-parallel devices, the last (partial) batch too."""
    n = len(next(iter(x.values())) if isinstance(x, dict) else x)
    sizes = {batch_size, n % batch_size or batch_size}
    if any(size % replicas for size in sizes):
        raise ValueError(
            f"{n} samples in batches of {batch_size} give batches of {sorted(sizes)}, which do not split "
            f"evenly over {replicas} devices: choose a batch size and a sample count whose batches all divide by {replicas}"
        )


def describe_weight(model, path):
    matches = [v for v in model.weights if v.path == path]
    if not matches:
        raise ValueError(f"no weight {path!r}; the model's weights are {[v.path for v in model.weights]}")
    sharding = matches[0].value.sharding
    return {
        "path": path,
        "spec": [None if axis is None else str(axis) for axis in sharding.spec],
        "devices": len(sharding.device_set),
        "shardShapes": [list(s.data.shape) for s in matches[0].value.addressable_shards],
    }


def dump(directory, prefix, variables):
    os.makedirs(directory, exist_ok=True)
    for i, v in enumerate(variables):
        a = np.asarray(v)
        np.save(os.path.join(directory, f"{prefix}_{i}.npy"), a.astype(np.int32 if a.dtype.kind in "iu" else np.float32))


def run_leg(leg):
    distribution = make_distribution(leg["distribution"], leg["shard"], leg["shardRank"])
    kd.set_distribution(distribution)
    try:
        keras.utils.set_random_seed(leg.get("seed", 0))
        model = keras.saving.load_model(leg["input"])
        x, y = load_arrays(leg["x"]), load_arrays(leg["y"])
        batch_size = leg["batchSize"]
        check_batches(x, batch_size, distribution.num_model_replicas)
        dump(leg["dump"], "loaded_optimizer", model.optimizer.variables)
        loaded_iterations = int(model.optimizer.iterations)
        before = model.evaluate(x, y, batch_size=batch_size, verbose=0, return_dict=True)["loss"]
        history = model.fit(x, y, epochs=leg["epochs"], batch_size=batch_size, shuffle=leg.get("shuffle", True), verbose=0)
        after = model.evaluate(x, y, batch_size=batch_size, verbose=0, return_dict=True)["loss"]
        dump(leg["dump"], "weight", model.weights)
        dump(leg["dump"], "optimizer", model.optimizer.variables)
        model.save(leg["output"])
        mesh = distribution.device_mesh
        return {
            "distribution": type(distribution).__name__,
            "mesh": {"shape": list(mesh.shape), "axes": list(mesh.axis_names)},
            "weight": describe_weight(model, leg["shard"]),
            "loadedIterations": loaded_iterations,
            "lossBefore": float(before),
            "history": [float(v) for v in history.history["loss"]],
            "lossAfter": float(after),
            "iterations": int(model.optimizer.iterations),
        }
    finally:
        kd.set_distribution(None)


def main():
    request = json.load(sys.stdin)
    legs = [run_leg(leg) for leg in request["legs"]]
    print(json.dumps({"deviceCount": jax.device_count(), "platform": jax.devices()[0].platform, "legs": legs}))


if __name__ == "__main__":
    main()
