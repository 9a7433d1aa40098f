import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Python Keras 3 (JAX backend) from the venv `pnpm test` creates (scripts/test-setup.sh). */
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const python = join(root, '.venv-keras/bin/python');

/**
 * One Python process running scripts/keras_check.py on `request` (a .keras path and data): it loads the
 * model in Keras and reports predictions, optimizer variables and two further training steps.
 */
export function kerasCheck<Report>(request: unknown): Promise<Report> {
  return kerasScript('keras_check.py', request);
}

/** One Python process running `script` (in packages/layers/scripts) with `request` as JSON on stdin; its JSON stdout. */
export function kerasScript<Report>(script: string, request: unknown): Promise<Report> {
  if (!existsSync(python)) throw new Error(`Python Keras is missing (${python}): pnpm test creates .venv-keras with keras, jax and h5py (scripts/test-setup.sh); see its warning`);
  return new Promise((resolvePromise, reject) => {
    const child = spawn(python, [join(root, 'packages/layers/scripts', script)], { env: { ...process.env, KERAS_BACKEND: 'jax', JAX_PLATFORMS: 'cpu' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolvePromise(JSON.parse(stdout) as Report) : reject(new Error(`${script} exited with ${code}:\n${stderr.slice(-3000)}`))));
    child.stdin.end(JSON.stringify(request));
  });
}
