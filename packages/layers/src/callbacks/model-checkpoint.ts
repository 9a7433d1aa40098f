import { z } from 'zod';
import { parseOptions } from '../training/options.ts';
import { Callback, type Logs } from './callback.ts';
import { isImprovement, missingMonitorWarning, monitorDirection, type MonitorMode } from './monitor.ts';

export interface ModelCheckpointArgs {
  /**
   * Where to save, formatted like Keras's Python `str.format` with `epoch` (1-based) and the epoch's
   * logs: `ckpt-{epoch:02d}-{val_loss:.2f}.keras`. Ends in `.keras` (or `.weights.h5` with
   * `saveWeightsOnly`); `indexeddb://<key>` works too.
   */
  filepath: string;
  monitor?: string;
  /** Save only when `monitor` improves on the best value so far. */
  saveBestOnly?: boolean;
  saveWeightsOnly?: boolean;
  mode?: MonitorMode;
  /** With `saveBestOnly`, the value to beat before the first save. */
  initialValueThreshold?: number;
  verbose?: 0 | 1;
  log?: (line: string) => void;
}

const argsSchema = z.strictObject({
  filepath: z.string().min(1),
  monitor: z.string().min(1).default('val_loss'),
  saveBestOnly: z.boolean().default(false),
  saveWeightsOnly: z.boolean().default(false),
  mode: z.enum(['auto', 'min', 'max']).default('auto'),
  initialValueThreshold: z.number().optional(),
  verbose: z.union([z.literal(0), z.literal(1)]).default(0),
  log: z.custom<(line: string) => void>((v) => typeof v === 'function', 'expected a function').default(() => console.log),
});

/** Python's format spec for numbers, the common part: `{epoch:02d}`, `{val_loss:.2f}`, `{loss:.3e}`. */
function formatNumber(value: number, spec: string, key: string): string {
  const match = /^(0?)(\d*)(?:\.(\d+))?([dfe]?)$/.exec(spec);
  if (!match) throw new Error(`ModelCheckpoint: unsupported format "{${key}:${spec}}"; use d, f or e with optional zero padding, width and precision`);
  const [, zero, width, precision, type] = match;
  const digits = precision === undefined ? 6 : Number(precision);
  let text = type === 'd' ? String(Math.round(value)) : type === 'f' ? value.toFixed(digits) : type === 'e' ? value.toExponential(digits).replace(/e([+-])(\d)$/, (_, sign: string, d: string) => `e${sign}0${d}`) : String(value);
  if (type === 'd' && !Number.isInteger(value)) throw new Error(`ModelCheckpoint: "{${key}:${spec}}" needs an integer, got ${value}`);
  const pad = Number(width || 0) - text.length;
  if (pad > 0) text = zero ? (text.startsWith('-') ? `-${'0'.repeat(pad)}${text.slice(1)}` : '0'.repeat(pad) + text) : ' '.repeat(pad) + text;
  return text;
}

/** Fill `{name}` / `{name:spec}` fields from `values`; `{{` and `}}` are literal braces, as in Python. */
export function formatFilepath(template: string, values: Logs): string {
  return template.replace(/\{\{|\}\}|\{([^{}:]+)(?::([^{}]*))?\}/g, (field, key: string | undefined, spec: string | undefined) => {
    if (key === undefined) return field[0];
    const value = values[key];
    if (value === undefined) throw new Error(`ModelCheckpoint: the filepath field "{${key}}" is not available; available: ${Object.keys(values).join(', ')}`);
    return formatNumber(value, spec ?? '', key);
  });
}

/**
 * Keras's `ModelCheckpoint`: saves the model (or its weights) at the end of every epoch, or with
 * `saveBestOnly` only when `monitor` improves. Saves are atomic, so an interrupted run leaves the last
 * complete checkpoint.
 */
export class ModelCheckpoint extends Callback {
  readonly filepath: string;
  readonly monitor: string;
  readonly saveBestOnly: boolean;
  readonly saveWeightsOnly: boolean;
  readonly direction: 'min' | 'max';
  best: number;
  private readonly verbose: 0 | 1;
  private readonly log: (line: string) => void;

  constructor(args: ModelCheckpointArgs) {
    super();
    const o = parseOptions(argsSchema, args, 'ModelCheckpoint');
    const suffix = o.saveWeightsOnly ? '.weights.h5' : '.keras';
    if (!o.filepath.startsWith('indexeddb://') && !o.filepath.endsWith(suffix)) {
      throw new Error(`ModelCheckpoint: with saveWeightsOnly=${o.saveWeightsOnly} the filepath must end in "${suffix}", got "${o.filepath}"`);
    }
    this.filepath = o.filepath;
    this.monitor = o.monitor;
    this.saveBestOnly = o.saveBestOnly;
    this.saveWeightsOnly = o.saveWeightsOnly;
    this.direction = monitorDirection(o.monitor, o.mode);
    this.best = o.initialValueThreshold ?? (this.direction === 'min' ? Infinity : -Infinity);
    this.verbose = o.verbose;
    this.log = o.log;
  }

  async onEpochEnd(epoch: number, logs: Logs): Promise<void> {
    const path = formatFilepath(this.filepath, { ...logs, epoch: epoch + 1 });
    if (this.saveBestOnly) {
      const current = logs[this.monitor];
      if (current === undefined) return console.warn(missingMonitorWarning('ModelCheckpoint', this.monitor, Object.keys(logs)));
      if (!isImprovement(this.direction, current, this.best, 0)) {
        if (this.verbose) this.log(`Epoch ${epoch + 1}: ${this.monitor} did not improve from ${this.best.toFixed(5)}`);
        return;
      }
      if (this.verbose) this.log(`Epoch ${epoch + 1}: ${this.monitor} improved from ${this.best.toFixed(5)} to ${current.toFixed(5)}, saving model to ${path}`);
      this.best = current;
    } else if (this.verbose) {
      this.log(`Epoch ${epoch + 1}: saving model to ${path}`);
    }
    await (this.saveWeightsOnly ? this.model.saveWeights(path) : this.model.save(path));
  }
}
