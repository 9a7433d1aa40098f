/** Command-line options of the MNIST example: `--model mlp|convnet`, `--backend cpu|webgpu`, `--epochs N`, `--dataset mnist|fashion`, `--seed N`. */
export interface MnistOptions {
  /** The book's chapter 2 network (Dense 512 → 10, batch 128) or its chapter 8 convnet (batch 64). */
  model: 'mlp' | 'convnet';
  backend: 'cpu' | 'webgpu' | 'auto';
  epochs: number;
  dataset: 'mnist' | 'fashion';
  batchSize: number;
  /** Global seed (`setRandomSeed`): initial weights and batch order; the run is reproducible. */
  seed: number;
}

/** The seed of the runs reported in README.md and BENCHMARKS.md. */
export const DEFAULT_SEED = 0;

const USAGE = 'usage: main [--model mlp|convnet] [--backend cpu|webgpu] [--epochs N] [--batch-size N] [--dataset mnist|fashion] [--seed N]';

/** `defaults` lets another example start from its own epochs and batch size. */
export function parseOptions(argv: readonly string[], defaults: Partial<MnistOptions> = {}): MnistOptions {
  const opts: MnistOptions = { model: 'mlp', backend: 'auto', epochs: 5, dataset: 'mnist', batchSize: 128, seed: DEFAULT_SEED, ...defaults };
  let batchSizeGiven = defaults.batchSize !== undefined;
  const args = argv.filter((a) => a !== '--'); // package managers may forward a bare separator
  for (let i = 0; i < args.length; i++) {
    const flag = args[i];
    const value = args[++i];
    if (value === undefined) throw new Error(`${flag}: missing value\n${USAGE}`);
    switch (flag) {
      case '--backend':
        if (value !== 'cpu' && value !== 'webgpu') throw new Error(`--backend must be cpu or webgpu, got ${value}`);
        opts.backend = value;
        break;
      case '--epochs':
      case '--batch-size':
      case '--seed': {
        const n = Number(value);
        const least = flag === '--seed' ? 0 : 1;
        if (!Number.isInteger(n) || n < least) throw new Error(`${flag} must be an integer ≥ ${least}, got ${value}`);
        if (flag === '--epochs') opts.epochs = n;
        else if (flag === '--batch-size') [opts.batchSize, batchSizeGiven] = [n, true];
        else opts.seed = n;
        break;
      }
      case '--model':
        if (value !== 'mlp' && value !== 'convnet') throw new Error(`--model must be mlp or convnet, got ${value}`);
        opts.model = value;
        break;
      case '--dataset':
        if (value !== 'mnist' && value !== 'fashion') throw new Error(`--dataset must be mnist or fashion, got ${value}`);
        opts.dataset = value;
        break;
      default:
        throw new Error(`unknown option ${flag}\n${USAGE}`);
    }
  }
  // The book trains its convnet with batches of 64.
  if (opts.model === 'convnet' && !batchSizeGiven) opts.batchSize = 64;
  return opts;
}
