import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, watch, writeFileSync, type FSWatcher } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { Sequential, layers, loadModel } from '../src/index.ts';
import { values } from './helpers.ts';

const here = dirname(fileURLToPath(import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'strata-atomic-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Run the save loop in a child process; once save number `afterSave` has begun, SIGKILL the child at the
 * first change the save makes in the directory (a file created or written), so the kill lands while that
 * save is writing. Resolves to the last save that finished.
 */
function killDuringSave(script: string, path: string, afterSave: number, units = 512): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, path, String(units)], { stdio: ['ignore', 'pipe', 'pipe'] });
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

const script = join(dir, 'save-loop.mjs');
const built = build({ entryPoints: [join(here, 'fixtures/save-loop.ts')], bundle: true, platform: 'node', format: 'esm', target: 'node20', external: ['webgpu'], outfile: script, logLevel: 'error' });
const temporaries = (folder: string): string[] => readdirSync(folder).filter((f) => f.endsWith('.tmp'));

describe('atomic save', () => {
  it('a process killed in the middle of saving leaves the previous file intact and loadable', async () => {
    await built;
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

  it('50 kills in a row, 5 processes at a time (a small model): the previous file is intact and loadable every time', async () => {
    await built;
    let midWrite = 0;
    for (let wave = 0; wave < 10; wave++) {
      await Promise.all(Array.from({ length: 5 }, async (_, i) => {
        const folder = join(dir, `kill-${wave}-${i}`);
        mkdirSync(folder);
        const path = join(folder, 'model.keras');
        const lastSaved = await killDuringSave(script, path, 1 + ((wave + i) % 3), 8);
        if (temporaries(folder).length) midWrite++;
        const model = await loadModel(path);
        const weights = await Promise.all(model.weights.map(values));
        expect([lastSaved, lastSaved + 1]).toContain(weights[0][0]);
        for (const w of weights) expect(w.every((v) => v === weights[0][0])).toBe(true);
        model.dispose();
      }));
    }
    expect(midWrite).toBeGreaterThan(0); // some kills did land while a temporary file was being written
  });

  it('the temporary files of killed saves are removed by the next save to the same path', async () => {
    await built;
    const folder = join(dir, 'debris');
    mkdirSync(folder);
    const path = join(folder, 'model.keras');
    for (let kill = 0; kill < 4; kill++) await killDuringSave(script, path, 1);
    // one more, certainly stale: a process that has exited, and a file named as its save would be
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    writeFileSync(join(folder, `.model.keras.${gone}.1.tmp`), 'partial');
    const other = join(folder, '.other.keras.1.1.tmp'); // another target's temporary is left alone
    writeFileSync(other, 'x');
    expect(temporaries(folder).length).toBeGreaterThanOrEqual(2);
    await new Sequential([layers.dense({ units: 2, inputShape: [3] })]).save(path);
    expect(temporaries(folder)).toEqual(['.other.keras.1.1.tmp']);
  });

  it('a save into a missing directory names the target and the directory, not the temporary file', async () => {
    const path = join(dir, 'no', 'such', 'm.keras');
    await expect(new Sequential([layers.dense({ units: 2, inputShape: [3] })]).save(path)).rejects.toThrow(`save: cannot write "${path}": the directory "${join(dir, 'no', 'such')}" does not exist`);
  });
});
