/**
 * Keras 3's progress bar text:
 *   verbose 1: `469/469 ━━━━━━━━━━━━━━━━━━━━ 3s 6ms/step - accuracy: 0.9254 - loss: 0.2587`
 *              (an ETA instead of the totals while running; redrawn in place on a TTY)
 *   verbose 2: `469/469 - 3s - 6ms/step - accuracy: 0.9254 - loss: 0.2587` (once, at the end)
 */

/** Receives whole lines (no trailing newline). */
export type LogSink = (line: string) => void;

const BAR_WIDTH = 20;
const BAR_CHAR = '━';

/** Python's `%.4f` above 1e-3, else `%.4e` (`1.2345e-04`), as Keras prints metric values. */
export function formatValue(v: number): string {
  if (Math.abs(v) > 1e-3 || !Number.isFinite(v)) return Number.isFinite(v) ? v.toFixed(4) : String(v).toLowerCase().replace('infinity', 'inf');
  const [mantissa, exponent] = v.toExponential(4).split('e');
  const e = Number(exponent);
  return `${mantissa}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
}

/** Keras's time per step: `6ms/step`, `1s/step`, `350us/step`. */
export function formatStepTime(seconds: number): string {
  if (seconds >= 1 || seconds === 0) return `${Math.round(seconds)}s/step`;
  if (seconds >= 1e-3) return `${Math.round(seconds * 1e3)}ms/step`;
  return `${Math.round(seconds * 1e6)}us/step`;
}

function formatEta(seconds: number): string {
  const s = Math.floor(seconds);
  const two = (n: number): string => String(n).padStart(2, '0');
  if (s > 3600) return `${Math.floor(s / 3600)}:${two(Math.floor((s % 3600) / 60))}:${two(s % 60)}`;
  if (s > 60) return `${Math.floor(s / 60)}:${two(s % 60)}`;
  return `${s}s`;
}

/** Keras shows logs sorted by name (`accuracy` before `loss`); `val_` entries come after, also sorted. */
export function sortLogs(values: Readonly<Record<string, number>>): Record<string, number> {
  const rank = (k: string): string => (k.startsWith('val_') ? `1${k}` : `0${k}`);
  return Object.fromEntries(Object.entries(values).sort(([a], [b]) => (rank(a) < rank(b) ? -1 : rank(a) > rank(b) ? 1 : 0)));
}

function formatValues(values: Readonly<Record<string, number>>): string {
  return Object.entries(values).map(([k, v]) => ` - ${k}: ${formatValue(v)}`).join('');
}

/** Where progress goes: whole lines to a sink, or a redrawable line on a TTY. */
interface Output {
  readonly dynamic: boolean;
  line(text: string): void;
  redraw(text: string): void;
}

function outputFor(sink: LogSink | undefined): Output {
  const stdout = typeof process !== 'undefined' ? process.stdout : undefined;
  if (!sink && stdout?.isTTY) {
    let width = 0;
    return {
      dynamic: true,
      line: (text) => { stdout.write(`\r${text.padEnd(width)}\n`); width = 0; },
      redraw: (text) => { stdout.write(`\r${text.padEnd(width)}`); width = text.length; },
    };
  }
  const write = sink ?? ((text: string) => console.log(text));
  return { dynamic: false, line: write, redraw: () => {} };
}

export class Progbar {
  private readonly out: Output;
  private readonly started = performance.now();

  constructor(private readonly target: number, private readonly verbose: 0 | 1 | 2, sink?: LogSink) {
    this.out = outputFor(sink);
  }

  /** A line of its own (e.g. `Epoch 1/5`), printed when verbose > 0. */
  message(text: string): void {
    if (this.verbose > 0) this.out.line(text);
  }

  /** Progress after `current` steps with the latest known values; `finalize` ends the line. */
  update(current: number, values: Readonly<Record<string, number>>, finalize = false): void {
    if (this.verbose === 0 || (!finalize && !(this.verbose === 1 && this.out.dynamic))) return;
    const elapsed = (performance.now() - this.started) / 1000;
    const perStep = current > 0 ? elapsed / current : 0;
    const count = `${String(current).padStart(String(this.target).length)}/${this.target}`;
    if (this.verbose === 2) {
      this.out.line(`${count} - ${Math.round(elapsed)}s - ${formatStepTime(perStep)}${formatValues(values)}`);
      return;
    }
    const filled = Math.floor((BAR_WIDTH * current) / this.target);
    const bar = this.out.dynamic
      ? `\x1b[32m${BAR_CHAR.repeat(filled)}\x1b[0m\x1b[37m${BAR_CHAR.repeat(BAR_WIDTH - filled)}\x1b[0m`
      : BAR_CHAR.repeat(BAR_WIDTH);
    const time = finalize ? `${Math.round(elapsed)}s ${formatStepTime(perStep)}` : formatEta(perStep * (this.target - current));
    const text = `${count} ${bar} ${time}${formatValues(values)}`;
    if (finalize) this.out.line(text);
    else this.out.redraw(text);
  }
}
