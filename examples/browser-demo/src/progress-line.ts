// The in-place line Keras redraws while an epoch runs, `123/469 ━━━━━━━───── 12s 25ms/step - accuracy:
// 0.9012 - loss: 0.3301`, built in the worker from fit's batch callbacks: `fit`'s own `log` sink receives
// whole lines only (the `Epoch k/N` header and each epoch's final bar), which the page shows as they come.

const BAR_WIDTH = 20;

/** `12s`, `1:05`, `1:02:03`, as Keras writes an ETA. */
function eta(seconds: number): string {
  const s = Math.floor(seconds);
  const two = (n: number): string => String(n).padStart(2, '0');
  if (s >= 3600) return `${Math.floor(s / 3600)}:${two(Math.floor((s % 3600) / 60))}:${two(s % 60)}`;
  return s >= 60 ? `${Math.floor(s / 60)}:${two(s % 60)}` : `${s}s`;
}

function perStep(seconds: number): string {
  return seconds >= 1 ? `${Math.round(seconds)}s/step` : seconds >= 1e-3 ? `${Math.round(seconds * 1e3)}ms/step` : `${Math.round(seconds * 1e6)}us/step`;
}

/** The line after `done` of `steps` batches, `elapsed` seconds into the epoch, with the latest running means. */
export function progressLine(done: number, steps: number, elapsed: number, means: Readonly<Record<string, number>>): string {
  const filled = Math.floor((BAR_WIDTH * done) / steps);
  const bar = '━'.repeat(filled) + '─'.repeat(BAR_WIDTH - filled);
  const step = done > 0 ? elapsed / done : 0;
  const values = Object.keys(means).sort().map((name) => ` - ${name}: ${means[name].toFixed(4)}`).join('');
  return `${String(done).padStart(String(steps).length)}/${steps} ${bar} ${eta(step * (steps - done))} ${perStep(step)}${values}`;
}
