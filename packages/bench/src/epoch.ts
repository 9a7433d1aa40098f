// `pnpm bench:epoch --backend cpu|webgpu --epochs N`: only Strata's book training, printing each epoch's time.
import { disposeBackends } from '@strata/layers';
import { batchOrder } from './data.ts';
import { strataTrainer, type StrataBackend } from './strata-training.ts';

const USAGE = 'usage: bench:epoch [--backend cpu|webgpu] [--epochs N]';

interface EpochOptions {
  backend: StrataBackend;
  epochs: number;
}

function parseEpochOptions(argv: readonly string[]): EpochOptions {
  const opts: EpochOptions = { backend: 'cpu', epochs: 1 };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (value === undefined) throw new Error(`${flag}: missing value\n${USAGE}`);
    if (flag === '--backend') {
      if (value !== 'cpu' && value !== 'webgpu') throw new Error(`--backend must be cpu or webgpu, got ${value}\n${USAGE}`);
      opts.backend = value;
    } else if (flag === '--epochs') {
      opts.epochs = Number(value);
      if (!Number.isInteger(opts.epochs) || opts.epochs < 1) throw new Error(`--epochs must be an integer ≥ 1, got ${value}\n${USAGE}`);
    } else {
      throw new Error(`unknown option ${flag}\n${USAGE}`);
    }
  }
  return opts;
}

export async function runEpochs(argv: readonly string[]): Promise<void> {
  const opts = parseEpochOptions(argv);
  const trainer = await strataTrainer(opts.backend);
  console.log(`Strata ${opts.backend}: the book's MNIST network, batch 128, ${opts.epochs} epoch(s)`);
  for (let epoch = 0; epoch < opts.epochs; epoch++) {
    await trainer.stage(batchOrder(trainer.trainSamples, epoch));
    const start = performance.now();
    await trainer.fit();
    const seconds = (performance.now() - start) / 1000;
    console.log(`epoch ${epoch + 1}/${opts.epochs}: ${seconds.toFixed(2)} s (${Math.round(trainer.trainSamples / seconds)} samples/s)`);
  }
  console.log(`test accuracy: ${(await trainer.testAccuracy()).toFixed(4)}`);
  await disposeBackends();
}
