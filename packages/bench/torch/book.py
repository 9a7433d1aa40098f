"""The book's MNIST run and the kernel workload in PyTorch (CPU), timed like the Node jobs.

usage: book.py DATA_DIR ORDERS_FILE RUNS RESULT_FILE
ORDERS_FILE holds int32 batch orders of the 60,000 training rows, one after another: the warm-up's first,
then one per epoch, the same orders the Node frameworks train with.
"""
import json
import resource
import sys
import time

import torch
from torch import nn

BATCH = 128
ACCURACY_EPOCHS = 5
WARMUP_STEPS = 5


def read(path, dtype, offset=0):
    with open(path, "rb") as f:
        return torch.frombuffer(bytearray(f.read()[offset:]), dtype=dtype)


def load(data_dir, prefix):
    images = read(f"{data_dir}/{prefix}-images-idx3-ubyte", torch.uint8, 16).reshape(-1, 784).float() / 255
    labels = read(f"{data_dir}/{prefix}-labels-idx1-ubyte", torch.uint8, 8).long()
    return images, labels


def book_network(hidden=512):
    net = nn.Sequential(nn.Linear(784, hidden), nn.ReLU(), nn.Linear(hidden, 10))
    for layer in (net[0], net[2]):  # Keras defaults: glorot_uniform kernels, zero biases
        nn.init.xavier_uniform_(layer.weight)
        nn.init.zeros_(layer.bias)
    return net


def keras_rmsprop(net):
    """Keras's rmsprop defaults in torch's terms."""
    return torch.optim.RMSprop(net.parameters(), lr=0.001, alpha=0.9, eps=1e-7)


def fit(net, opt, x, y, batch=BATCH):
    """One pass over x in order; softmax + categorical cross-entropy on the logits."""
    loss_fn = nn.CrossEntropyLoss()
    for start in range(0, len(x), batch):
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(net(x[start:start + batch]), y[start:start + batch])
        loss.backward()
        opt.step()


def training(data_dir, orders, runs):
    x, y = load(data_dir, "train")
    test_x, test_y = load(data_dir, "t10k")
    torch.manual_seed(0)
    net = book_network()
    opt = keras_rmsprop(net)
    warm = orders[0][: WARMUP_STEPS * BATCH]
    fit(net, opt, x[warm], y[warm])
    seconds, accuracy = [], None
    for epoch in range(max(ACCURACY_EPOCHS, runs + 1)):
        order = orders[epoch + 1]
        ex, ey = x[order], y[order]
        start = time.perf_counter()
        fit(net, opt, ex, ey)
        elapsed = time.perf_counter() - start
        if 1 <= epoch <= runs:
            seconds.append(elapsed)
        print(f"  epoch {epoch + 1}: {elapsed:.2f} s", file=sys.stderr)
        if epoch + 1 == ACCURACY_EPOCHS:
            with torch.no_grad():
                accuracy = (net(test_x).argmax(1) == test_y).float().mean().item()
    return {"trainSamples": len(x), "batchSize": BATCH, "rows": len(x), "seconds": seconds, "testAccuracy": accuracy}


def seconds_per_op(op, reps):
    start = time.perf_counter()
    for _ in range(reps):
        op()
    return (time.perf_counter() - start) / reps


def kernels(runs):
    def rand(*shape):
        return torch.rand(*shape) * 2 - 1

    a1, b1 = rand(128, 784), rand(784, 512)
    a2, b2 = rand(128, 512), rand(512, 10)
    a3, b3 = rand(512, 512), rand(512, 512)
    a4, b4 = rand(1024, 1024), rand(1024, 1024)
    u, v = rand(2**20), rand(2**20)
    big = rand(60000, 784)
    cases = [
        ("matmul 128×784×512", "GFLOP/s", 2 * 128 * 784 * 512, lambda: a1 @ b1),
        ("matmul 128×512×10", "GFLOP/s", 2 * 128 * 512 * 10, lambda: a2 @ b2),
        ("matmul 512×512×512", "GFLOP/s", 2 * 512**3, lambda: a3 @ b3),
        ("matmul 1024×1024×1024", "GFLOP/s", 2 * 1024**3, lambda: a4 @ b4),
        ("add 1M", "GB/s", 3 * 4 * 2**20, lambda: u + v),
        ("sum 60000×784", "GB/s", 4 * 60000 * 784, lambda: big.sum()),
    ]
    out = []
    for name, unit, work, op in cases:
        reps = min(200, max(1, int(0.25 / seconds_per_op(op, 1)) + 1))
        out.append({"name": name, "unit": unit, "work": work, "seconds": [seconds_per_op(op, reps) for _ in range(runs)]})
    return out


def read_orders(orders_file):
    return read(orders_file, torch.int32).long().reshape(-1, 60000)


def write_result(result_file, result):
    """The measurements with torch's version, its thread count and the process's peak RSS."""
    result = {**result, "torch": torch.__version__, "threads": torch.get_num_threads(),
              "peakRssMiB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
    with open(result_file, "w") as f:
        json.dump(result, f)


def main():
    data_dir, orders_file, runs, result_file = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    orders = read_orders(orders_file)
    write_result(result_file, {"training": training(data_dir, orders, runs), "kernels": kernels(runs)})


if __name__ == "__main__":
    main()
