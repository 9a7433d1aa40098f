import { z } from 'zod';
import { parseOptions } from '../training/options.ts';
import { Callback, type Logs } from './callback.ts';

const argsSchema = z.strictObject({
  separator: z.string().min(1).default(','),
  append: z.boolean().default(false),
});

export type CSVLoggerArgs = z.input<typeof argsSchema>;

/** A number as Python's `str(float)` writes it: `1.0`, `0.25`, `1e-05`. */
function pythonFloat(v: number): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf';
  if (Number.isInteger(v) && Math.abs(v) < 1e16) return v.toFixed(1);
  if (v !== 0 && (Math.abs(v) < 1e-4 || Math.abs(v) >= 1e16)) return v.toExponential().replace(/e([+-])(\d)$/, 'e$10$2');
  return String(v);
}

/**
 * Keras's `CSVLogger`: one row per epoch, `epoch` then the logs sorted by name, to a CSV file (Node).
 * The header is written with the first row; with `append`, rows go after an existing file's (no header
 * again). Each row is appended as soon as its epoch ends, so an interrupted run keeps its rows.
 */
export class CSVLogger extends Callback {
  readonly filename: string;
  readonly separator: string;
  readonly append: boolean;
  private keys?: string[];
  private headerWritten = false;

  constructor(filename: string, args: CSVLoggerArgs = {}) {
    super();
    if (typeof filename !== 'string' || !filename) throw new Error(`CSVLogger: filename must be a non-empty string, got ${JSON.stringify(filename)}`);
    const o = parseOptions(argsSchema, args, 'CSVLogger');
    this.filename = filename;
    this.separator = o.separator;
    this.append = o.append;
  }

  async onTrainBegin(): Promise<void> {
    const { readFile, writeFile } = await import('node:fs/promises');
    this.keys = undefined;
    const existing = this.append ? await readFile(this.filename, 'utf8').catch(() => '') : '';
    this.headerWritten = existing.trim().length > 0;
    if (!this.append) await writeFile(this.filename, '');
  }

  async onEpochEnd(epoch: number, logs: Logs): Promise<void> {
    const { appendFile } = await import('node:fs/promises');
    this.keys ??= Object.keys(logs).sort();
    const header = this.headerWritten ? '' : `${['epoch', ...this.keys].join(this.separator)}\n`;
    const row = [String(epoch), ...this.keys.map((k) => (k in logs ? pythonFloat(logs[k]) : 'NA'))].join(this.separator);
    await appendFile(this.filename, `${header}${row}\n`);
    this.headerWritten = true;
  }
}
