"""The scaling workload in PyTorch (CPU): training samples/s of the book's MLP as its hidden width and its
batch grow, timed with the plan of packages/bench/src/scaling.ts.

usage: scaling.py DATA_DIR SHAPES WARMUP SIZING SECONDS MIN_STEPS MAX_STEPS RESULT_FILE
SHAPES is hidden:batch,hidden:batch,… in run order. Per shape: an untimed warm-up of WARMUP steps, a run of
SIZING steps that times a step, then a timed run of round(SECONDS / step) steps between MIN_STEPS and
MAX_STEPS (and the training rows there are), over the first training rows in order; when the warm-up's
steps already take SECONDS / MIN_STEPS each, MIN_STEPS are timed without the sizing run.
"""
import sys
import time

import torch

from book import book_network, fit, keras_rmsprop, load, write_result


def point(x, y, hidden, batch, warmup, sizing, seconds, min_steps, max_steps):
    net = book_network(hidden)
    opt = keras_rmsprop(net)

    def timed(steps):
        ex, ey = x[: steps * batch].contiguous(), y[: steps * batch].contiguous()
        start = time.perf_counter()
        fit(net, opt, ex, ey, batch)
        return time.perf_counter() - start

    if timed(warmup) / warmup >= seconds / min_steps:
        steps = min_steps
    else:
        most = min(max_steps, len(x) // batch)
        steps = max(min_steps, min(most, round(seconds / (timed(sizing) / sizing))))
    elapsed = timed(steps)
    print(f"  hidden {hidden}, batch {batch}: {steps} steps in {elapsed:.2f} s", file=sys.stderr)
    return {"hidden": hidden, "batch": batch, "steps": steps, "seconds": elapsed, "samplesPerSecond": steps * batch / elapsed}


def main():
    data_dir, shapes, warmup, sizing, seconds, min_steps, max_steps, result_file = sys.argv[1:9]
    torch.manual_seed(0)
    x, y = load(data_dir, "train")
    pairs = [tuple(int(v) for v in s.split(":")) for s in shapes.split(",")]
    points = [point(x, y, h, b, int(warmup), int(sizing), float(seconds), int(min_steps), int(max_steps)) for h, b in pairs]
    write_result(result_file, {"scaling": points})


if __name__ == "__main__":
    main()
