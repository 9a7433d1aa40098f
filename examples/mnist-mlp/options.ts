/** Command-line options of the MNIST example: `--backend cpu|webgpu`, `--epochs N`, `--dataset mnist|fashion`. */
export interface MnistOptions {
  backend: 'cpu' | 'webgpu' | 'auto';
  epochs: number;
  dataset: 'mnist' | 'fashion';
  batchSize: number;
}

const USAGE = 'usage: main [--backend cpu|webgpu] [--epochs N] [--batch-size N] [--dataset mnist|fashion]';

export function parseOptions(argv: readonly string[]): MnistOptions {
  const opts: MnistOptions = { backend: 'auto', epochs: 5, dataset: 'mnist', batchSize: 128 };
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
      case '--batch-size': {
        const n = Number(value);
        if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} must be a positive integer, got ${value}`);
        if (flag === '--epochs') opts.epochs = n;
        else opts.batchSize = n;
        break;
      }
      case '--dataset':
        if (value !== 'mnist' && value !== 'fashion') throw new Error(`--dataset must be mnist or fashion, got ${value}`);
        opts.dataset = value;
        break;
      default:
        throw new Error(`unknown option ${flag}\n${USAGE}`);
    }
  }
  return opts;
}
