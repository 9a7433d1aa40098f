// End to end: build the page, serve it, and drive Debian's Chromium (playwright-core) through every
// panel: once with WebGPU on SwiftShader only (a software adapter, so the page picks the CPU and says
// why; WebGPU then by the page's switch), once without WebGPU and with a bad URL parameter. Screenshots of
// the page at start, mid-training and after training go to screenshots/ (committed, linked from the README).
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDemo } from '../build.ts';
import { serveStatic, type StaticServer } from '../server.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SITE = join(ROOT, 'build/site');
const SCREENSHOTS = join(ROOT, 'screenshots');
const CHROMIUM = '/usr/bin/chromium';
const BASE_FLAGS = ['--headless', '--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const WEBGPU_FLAGS = ['--enable-unsafe-webgpu', '--use-webgpu-adapter=swiftshader'];
const NO_WEBGPU_FLAGS = ['--disable-unsafe-webgpu'];

// The first 2,000 training digits, judged on the first 1,000 test digits, seeded (`seed=1`) so runs repeat.
// One epoch of batch 128 there (examples/mnist-mlp's CI run) reaches test accuracy 0.780–0.811 in Python
// Keras 3 (seeds 0–4) and 0.78–0.79 in Strata on both backends; the 3-epoch run below trains more. The bar
// leaves room below that; an untrained or broken network sits near chance (0.10).
const TRAIN_DIGITS = 2000;
const TEST_DIGITS = 1000;
const ACCURACY_BAR = 0.7;
const SEED = 1;
const QUERY = `train=${TRAIN_DIGITS}&test=${TEST_DIGITS}&seed=${SEED}`;

const STALE_CHUNK = 'chunk-FROMANOLDBUILD.js';
let server: StaticServer;

beforeAll(async () => {
  await mkdir(SITE, { recursive: true });
  await writeFile(join(SITE, STALE_CHUNK), '// left by an earlier build');
  await buildDemo(ROOT, SITE);
  await mkdir(SCREENSHOTS, { recursive: true });
  server = await serveStatic(SITE);
});

afterAll(async () => {
  await server?.close();
});

interface Session {
  page: Page;
  /** Console errors, uncaught exceptions and HTTP errors, from the page and its worker. */
  errors: string[];
  close(): Promise<void>;
}

interface Recorded {
  /** Main-thread tasks over 50 ms: start (performance.now() of the page) and duration, in ms. */
  longTasks: { start: number; duration: number }[];
  /** Every text the live progress line and the epoch counter showed. */
  progress: { epoch: string; line: string }[];
}

async function openPage(extraFlags: string[], query: string): Promise<Session> {
  const userDataDir = await mkdtemp(join(tmpdir(), 'strata-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM, headless: true, args: [...BASE_FLAGS, ...extraFlags], viewport: { width: 1280, height: 900 } });
  const page = context.pages()[0] ?? (await context.newPage());
  await page.addInitScript(() => {
    const recorded: Recorded = { longTasks: [], progress: [] };
    Object.assign(window, { recorded });
    new PerformanceObserver((list) => { for (const entry of list.getEntries()) recorded.longTasks.push({ start: entry.startTime, duration: entry.duration }); }).observe({ type: 'longtask' });
    addEventListener('DOMContentLoaded', () => {
      const live = document.getElementById('progress-live')!;
      const epoch = document.getElementById('epoch-counter')!;
      new MutationObserver(() => { if (live.textContent) recorded.progress.push({ epoch: epoch.textContent ?? '', line: live.textContent }); }).observe(live, { childList: true, characterData: true, subtree: true });
    });
  });
  const errors: string[] = [];
  page.on('console', (msg) => { if (msg.type() === 'error') errors.push(`console.error: ${msg.text()}`); });
  page.on('pageerror', (err) => errors.push(`uncaught: ${err.message}`));
  // (not 'requestfailed': Playwright reports a worker's 47 MB fetch as aborted when the browser closes
  // before its DevTools copy of the body is done, although the page read all of it)
  page.on('response', (res) => { if (res.status() >= 400) errors.push(`HTTP ${res.status()}: ${res.url()}`); });
  await page.goto(`${server.url}?${query}`);
  return {
    page,
    errors,
    close: async () => {
      await context.close();
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}

/** Open the page in a fresh browser, run `steps`, then require that nothing logged an error. */
async function withPage(extraFlags: string[], query: string, steps: (page: Page) => Promise<void>): Promise<void> {
  const session = await openPage(extraFlags, query);
  try {
    await steps(session.page);
    expect(session.errors, `the page logged errors:\n${session.errors.join('\n')}`).toEqual([]);
  } finally {
    await session.close();
  }
}

const recorded = (page: Page): Promise<Recorded> => page.evaluate(() => (window as unknown as { recorded: Recorded }).recorded);
const text = async (page: Page, selector: string): Promise<string> => (await page.locator(selector).textContent()) ?? '';
const attribute = async (page: Page, selector: string, name: string): Promise<string> => (await page.locator(selector).getAttribute(name)) ?? '';

/** Waits until the worker has its backend, data and model; returns the backend shown and the reason given. */
async function backendShown(page: Page): Promise<{ name: string; text: string; why: string }> {
  await page.locator('#backend[data-backend]').waitFor({ timeout: 60_000 });
  await expect.poll(() => page.locator('#start').isEnabled(), { timeout: 60_000 }).toBe(true);
  return { name: await attribute(page, '#backend', 'data-backend'), text: await text(page, '#backend'), why: await text(page, '#backend-why') };
}

/** Before any training: the page says so in the model line, the test grid, the prediction and the charts. */
async function checkUntrained(page: Page): Promise<void> {
  expect(await text(page, '#model-state')).toMatch(/untrained: random initial weights/);
  await expect.poll(() => page.locator('#test-grid li').count(), { timeout: 30_000 }).toBe(40);
  expect(await attribute(page, '#test-grid', 'data-untrained')).toBe('true');
  expect(await page.locator('#test-grid li.wrong').count(), 'no wrong-guess marks on an untrained model').toBe(0);
  expect(await text(page, '#grid-state')).toMatch(/untrained/);
  for (const chart of ['#loss-chart', '#accuracy-chart']) {
    expect(await attribute(page, chart, 'data-state')).toBe('untrained');
    expect(await attribute(page, chart, 'aria-label')).toMatch(/untrained/);
  }
  await drawSeven(page);
  await expect.poll(() => text(page, '#prediction-note'), { timeout: 30_000 }).toMatch(/untrained/);
  await page.getByRole('button', { name: 'Clear' }).click();
}

interface TrainingResult {
  lossFirst: number;
  lossLast: number;
  testAccuracy: number;
  samplesPerSecond: number;
  log: string;
  seconds: number;
  /** The longest main-thread task while training, in ms (0 when none passed the 50 ms long-task mark). */
  longestTask: number;
  progress: { epoch: string; line: string }[];
}

/** Train from the page's controls; resolves when the page shows the test accuracy. `during` runs once epoch 2 (or a later one) shows. */
async function train(page: Page, options: { epochs: number; batchSize: number; validation: boolean }, during?: () => Promise<void>): Promise<TrainingResult> {
  await page.getByLabel('Epochs').fill(String(options.epochs));
  await page.getByLabel('Batch size', { exact: true }).selectOption(String(options.batchSize));
  await page.getByLabel('hold out 10% for validation').setChecked(options.validation);
  await page.evaluate(() => { const r = (window as unknown as { recorded: Recorded }).recorded; r.longTasks.length = 0; r.progress.length = 0; });
  const started = performance.now();
  await page.getByRole('button', { name: 'Start' }).click();
  // a screenshot is itself a long task of the page: tasks that start while one is taken are not counted
  const pageNow = (): Promise<number> => page.evaluate(() => performance.now());
  let screenshotAt = [0, 0];
  if (during) {
    await page.waitForFunction(() => /Epoch [2-9]\//.test(document.querySelector('#epoch-counter')?.textContent ?? '') || document.querySelector('#test-accuracy')?.textContent !== '–', undefined, { timeout: 100_000 });
    const from = await pageNow();
    await during();
    screenshotAt = [from, await pageNow()];
  }
  await page.waitForFunction(() => document.querySelector('#test-accuracy')?.textContent !== '–', undefined, { timeout: 150_000 });
  const seconds = (performance.now() - started) / 1000;
  const { longTasks, progress } = await recorded(page);
  return {
    lossFirst: Number(await attribute(page, '#loss-chart', 'data-first')),
    lossLast: Number(await attribute(page, '#loss-chart', 'data-last')),
    testAccuracy: Number(await text(page, '#test-accuracy')),
    samplesPerSecond: Number(await text(page, '#samples-per-second')),
    log: await text(page, '#progress-log'),
    seconds,
    longestTask: Math.max(0, ...longTasks.filter((t) => t.start < screenshotAt[0] || t.start > screenshotAt[1]).map((t) => t.duration)),
    progress,
  };
}

/**
 * Loss fell, test accuracy passed the bar, Keras's final lines. On the CPU backend, also: no main-thread task
 * over 200 ms while the worker trains (not judged on SwiftShader, whose threads in the GPU process share the
 * host's cores with the page's main thread, so a loaded host stretches its tasks).
 */
function expectLearned(result: TrainingResult, steps: number, backend: 'cpu' | 'webgpu'): void {
  expect(result.lossLast, 'the charted loss fell').toBeLessThan(result.lossFirst * 0.9);
  expect(result.testAccuracy, `test accuracy on ${TEST_DIGITS} digits`).toBeGreaterThanOrEqual(ACCURACY_BAR);
  if (backend === 'cpu') expect(result.longestTask, 'the main thread stays responsive while the worker trains (no task over 200 ms)').toBeLessThan(200);
  expect(result.log, "Keras's final line of each epoch").toMatch(new RegExp(`${steps}/${steps} ━+ \\d+s \\d+(?:s|ms|us)/step - accuracy: 0\\.\\d{4} - loss: \\d\\.\\d{4}`));
}

/** The live line changed during an epoch: at least two different unfinished lines of one epoch, in Keras's form. */
function expectLiveProgress(result: TrainingResult, epochs: number, steps: number): void {
  const live = result.progress.filter(({ line }) => Number(line.trim().split('/')[0]) < steps);
  for (const { line } of live) expect(line).toMatch(new RegExp(`^ *\\d+/${steps} [━─]{20} \\d+(?::\\d+)*s? \\d+(?:s|ms|us)/step( - accuracy: [01]\\.\\d{4} - loss: \\d\\.\\d{4})?$`));
  const perEpoch = new Map<string, Set<string>>();
  for (const { epoch, line } of live) perEpoch.set(epoch, (perEpoch.get(epoch) ?? new Set()).add(line));
  const most = Math.max(0, ...[...perEpoch.values()].map((lines) => lines.size));
  expect(most, `in-place progress lines seen during one epoch: ${JSON.stringify(result.progress.slice(0, 12))}`).toBeGreaterThanOrEqual(2);
  expect([...perEpoch.keys()].every((label) => new RegExp(`^Epoch [1-${epochs}]/${epochs}$`).test(label))).toBe(true);
}

/** A "7" drawn with mouse events: the top bar, then the diagonal. */
async function drawSeven(page: Page): Promise<void> {
  await page.locator('#draw').scrollIntoViewIfNeeded(); // mouse events go to the viewport
  const box = (await page.locator('#draw').boundingBox())!;
  const at = (x: number, y: number): [number, number] => [box.x + x * box.width, box.y + y * box.height];
  await page.mouse.move(...at(0.3, 0.22));
  await page.mouse.down();
  await page.mouse.move(...at(0.72, 0.22), { steps: 10 });
  await page.mouse.move(...at(0.45, 0.8), { steps: 15 });
  await page.mouse.up();
}

async function checkPrediction(page: Page): Promise<string> {
  await drawSeven(page);
  const bars = page.locator('#probabilities li');
  await expect.poll(() => bars.count(), { timeout: 30_000 }).toBe(10);
  const probabilities = await bars.evaluateAll((items) => items.map((li) => Number((li as HTMLElement).dataset.probability)));
  const sum = probabilities.reduce((a, b) => a + b, 0);
  expect(probabilities.every((p) => p >= 0 && p <= 1)).toBe(true);
  expect(Math.abs(sum - 1), `probabilities ${probabilities.join(', ')} sum to ${sum}`).toBeLessThan(1e-4);
  return text(page, '#prediction');
}

/** Rotation by 90°: every point (x, y) of the cloud must land on (−y, x); the angle is only editable for rotations. */
async function checkGeometry(page: Page): Promise<void> {
  await page.getByLabel('Transform', { exact: true }).selectOption('rotation');
  await page.getByLabel('Angle θ (degrees)').fill('90');
  const output = page.locator('#geometry-points');
  const source = JSON.parse((await output.getAttribute('data-source'))!) as [number, number][];
  await expect.poll(async () => JSON.parse((await output.getAttribute('data-points'))!)[0][0]).toBeCloseTo(-source[0][1], 5);
  const moved = JSON.parse((await output.getAttribute('data-points'))!) as [number, number][];
  expect(moved).toHaveLength(source.length);
  source.forEach(([x, y], i) => {
    expect(moved[i][0]).toBeCloseTo(-y, 5);
    expect(moved[i][1]).toBeCloseTo(x, 5);
  });
  // the top right corner of the "F", (0.7, 1), goes to (−1, 0.7)
  const corner = source.findIndex(([x, y]) => Math.abs(x - 0.7) < 1e-9 && y === 1);
  expect(moved[corner][0]).toBeCloseTo(-1, 5);
  expect(moved[corner][1]).toBeCloseTo(0.7, 5);
  await page.getByLabel('Transform', { exact: true }).selectOption('translation');
  expect(await page.locator('#angle').isDisabled(), 'the angle is greyed out for a translation').toBe(true);
  await page.getByLabel('Transform', { exact: true }).selectOption('rotation');
  expect(await page.locator('#angle').isEnabled()).toBe(true);
}

interface BallState {
  loss: number;
  position: [number, number];
}

async function roll(page: Page): Promise<BallState[]> {
  await page.getByRole('button', { name: 'Roll' }).click();
  await page.waitForFunction(() => (document.querySelector('#descent-canvas') as HTMLElement).dataset.step === '300', undefined, { timeout: 60_000 });
  return page.locator('#descent-legend li').evaluateAll((items) => items.map((li) => ({ loss: Number((li as HTMLElement).dataset.loss), position: JSON.parse((li as HTMLElement).dataset.position!) as [number, number] })));
}

/** 300 steps of each optimizer on both surfaces; the knobs and a click on the surface change the paths. */
async function checkDescent(page: Page): Promise<string> {
  const [sgd, momentum, rmsprop] = await roll(page);
  expect(momentum.loss, 'ripples: SGD with momentum 0.9 reaches the global minimum f(0, 0) = 0').toBeLessThan(0.01);
  expect(sgd.loss, 'ripples: plain SGD stops in a ripple').toBeGreaterThan(0.2);
  expect(rmsprop.loss, 'ripples: RMSprop descends from f(−5.5, 1.5) ≈ 3.67').toBeLessThan(1);
  await page.locator('#descent-momentum').fill('0.5');
  await page.locator('#descent-momentum').dispatchEvent('change');
  const [, slower] = await roll(page);
  expect(slower.loss, 'ripples: with momentum 0.5 the ball stops in a ripple too').toBeGreaterThan(0.2);
  await page.locator('#descent-momentum').fill('0.9');
  await page.locator('#descent-momentum').dispatchEvent('change');
  await page.locator('#descent-surface').selectOption('well');
  const [wellSgd, wellMomentum] = await roll(page);
  expect(wellSgd.loss, 'two valleys: plain SGD settles in the shallow one (≈ 0.58)').toBeGreaterThan(0.5);
  expect(wellSgd.position[0]).toBeGreaterThan(0);
  expect(wellMomentum.loss, 'two valleys: momentum escapes to the deep one (≈ −0.62)').toBeLessThan(-0.5);
  expect(wellMomentum.position[0]).toBeLessThan(0);
  // a click at the canvas's point (x, y) = (−3, 1) of the surface (x in [−4, 4] over 500 pixels, y in [−2, 2] over 300)
  await page.locator('#descent-canvas').scrollIntoViewIfNeeded();
  const box = (await page.locator('#descent-canvas').boundingBox())!;
  await page.mouse.click(box.x + (box.width * (500 * (1 / 8))) / 570, box.y + box.height * 0.25);
  const start = JSON.parse(await attribute(page, '#descent-canvas', 'data-start')) as [number, number];
  expect(start[0]).toBeCloseTo(-3, 1);
  expect(start[1]).toBeCloseTo(1, 1);
  const [fromLeft] = await roll(page);
  expect(fromLeft.position[0], 'started in the deep valley, SGD stays there').toBeLessThan(0);
  return [sgd, momentum, rmsprop, slower, wellSgd, wellMomentum].map((b) => b.loss.toFixed(3)).join(', ');
}

/** The convnet: its first Conv2D's 32 kernels (3×3) at once, its 32 feature maps (26×26) of a drawn digit; one epoch trains it. */
async function checkConvnet(page: Page): Promise<TrainingResult> {
  await page.locator('#model-kind').selectOption('convnet');
  await expect.poll(() => attribute(page, '#filters-kernels', 'data-count'), { timeout: 60_000 }).toBe('32');
  expect(await attribute(page, '#filters-kernels', 'data-size')).toBe('3x3');
  expect(await text(page, '#model-state')).toMatch(/convnet.*untrained/);
  await drawSeven(page);
  await expect.poll(() => attribute(page, '#filters-maps', 'data-count'), { timeout: 60_000 }).toBe('32');
  expect(await attribute(page, '#filters-maps', 'data-size')).toBe('26x26');
  await page.getByRole('button', { name: 'Clear' }).click();
  const result = await train(page, { epochs: 1, batchSize: 128, validation: false });
  // the panel redraws from the trained weights after the epoch ends, a moment after train() returns
  await expect.poll(() => text(page, '#filters-status'), { timeout: 60_000 }).toMatch(/convnet.*trained for 1 epoch/);
  expect(result.lossLast, "the convnet's loss fell").toBeLessThan(result.lossFirst * 0.9);
  expect(result.testAccuracy, 'well above chance (0.10) after 16 steps').toBeGreaterThan(0.3);
  await page.locator('#model-kind').selectOption('mlp');
  await expect.poll(() => attribute(page, '#filters-kernels', 'data-count'), { timeout: 60_000 }).toBe('0');
  await expect.poll(() => page.locator('#start').isEnabled(), { timeout: 60_000 }).toBe(true);
  return result;
}

const screenshot = (page: Page, name: string): Promise<Buffer> => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });

describe('browser demo in headless Chromium', () => {
  it('the build empties build/site first: no stale hashed chunks', async () => {
    const files = await readdir(SITE);
    expect(files).not.toContain(STALE_CHUNK);
    expect(files.filter((f) => f.startsWith('hdf5') && f.endsWith('.js'))).toHaveLength(1);
  });

  it('SwiftShader only: the CPU is picked and the page says why; live Keras line, charts, untrained state, panels; WebGPU by the switch', async () => {
    await withPage(WEBGPU_FLAGS, QUERY, async (page) => {
      const backend = await backendShown(page);
      expect(backend.name, backend.text).toBe('cpu');
      expect(backend.why, 'the reason names the software adapter').toMatch(/webgpu not chosen: its adapter is a software fallback \(.*swiftshader.*\), slower than the CPU backend/i);
      expect(await attribute(page, '#loss-chart', 'data-x-label')).toBe('training step (batches)');
      expect(await attribute(page, '#loss-chart', 'data-y-label')).toBe('loss');
      expect(await attribute(page, '#accuracy-chart', 'data-y-label')).toBe('accuracy');
      await checkUntrained(page);
      expect(await page.locator('#errors').isHidden()).toBe(true);
      await screenshot(page, 'start');

      // batch 32: 57 steps an epoch, so that even a fast machine shows the in-place line more than once per epoch
      const steps = Math.ceil((TRAIN_DIGITS * 0.9) / 32);
      // mid-training: the train panel only (what changes), to keep the committed PNG small
      const midTraining = async (): Promise<void> => { await page.locator('#train-panel').screenshot({ path: join(SCREENSHOTS, 'mid-training.png') }); };
      const result = await train(page, { epochs: 3, batchSize: 32, validation: true }, midTraining);
      await screenshot(page, 'after-training');
      console.log(`${backend.text}: ${result.samplesPerSecond} samples/s, loss ${result.lossFirst.toFixed(3)} → ${result.lossLast.toFixed(3)}, test accuracy ${result.testAccuracy} (${result.seconds.toFixed(1)} s; ${result.progress.length} live lines; longest main-thread task ${result.longestTask} ms)`);
      expectLearned(result, steps, 'cpu');
      expectLiveProgress(result, 3, steps);
      expect(result.log).toMatch(/Epoch 3\/3/);
      expect(result.log, 'val_ values in the final line').toMatch(/ - val_accuracy: 0\.\d{4} - val_loss: \d\.\d{4}/);
      expect(await attribute(page, '#loss-chart', 'data-val-count'), 'a val_loss point per epoch').toBe('3');
      expect(await attribute(page, '#accuracy-chart', 'data-epoch-marks')).toBe('3');
      expect(await attribute(page, '#test-grid', 'data-untrained')).toBe('false');
      expect(await text(page, '#model-state')).toMatch(/trained for 3 epochs; test accuracy/);
      expect(result.progress.some(({ epoch }) => epoch === 'Epoch 2/3'), 'the epoch counter').toBe(true);
      console.log(`drawn 7 predicted as ${await checkPrediction(page)}`);
      expect(await text(page, '#prediction-note'), 'no untrained warning after training').toBe('');
      await page.getByRole('button', { name: 'Clear' }).click();

      await checkGeometry(page);
      console.log(`descent losses (ripples: SGD, momentum, RMSprop, momentum 0.5; two valleys: SGD, momentum): ${await checkDescent(page)}`);
      const convnet = await checkConvnet(page);
      console.log(`convnet, 1 epoch of batch 128: ${convnet.samplesPerSecond} samples/s, loss ${convnet.lossFirst.toFixed(3)} → ${convnet.lossLast.toFixed(3)}, test accuracy ${convnet.testAccuracy} (${convnet.seconds.toFixed(1)} s)`);

      await page.locator('#backend-switch').selectOption('webgpu');
      const gpu = await backendShown(page);
      expect(gpu.name, gpu.text).toBe('webgpu');
      expect(gpu.text, 'the page says the adapter is a software fallback').toMatch(/software fallback/);
      expect(gpu.why).toMatch(/as asked/);
      const onGpu = await train(page, { epochs: 1, batchSize: 128, validation: false });
      console.log(`${gpu.text}: ${onGpu.samplesPerSecond} samples/s, test accuracy ${onGpu.testAccuracy} (${onGpu.seconds.toFixed(1)} s; longest main-thread task ${onGpu.longestTask} ms)`);
      expectLearned(onGpu, 16, 'webgpu');
    });
  });

  it('a bad URL parameter and no WebGPU: in-page errors, every other panel works, the CPU trains', async () => {
    await withPage(NO_WEBGPU_FLAGS, `backend=gpu&${QUERY}`, async (page) => {
      const errors = page.locator('#errors');
      await errors.waitFor({ state: 'visible', timeout: 30_000 });
      expect(await errors.textContent()).toMatch(/URL parameter backend=gpu: expected one of cpu, webgpu; using the automatic choice instead/);
      const backend = await backendShown(page);
      expect(backend.name).toBe('cpu');
      expect(backend.why).toMatch(/webgpu unavailable/);
      await checkGeometry(page);
      const [, momentum] = await roll(page);
      expect(momentum.loss).toBeLessThan(0.01);
      const result = await train(page, { epochs: 1, batchSize: 128, validation: false });
      expectLearned(result, 16, 'cpu');
      // asking for WebGPU where there is none: the error is shown in words and the switch stays usable
      await page.locator('#backend-switch').selectOption('webgpu');
      await expect.poll(() => errors.textContent(), { timeout: 60_000 }).toMatch(/Training worker: .*WebGPU/);
      await page.locator('#backend-switch').selectOption('cpu');
      expect((await backendShown(page)).name).toBe('cpu');
    });
  });
});
