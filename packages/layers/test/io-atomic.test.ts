import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, watch, type FSWatcher } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { loadModel } from '../src/index.ts';
import { values } from './helpers.ts';

const here = dirname(fileURLToPath(import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'strata-atomic-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Run the save loop in a child process; once save number `afterSave` has begun, SIGKILL the child at the
 * first change the save makes in the directory (a file created or written), so the kill lands while that
 * save is writing. Resolves to the last save that finished.
 */
function killDuringSave(script: string, path: string, afterSave: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, path], { stdio: ['ignore', 'pipe', 'pipe'] });
    let lastSaved = -1;
    let stderr = '';
    let watcher: FSWatcher | undefined;
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.stdout.on('data', (d: Buffer) => {
      for (const [, what, k] of String(d).matchAll(/(saving|saved) (\d+)/g)) {
        if (what === 'saved') lastSaved = Number(k);
        else if (Number(k) === afterSave) watcher = watch(dirname(path), () => child.kill('SIGKILL'));
      }
    });
    child.on('close', (_code, signal) => {
      watcher?.close();
      if (signal === 'SIGKILL') resolve(lastSaved);
      else reject(new Error(`the save loop ended without being killed: ${stderr}`));
    });
  });
}

describe('atomic save', () => {
  it('a process killed in the middle of saving leaves the previous file intact and loadable', async () => {
    const script = join(dir, 'save-loop.mjs');
    await build({ entryPoints: [join(here, 'fixtures/save-loop.ts')], bundle: true, platform: 'node', format: 'esm', target: 'node20', external: ['webgpu'], outfile: script, logLevel: 'error' });
    for (const round of [1, 2]) {
      mkdirSync(join(dir, `round-${round}`));
      const path = join(dir, `round-${round}`, 'model.keras');
      const lastSaved = await killDuringSave(script, path, 1);
      expect(lastSaved).toBeGreaterThanOrEqual(0);
      const model = await loadModel(path);
      const weights = await Promise.all(model.weights.map(values));
      const k = weights[0][0];
      // one complete save: the one that finished last, or the one in progress if its rename happened
      expect([lastSaved, lastSaved + 1]).toContain(k);
      for (const w of weights) expect(w.every((v) => v === k)).toBe(true);
      model.dispose();
    }
  });
});
