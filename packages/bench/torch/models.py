"""The book's convnet, the sequential-MNIST LSTM and the book's MLP (for the contended workload) in PyTorch
(CPU), timed like the Node jobs.

usage: models.py DATA_DIR ORDERS_FILE convnet|lstm|book STEPS RUNS BUDGET WARMUP_STEPS RESULT_FILE
ORDERS_FILE holds int32 batch orders of the 60,000 training rows as for book.py: the warm-up's first, then
one per run. After a warm-up of WARMUP_STEPS steps, STEPS is N (time the first N batches of each run; 0 =
whole epochs) or auto: whole epochs when a warm-up epoch plus 5 epochs fit in BUDGET seconds, else RUNS runs
of as many steps as fit (packages/bench/src/training.ts times the Node frameworks the same way).
"""
import math
import sys
import time

import torch
from torch import nn

from book import ACCURACY_EPOCHS, BATCH, book_network, fit, keras_rmsprop, load, read_orders, write_result


def convnet():
    """Conv2D(32,3,relu) → MaxPool(2) → Conv2D(64,3,relu) → MaxPool(2) → Conv2D(128,3,relu) → Flatten → Dense(10)."""
    net = nn.Sequential(
        nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(64, 128, 3), nn.ReLU(), nn.Flatten(), nn.Linear(1152, 10))
    for layer in net:
        if isinstance(layer, (nn.Conv2d, nn.Linear)):  # Keras defaults: glorot_uniform kernels, zero biases
            nn.init.xavier_uniform_(layer.weight)
            nn.init.zeros_(layer.bias)
    return net


class SequenceClassifier(nn.Module):
    """LSTM(128) over the 28 rows of an image, its last state into Dense(10)."""

    def __init__(self, features=28, units=128):
        super().__init__()
        self.lstm = nn.LSTM(features, units, batch_first=True)
        self.dense = nn.Linear(units, 10)
        # Keras's LSTM defaults (same gate order i, f, c, o): glorot_uniform kernel, orthogonal recurrent
        # kernel, zero bias with the forget gate's at 1 (unit_forget_bias); torch's second bias stays zero.
        nn.init.xavier_uniform_(self.lstm.weight_ih_l0)
        nn.init.orthogonal_(self.lstm.weight_hh_l0)
        with torch.no_grad():
            self.lstm.bias_ih_l0.zero_()
            self.lstm.bias_ih_l0[units:2 * units] = 1
            self.lstm.bias_hh_l0.zero_()
        nn.init.xavier_uniform_(self.dense.weight)
        nn.init.zeros_(self.dense.bias)

    def forward(self, x):
        _, (h, _) = self.lstm(x)
        return self.dense(h[-1])


def task(name):
    """(network, optimizer, sample shape, batch size) as Strata's examples compile them."""
    if name == "convnet":
        net = convnet()
        return net, keras_rmsprop(net), (1, 28, 28), 64
    if name == "lstm":
        net = SequenceClassifier()
        return net, torch.optim.Adam(net.parameters(), lr=0.001, eps=1e-7), (28, 28), 128
    if name == "book":
        net = book_network()
        return net, keras_rmsprop(net), (784,), BATCH
    raise SystemExit(f"models.py: unknown model {name} (valid: convnet, lstm, book)")


def plan_runs(steps, runs, budget, n, batch, step_seconds):
    """(rows per timed run, runs), as planRuns in packages/bench/src/training.ts."""
    if steps != "auto":
        return (n if int(steps) == 0 else min(n, int(steps) * batch)), runs
    if step_seconds * math.ceil(n / batch) * max(ACCURACY_EPOCHS, runs + 1) <= budget:
        return n, runs
    runs = max(1, min(runs, math.floor(budget / step_seconds)))
    return min(n, max(1, math.floor(budget / (runs * step_seconds))) * batch), runs


def accuracy(net, x, y, batch=1000):
    with torch.no_grad():
        hits = sum((net(x[i:i + batch]).argmax(1) == y[i:i + batch]).sum().item() for i in range(0, len(x), batch))
    return hits / len(x)


def training(name, data_dir, orders, steps, runs, budget, warmup_steps):
    torch.manual_seed(0)
    net, opt, sample, batch = task(name)
    (x, y), (test_x, test_y) = [(images.reshape(-1, *sample), labels) for images, labels in (load(data_dir, "train"), load(data_dir, "t10k"))]
    n = len(x)

    def run(index, rows):
        order = orders[index][:rows]
        ex, ey = x[order], y[order]
        start = time.perf_counter()
        fit(net, opt, ex, ey, batch)
        return time.perf_counter() - start

    rows, runs = plan_runs(steps, runs, budget, n, batch, run(0, warmup_steps * batch) / warmup_steps)
    full = rows == n
    total, first_timed = (max(ACCURACY_EPOCHS, runs + 1), 1) if full else (runs, 0)
    seconds, test_accuracy = [], None
    for i in range(total):
        elapsed = run(i + 1, rows)
        if i >= first_timed and len(seconds) < runs:
            seconds.append(elapsed)
        print(f"  {'epoch' if full else 'run'} {i + 1}/{total}: {elapsed:.2f} s", file=sys.stderr)
        if full and i + 1 == ACCURACY_EPOCHS:
            test_accuracy = accuracy(net, test_x, test_y)
    return {"trainSamples": n, "batchSize": batch, "rows": rows, "seconds": seconds, "testAccuracy": test_accuracy}


def main():
    data_dir, orders_file, name, steps, runs, budget, warmup_steps, result_file = sys.argv[1:9]
    orders = read_orders(orders_file)
    write_result(result_file, {"training": training(name, data_dir, orders, steps, int(runs), float(budget), int(warmup_steps))})


if __name__ == "__main__":
    main()
