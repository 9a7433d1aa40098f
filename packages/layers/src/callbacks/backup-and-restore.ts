import { z } from 'zod';
import { loadWeights } from '../io/index.ts';
import { parseOptions } from '../training/options.ts';
import { Callback } from './callback.ts';

const argsSchema = z.strictObject({
  saveFreq: z.union([z.literal('epoch'), z.literal(false)], { error: "expected 'epoch' or false" }).default('epoch'),
  deleteCheckpoint: z.boolean().default(true),
});

export type BackupAndRestoreArgs = z.input<typeof argsSchema>;

/**
 * Keras's `BackupAndRestore` (Node): after every epoch the model's weights and optimizer state go to
 * `<backupDir>/latest.weights.h5` and the epoch count to `training_metadata.json`. When `fit` starts and a
 * backup exists (a previous run was interrupted), the weights and optimizer state are loaded back and
 * training resumes at the epoch after the last one saved (`resumeEpoch`). A run that finishes deletes the
 * backup (unless `deleteCheckpoint` is false).
 */
export class BackupAndRestore extends Callback {
  readonly backupDir: string;
  readonly saveFreq: 'epoch' | false;
  readonly deleteCheckpoint: boolean;
  /** The epoch fit starts at after a restore; undefined when nothing was restored. */
  resumeEpoch?: number;

  constructor(backupDir: string, args: BackupAndRestoreArgs = {}) {
    super();
    if (typeof backupDir !== 'string' || !backupDir) throw new Error(`BackupAndRestore: backupDir must be a non-empty string, got ${JSON.stringify(backupDir)}`);
    const o = parseOptions(argsSchema, args, 'BackupAndRestore');
    this.backupDir = backupDir;
    this.saveFreq = o.saveFreq;
    this.deleteCheckpoint = o.deleteCheckpoint;
  }

  private async paths(): Promise<{ weights: string; metadata: string }> {
    const { join } = await import('node:path');
    return { weights: join(this.backupDir, 'latest.weights.h5'), metadata: join(this.backupDir, 'training_metadata.json') };
  }

  async onTrainBegin(): Promise<void> {
    const { readFile } = await import('node:fs/promises');
    const { weights, metadata } = await this.paths();
    this.resumeEpoch = undefined;
    const text = await readFile(metadata, 'utf8').catch(() => undefined);
    if (text === undefined) return;
    const saved = JSON.parse(text) as { epoch?: unknown };
    if (!Number.isInteger(saved.epoch) || (saved.epoch as number) < 0) throw new Error(`BackupAndRestore: ${metadata} has no valid "epoch" (got ${JSON.stringify(saved.epoch)}); delete ${this.backupDir} to start afresh`);
    await loadWeights(this.model, weights); // the io function: the model's own loadWeights refuses while fit runs
    this.resumeEpoch = saved.epoch as number;
  }

  async onEpochEnd(epoch: number): Promise<void> {
    if (this.saveFreq === false) return;
    const { mkdir, rename, writeFile } = await import('node:fs/promises');
    const { weights, metadata } = await this.paths();
    await mkdir(this.backupDir, { recursive: true });
    await this.model.saveWeights(weights);
    // the epoch count after the weights, atomically: a crash in between resumes one epoch early, from the newer weights
    await writeFile(`${metadata}.tmp`, JSON.stringify({ epoch: epoch + 1, batch: -1 }));
    await rename(`${metadata}.tmp`, metadata);
  }

  async onTrainEnd(): Promise<void> {
    if (!this.deleteCheckpoint) return;
    const { rm } = await import('node:fs/promises');
    await rm(this.backupDir, { recursive: true, force: true });
  }
}
