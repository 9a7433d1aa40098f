// End to end: build the page, serve it, and drive Debian's Chromium (playwright-core) through every
// panel: once with WebGPU on SwiftShader, once with WebGPU unavailable (the CPU fallback).
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDemo } from '../build.ts';
import { serveStatic, type StaticServer } from '../server.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SITE = join(ROOT, 'build/site');
const ARTIFACTS = join(ROOT, 'test-artifacts');
const CHROMIUM = '/usr/bin/chromium';
const BASE_FLAGS = ['--headless', '--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const WEBGPU_FLAGS = ['--enable-unsafe-webgpu', '--use-webgpu-adapter=swiftshader'];

// The run of examples/mnist-mlp's CI test: 1 epoch of batch 128 over the first 2,000 training digits
// (16 steps), judged on the first 1,000 test digits. There Python Keras 3 reaches test accuracy
// 0.780–0.811 (seeds 0–4) and Strata 0.78–0.79 on both backends. The page runs seeded (`seed=1`, as that
// test) so the result repeats; unseeded runs spread wider (0.699 was seen once), which a fixed bar cannot
// judge. The bar leaves room below Keras's spread; an untrained or broken network sits near chance (0.10).
const TRAIN_DIGITS = 2000;
const TEST_DIGITS = 1000;
const ACCURACY_BAR = 0.7;
const SEED = 1;

let server: StaticServer;

beforeAll(async () => {
  await buildDemo(ROOT, SITE);
  await mkdir(ARTIFACTS, { recursive: true });
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

async function openPage(extraFlags: string[]): Promise<Session> {
  const userDataDir = await mkdtemp(join(tmpdir(), 'strata-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM, headless: true, args: [...BASE_FLAGS, ...extraFlags], viewport: { width: 1200, height: 900 } });
  const page = context.pages()[0] ?? (await context.newPage());
  await page.addInitScript(() => {
    const durations: number[] = [];
    Object.assign(window, { longTasks: durations });
    new PerformanceObserver((list) => { for (const entry of list.getEntries()) durations.push(entry.duration); }).observe({ type: 'longtask' });
  });
  const errors: string[] = [];
  page.on('console', (msg) => { if (msg.type() === 'error') errors.push(`console.error: ${msg.text()}`); });
  page.on('pageerror', (err) => errors.push(`uncaught: ${err.message}`));
  // (not 'requestfailed': Playwright reports a worker's 47 MB fetch as aborted when the browser closes
  // before its DevTools copy of the body is done, although the page read all of it)
  page.on('response', (res) => { if (res.status() >= 400) errors.push(`HTTP ${res.status()}: ${res.url()}`); });
  await page.goto(`${server.url}?train=${TRAIN_DIGITS}&test=${TEST_DIGITS}&seed=${SEED}`);
  return {
    page,
    errors,
    close: async () => {
      await context.close();
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}

async function backendShown(page: Page): Promise<{ name: string; text: string }> {
  const status = page.locator('#backend[data-backend]');
  await status.waitFor({ timeout: 60_000 });
  return { name: (await status.getAttribute('data-backend')) ?? '', text: (await status.textContent()) ?? '' };
}

interface TrainingResult {
  lossFirst: number;
  lossLast: number;
  accuracyLast: number;
  points: number;
  testAccuracy: number;
  samplesPerSecond: number;
  log: string;
  seconds: number;
  /** The longest main-thread task while training, in ms (0 when none passed the 50 ms long-task mark). */
  longestTask: number;
}

/** One epoch of batch 128 from the page's controls; resolves when the page shows the test accuracy. */
async function trainOneEpoch(page: Page): Promise<TrainingResult> {
  await page.getByLabel('Epochs').fill('1');
  await page.getByLabel('Batch size', { exact: true }).selectOption('128');
  await page.evaluate(() => { (window as unknown as { longTasks: number[] }).longTasks.length = 0; });
  const started = performance.now();
  await page.getByRole('button', { name: 'Start' }).click();
  await page.waitForFunction(() => document.querySelector('#test-accuracy')?.textContent !== '–', undefined, { timeout: 100_000 });
  const seconds = (performance.now() - started) / 1000;
  const number = async (selector: string, attribute?: string): Promise<number> => {
    const element = page.locator(selector);
    return Number(attribute ? await element.getAttribute(attribute) : await element.textContent());
  };
  return {
    lossFirst: await number('#loss-chart', 'data-first'),
    lossLast: await number('#loss-chart', 'data-last'),
    accuracyLast: await number('#accuracy-chart', 'data-last'),
    points: await number('#loss-chart', 'data-count'),
    testAccuracy: await number('#test-accuracy'),
    samplesPerSecond: await number('#samples-per-second'),
    log: (await page.locator('#progress-log').textContent()) ?? '',
    seconds,
    longestTask: await page.evaluate(() => Math.max(0, ...(window as unknown as { longTasks: number[] }).longTasks)),
  };
}

function expectLearned(result: TrainingResult): void {
  expect(result.points, 'the loss chart got points during training').toBeGreaterThanOrEqual(2);
  expect(result.lossLast, 'the charted loss (running epoch mean) fell').toBeLessThan(result.lossFirst * 0.9);
  expect(result.testAccuracy, `test accuracy on ${TEST_DIGITS} digits`).toBeGreaterThanOrEqual(ACCURACY_BAR);
  expect(result.longestTask, 'the main thread stays responsive while the worker trains (no task over 200 ms)').toBeLessThan(200);
  expect(result.log, 'the Keras progress line').toMatch(/16\/16 ━+ \d+s \d+(?:s|ms|us)\/step - accuracy: 0\.\d{4} - loss: \d\.\d{4}/);
}

function expectNoErrors(errors: string[]): void {
  expect(errors, `the page logged errors:\n${errors.join('\n')}`).toEqual([]);
}

/** A "7" drawn with mouse events: the top bar, then the diagonal. */
async function drawSeven(page: Page): Promise<void> {
  const box = (await page.locator('#draw').boundingBox())!;
  const at = (x: number, y: number): [number, number] => [box.x + x * box.width, box.y + y * box.height];
  await page.mouse.move(...at(0.3, 0.22));
  await page.mouse.down();
  await page.mouse.move(...at(0.72, 0.22), { steps: 10 });
  await page.mouse.move(...at(0.45, 0.8), { steps: 15 });
  await page.mouse.up();
}

async function checkPrediction(page: Page): Promise<{ digit: string; sum: number }> {
  await drawSeven(page);
  const bars = page.locator('#probabilities li');
  await expect.poll(() => bars.count(), { timeout: 30_000 }).toBe(10);
  const probabilities = (await bars.evaluateAll((items) => items.map((li) => Number((li as HTMLElement).dataset.probability))));
  const sum = probabilities.reduce((a, b) => a + b, 0);
  expect(probabilities.every((p) => p >= 0 && p <= 1)).toBe(true);
  expect(Math.abs(sum - 1), `probabilities ${probabilities.join(', ')} sum to ${sum}`).toBeLessThan(1e-4);
  return { digit: (await page.locator('#prediction').textContent()) ?? '', sum };
}

/** Rotation by 90°: every point (x, y) of the cloud must land on (−y, x). */
async function checkRotation(page: Page): Promise<void> {
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
}

/** 300 steps of each optimizer: momentum rolls through the ripples to the minimum, plain SGD stops in one. */
async function checkDescent(page: Page): Promise<number[]> {
  const losses = (): Promise<number[]> => page.locator('#descent-legend li').evaluateAll((items) => items.map((li) => Number((li as HTMLElement).dataset.loss)));
  const start = await losses();
  expect(start[0]).toBeCloseTo(30.25 / 20 + 2.25 + 0.15 * (1 - Math.cos(2.5 * -5.5)), 5); // f(−5.5, 1.5)
  await page.getByRole('button', { name: 'Roll' }).click();
  await page.waitForFunction(() => (document.querySelector('#descent-canvas') as HTMLElement).dataset.step === '300', undefined, { timeout: 30_000 });
  const [sgd, momentum, rmsprop] = await losses();
  expect(momentum, 'SGD with momentum reaches the global minimum f(0, 0) = 0').toBeLessThan(0.01);
  expect(sgd, 'plain SGD stops in a ripple').toBeGreaterThan(0.2);
  expect(rmsprop, 'RMSprop descends').toBeLessThan(start[2] / 2);
  return [sgd, momentum, rmsprop];
}

/** Open the page in a fresh browser, run `steps`, then require that nothing logged an error. */
async function withPage(extraFlags: string[], steps: (page: Page) => Promise<void>): Promise<void> {
  const session = await openPage(extraFlags);
  try {
    await steps(session.page);
    expectNoErrors(session.errors);
  } finally {
    await session.close();
  }
}

/** The backend shown must be `expected`; then one epoch must learn. Saves `<expected>-trained.png`. */
async function trainOn(page: Page, expected: 'webgpu' | 'cpu'): Promise<void> {
  const backend = await backendShown(page);
  expect(backend.name, backend.text).toBe(expected);
  const result = await trainOneEpoch(page);
  await page.screenshot({ path: join(ARTIFACTS, `${expected}-trained.png`), fullPage: true });
  console.log(`${backend.text}: ${result.samplesPerSecond} samples/s, loss ${result.lossFirst.toFixed(3)} → ${result.lossLast.toFixed(3)}, test accuracy ${result.testAccuracy} (${result.seconds.toFixed(1)} s; longest main-thread task ${result.longestTask} ms)`);
  expectLearned(result);
}

describe('browser demo in headless Chromium', () => {
  it('WebGPU (SwiftShader): trains, predicts a drawn digit, rotates points, rolls the balls', async () => {
    await withPage(WEBGPU_FLAGS, async (page) => {
      await trainOn(page, 'webgpu');
      const prediction = await checkPrediction(page);
      console.log(`drawn 7 predicted as ${prediction.digit}`);
      await checkRotation(page);
      const losses = await checkDescent(page);
      console.log(`descent losses after 300 steps (SGD, momentum, RMSprop): ${losses.map((l) => l.toFixed(4)).join(', ')}`);
      await page.screenshot({ path: join(ARTIFACTS, 'webgpu-panels.png'), fullPage: true });
    });
  });

  it('without WebGPU the page falls back to the CPU backend and trains', async () => {
    await withPage(['--disable-unsafe-webgpu'], async (page) => {
      await trainOn(page, 'cpu');
      await checkPrediction(page);
    });
  });
});
