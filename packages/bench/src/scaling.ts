// The scaling workload: training samples/s of the book's MLP (784 → hidden → 10, relu/softmax, RMSprop) as
// its hidden width grows at batch 128 and as the batch grows at width 512, a few timed steps per point, so a
// reader sees where per-step overhead dominates (small shapes) and where the kernels' ceiling does (large).
// torch/scaling.py times PyTorch with the same plan.

export const WIDTHS = [128, 512, 2048, 4096] as const;
export const BATCHES = [32, 128, 512, 2048] as const;
/** The batch of the width sweep and the width of the batch sweep (the book's). */
export const SWEEP_BATCH = 128;
export const SWEEP_WIDTH = 512;

/**
 * Per point: a warm-up of `warmupSteps` (compiles, allocates), a run of `sizingSteps` that times a step, then
 * the timed run of as many steps as fill `seconds`, between `minSteps` and `maxSteps` (and the training rows
 * there are). When the warm-up's steps already take `seconds / minSteps` each, the sizing run is skipped and
 * `minSteps` are timed (SwiftShader's large points take seconds a step).
 */
export const POINT_PLAN = { warmupSteps: 1, sizingSteps: 2, seconds: 1.5, minSteps: 2, maxSteps: 50 } as const;
/** The training rows of MNIST, which the points' batches are taken from (the first rows, in order). */
export const TRAIN_ROWS = 60000;

export interface ScalingShape {
  readonly hidden: number;
  readonly batch: number;
}

export interface ScalingPoint extends ScalingShape {
  readonly steps: number;
  readonly seconds: number;
  readonly samplesPerSecond: number;
}

/** One framework's MLP of one shape, on the first `steps × batch` training rows. */
export interface ScalingModel {
  /** Puts the first `steps` batches where the next `fit` reads them; not timed. */
  stage(steps: number): Promise<void>;
  /** One pass over the staged rows, no shuffling; returns when the device has finished. */
  fit(): Promise<void>;
  dispose(): void;
}

export type ScalingFactory = (shape: ScalingShape) => Promise<ScalingModel>;

/** The points in run order: the width sweep, then the batch sweep without the shape both share. */
export function scalingShapes(): ScalingShape[] {
  const shapes: ScalingShape[] = WIDTHS.map((hidden) => ({ hidden, batch: SWEEP_BATCH }));
  for (const batch of BATCHES) if (!shapes.some((s) => s.hidden === SWEEP_WIDTH && s.batch === batch)) shapes.push({ hidden: SWEEP_WIDTH, batch });
  return shapes;
}

/** Steps of a point's timed run, from one step's seconds. */
export function plannedSteps(stepSeconds: number, batch: number): number {
  const most = Math.min(POINT_PLAN.maxSteps, Math.floor(TRAIN_ROWS / batch));
  return Math.max(POINT_PLAN.minSteps, Math.min(most, Math.round(POINT_PLAN.seconds / stepSeconds)));
}

async function timedFit(model: ScalingModel, steps: number): Promise<number> {
  await model.stage(steps);
  const start = performance.now();
  await model.fit();
  return (performance.now() - start) / 1000;
}

export async function timeScaling(make: ScalingFactory): Promise<ScalingPoint[]> {
  const points: ScalingPoint[] = [];
  for (const shape of scalingShapes()) {
    const model = await make(shape);
    try {
      const warmStep = (await timedFit(model, POINT_PLAN.warmupSteps)) / POINT_PLAN.warmupSteps;
      const slow = warmStep >= POINT_PLAN.seconds / POINT_PLAN.minSteps;
      const steps = slow ? POINT_PLAN.minSteps : plannedSteps((await timedFit(model, POINT_PLAN.sizingSteps)) / POINT_PLAN.sizingSteps, shape.batch);
      const seconds = await timedFit(model, steps);
      points.push({ ...shape, steps, seconds, samplesPerSecond: (steps * shape.batch) / seconds });
      process.stderr.write(`  hidden ${shape.hidden}, batch ${shape.batch}: ${steps} steps in ${seconds.toFixed(2)} s\n`);
    } finally {
      model.dispose();
    }
  }
  return points;
}
