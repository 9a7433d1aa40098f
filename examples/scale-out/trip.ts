// The scale-out trip: Strata trains and saves .keras with its optimizer state, Keras 3 on JAX continues on
// several devices (keras.distribution) and saves, Strata loads that and continues. Every leg takes the
// batches in the data's order (no shuffling), so the trip can be compared step for step with Strata
// training alone for the same legs. Shared by the command-line example and its test.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Split } from '@strata/datasets';
import { dispose, loadModel, setRandomSeed, type Model, type SymbolicStructure, type Tensor } from '@strata/layers';
import { runKerasLegs, type DistributionKind, type KerasDevices, type KerasLegReport, type KerasLegRequest, type NpyFiles } from './keras-leg.ts';
import { tensorsOf, type TripData, type TripModel } from './models.ts';
import { readNpy, writeNpy } from './npy.ts';

export interface TripOptions {
  /** Where the .keras files, the data for Python and Python's dumps go. */
  dir: string;
  distributions: readonly DistributionKind[];
  /** Epochs of each leg. */
  epochs: number;
  seed: number;
  devices: KerasDevices;
}

/** One Strata leg: the loss on the training data before and after, each epoch's loss, and the optimizer's step count after. */
export interface StrataLeg {
  lossBefore: number;
  history: number[];
  lossAfter: number;
  iterations: number;
}

/** A hand-over's largest absolute difference between the two sides' values. */
export interface HandOver {
  weights: number;
  optimizer: number;
}

export interface ResumedLeg {
  distribution: DistributionKind;
  keras: KerasLegReport;
  /** Strata's optimizer variables after the first leg vs Keras's as it loaded them. */
  intoKeras: Pick<HandOver, 'optimizer'>;
  /** Keras's weights and optimizer variables after its leg vs Strata's as it loaded them. */
  back: HandOver;
  /** `optimizer.iterations` of the model Strata loaded, before it trains. */
  loadedIterations: number;
  strata: StrataLeg;
}

export interface TripReport {
  model: string;
  deviceCount: number;
  platform: string;
  first: StrataLeg;
  /** Legs 2 and 3 as Strata alone trains them, continuing the first leg's model without a hand-over. */
  alone: [StrataLeg, StrataLeg];
  legs: ResumedLeg[];
}

/** A model and the data it makes the trip on. */
export interface Trip {
  model: TripModel;
  split: Split;
}

/** Each trip, every Python leg in one Python process. */
export async function runTrips(trips: readonly Trip[], opts: TripOptions): Promise<TripReport[]> {
  const started = [];
  for (const { model, split } of trips) started.push(await startTrip(model, split, opts));
  const requests = started.flatMap((s) => s.requests);
  const keras = await runKerasLegs(requests, opts.devices);
  const reports: TripReport[] = [];
  let next = 0;
  for (const s of started) {
    const legs: ResumedLeg[] = [];
    for (const request of s.requests) legs.push(await resume(s, request, keras.legs[next++], opts));
    dispose(s.tensors);
    reports.push({ model: s.model.name, deviceCount: keras.deviceCount, platform: keras.platform, first: s.first, alone: s.alone, legs });
  }
  return reports;
}

interface StartedTrip {
  model: TripModel;
  data: TripData;
  tensors: Tensor[];
  first: StrataLeg;
  alone: [StrataLeg, StrataLeg];
  /** Strata's optimizer variables as saved. */
  optimizerValues: Float32Array[];
  requests: KerasLegRequest[];
}

async function startTrip(model: TripModel, split: Split, opts: TripOptions): Promise<StartedTrip> {
  const dir = join(opts.dir, model.name);
  mkdirSync(dir, { recursive: true });
  setRandomSeed(opts.seed);
  const data = model.prepare(split);
  const files = { x: await writeData(data.x, join(dir, 'x')), y: await writeData(data.y, join(dir, 'y')) };
  const network = model.build();
  const first = await strataLeg(network, model, data, opts);
  const saved = join(dir, 'strata-1.keras');
  await network.save(saved);
  const optimizerValues = await Promise.all(network.optimizer.variables().map(floats));
  const kernel = network.trainableWeights.find((v) => v.name.endsWith('/kernel'));
  if (!kernel) throw new Error(`${model.name}: the trip shards a kernel, and the model has none`);
  const [kernelName, kernelRank] = [kernel.name, kernel.rank];
  const alone: [StrataLeg, StrataLeg] = [await strataLeg(network, model, data, opts), await strataLeg(network, model, data, opts)];
  network.dispose();
  const requests = opts.distributions.map((distribution): KerasLegRequest => ({
    input: saved,
    output: join(dir, `keras-${distribution}.keras`),
    ...files,
    distribution,
    shard: kernelName,
    shardRank: kernelRank,
    epochs: opts.epochs,
    batchSize: model.batchSize,
    shuffle: false,
    seed: opts.seed,
    dump: join(dir, `keras-${distribution}`),
  }));
  return { model, data, tensors: [...tensorsOf(data.x), ...tensorsOf(data.y)], first, alone, optimizerValues, requests };
}

async function resume(s: StartedTrip, request: KerasLegRequest, keras: KerasLegReport, opts: TripOptions): Promise<ResumedLeg> {
  const intoKeras = { optimizer: maxDiff(s.optimizerValues, readDump(request.dump, 'loaded_optimizer', s.optimizerValues.length)) };
  const network = await loadModel<SymbolicStructure>(request.output);
  try {
    const weights = await Promise.all(network.weights.map(floats));
    const optimizer = await Promise.all(network.optimizer.variables().map(floats));
    const back = {
      weights: maxDiff(weights, readDump(request.dump, 'weight', weights.length)),
      optimizer: maxDiff(optimizer, readDump(request.dump, 'optimizer', optimizer.length)),
    };
    const loadedIterations = network.optimizer.iterations;
    const strata = await strataLeg(network, s.model, s.data, opts);
    await network.save(join(opts.dir, s.model.name, `strata-3-${request.distribution}.keras`));
    return { distribution: request.distribution, keras, intoKeras, back, loadedIterations, strata };
  } finally {
    network.dispose();
  }
}

async function strataLeg(network: Model<SymbolicStructure>, model: TripModel, data: TripData, opts: TripOptions): Promise<StrataLeg> {
  const evaluate = async (): Promise<number> => (await network.evaluate(data.x, data.y, { batchSize: model.batchSize, verbose: 0, returnDict: true })).loss;
  const lossBefore = await evaluate();
  const history = await network.fit(data.x, data.y, { epochs: opts.epochs, batchSize: model.batchSize, shuffle: false, verbose: 0 });
  return { lossBefore, history: history.history.loss, lossAfter: await evaluate(), iterations: network.optimizer.iterations };
}

/** Each tensor as `<base>.npy`, or for a record `<base>.<name>.npy`. */
async function writeData(data: TripData['x'], base: string): Promise<NpyFiles> {
  const write = async (t: Tensor, path: string): Promise<string> => {
    writeNpy(path, { values: await t.data(), shape: [...t.shape] });
    return path;
  };
  if ('shape' in data) return write(data as Tensor, `${base}.npy`);
  const files: Record<string, string> = {};
  for (const [name, t] of Object.entries(data)) files[name] = await write(t, `${base}.${name}.npy`);
  return files;
}

async function floats(t: Tensor): Promise<Float32Array> {
  return Float32Array.from(await t.data());
}

/** `<dir>/<prefix>_0.npy …`, exactly `count` of them. */
function readDump(dir: string, prefix: string, count: number): Float32Array[] {
  const path = (i: number): string => join(dir, `${prefix}_${i}.npy`);
  if (existsSync(path(count))) throw new Error(`${dir}: Python dumped more ${prefix} arrays than Strata's ${count}`);
  return Array.from({ length: count }, (_, i) => Float32Array.from(readNpy(path(i)).values));
}

/** The largest absolute difference, element by element; lists of different lengths or sizes are an error. */
export function maxDiff(a: readonly Float32Array[], b: readonly Float32Array[]): number {
  let worst = 0;
  a.forEach((values, i) => {
    if (values.length !== b[i].length) throw new Error(`array ${i}: ${values.length} values vs ${b[i].length}`);
    for (let j = 0; j < values.length; j++) worst = Math.max(worst, Math.abs(values[j] - b[i][j]));
  });
  return worst;
}
