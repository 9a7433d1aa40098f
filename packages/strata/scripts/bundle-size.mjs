// Browser bundle sizes for BENCHMARKS.md: Strata's tarballs (packed from this workspace) and TensorFlow.js
// 4.22 from npm, installed into a temporary project and bundled the same way, esbuild --bundle --minify
// --format=esm --splitting --platform=browser (and, for the web app, vite build with no options); gzip at
// zlib's default level. Prints a markdown table. Run from the repository root:
//   node packages/strata/scripts/bundle-size.mjs
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const workspace = join(here, '../../..');
const project = mkdtempSync(join(tmpdir(), 'strata-bundle-size-'));
const sh = (command, args) => execFileSync(command, args, { cwd: project, stdio: ['ignore', 'ignore', 'inherit'] });

// The test's web app (trains MNIST: Sequential, layers, parseIdx, setBackend), or a whole API kept alive.
const ENTRIES = {
  'strata web app': 'web/main.ts',
  'strata, whole API': "import * as strata from 'strata';\nglobalThis.strata = strata;\n",
  // the same network trained with tfjs's named imports (tree shaking may drop what the app does not use)
  '@tensorflow/tfjs web app': `import { layers, sequential, setBackend, tensor } from '@tensorflow/tfjs';
await setBackend('webgl');
const model = sequential({ layers: [layers.dense({ units: 512, activation: 'relu', inputShape: [784] }), layers.dense({ units: 10, activation: 'softmax' })] });
model.compile({ optimizer: 'rmsprop', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
await model.fit(tensor([[0]]), tensor([[0]]), { epochs: 1, batchSize: 128 });
`,
  '@tensorflow/tfjs, whole API': "import * as tf from '@tensorflow/tfjs';\nglobalThis.tf = tf;\n",
  '@tensorflow/tfjs + tfjs-backend-webgpu': "import * as tf from '@tensorflow/tfjs';\nimport '@tensorflow/tfjs-backend-webgpu';\nglobalThis.tf = tf;\n",
};
const LAZY_WEBGPU = 'WebGPU backend (lazy chunk)';
const LAZY_H5WASM = 'h5wasm (lazy chunk, .keras files only)';
const LAZY_OTHER = 'other lazy chunks (saving to files)';
const AT_START = 'loaded at start';

/** Sums minified and gzipped bytes per part. */
function measure(files) {
  const parts = {};
  for (const { path, part } of files) {
    const bytes = readFileSync(path);
    const sizes = (parts[part] ??= [0, 0]);
    sizes[0] += bytes.length;
    sizes[1] += gzipSync(bytes).length;
  }
  return parts;
}

/** esbuild's outputs: the entry's and those it imports statically load at start; the rest by what they hold. */
function esbuild(name, entry) {
  const out = join(project, 'out', name.replace(/\W+/g, '-'));
  const meta = `${out}.json`;
  sh(join(project, 'node_modules/.bin/esbuild'), [entry, '--bundle', '--minify', '--format=esm', '--splitting', '--platform=browser', `--outdir=${out}`, `--metafile=${meta}`, '--log-level=error']);
  const outputs = JSON.parse(readFileSync(meta, 'utf8')).outputs;
  const atStart = new Set(Object.keys(outputs).filter((file) => outputs[file].entryPoint === entry));
  for (const file of atStart) {
    for (const { path, kind } of outputs[file].imports) if (kind === 'import-statement' && outputs[path]) atStart.add(path);
  }
  return Object.entries(outputs).filter(([file]) => file.endsWith('.js')).map(([file, output]) => {
    const inputs = Object.keys(output.inputs).join('\n');
    return { path: join(project, file), part: atStart.has(file) ? AT_START : lazyPart(inputs.includes('@strata/backend-webgpu/'), inputs.includes('h5wasm')) };
  });
}

function lazyPart(webgpu, h5wasm) {
  return webgpu ? LAZY_WEBGPU : h5wasm ? LAZY_H5WASM : LAZY_OTHER;
}

/** Vite's chunks: index.html's script and modulepreloads load at start; the rest by what they hold. */
function vite() {
  const out = join(project, 'out/vite');
  sh(join(project, 'node_modules/.bin/vite'), ['build', 'web', '--outDir', out, '--logLevel', 'error']);
  const html = readFileSync(join(out, 'index.html'), 'utf8');
  return readdirSync(join(out, 'assets')).filter((f) => f.endsWith('.js')).map((f) => {
    const path = join(out, 'assets', f);
    return { path, part: html.includes(`/assets/${f}`) ? AT_START : lazyPart(readFileSync(path, 'utf8').includes('subgroupBroadcast'), f.startsWith('hdf5')) };
  });
}

try {
  writeFileSync(join(project, 'package.json'), '{ "private": true, "type": "module" }\n');
  cpSync(join(here, '../test/fixtures/user-project/web'), join(project, 'web'), { recursive: true });
  execFileSync('npx', ['-y', 'pnpm@10', '--filter', 'strata...', 'pack', '--pack-destination', join(project, 'tarballs')], { cwd: workspace, stdio: ['ignore', 'ignore', 'inherit'] });
  const tarballs = readdirSync(join(project, 'tarballs')).map((f) => `./tarballs/${f}`);
  sh('npm', ['install', '--no-audit', '--no-fund', ...tarballs, 'esbuild@0.28.2', 'vite@8.3.8', '@tensorflow/tfjs@4.22.0', '@tensorflow/tfjs-backend-webgpu@4.22.0']);

  const rows = Object.entries(ENTRIES).map(([name, entry]) => {
    if (!entry.endsWith('.ts')) writeFileSync(join(project, 'entry.ts'), entry);
    return [`${name} (esbuild)`, measure(esbuild(name, entry.endsWith('.ts') ? entry : 'entry.ts'))];
  });
  rows.splice(1, 0, ['strata web app (Vite)', measure(vite())]);
  const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
  console.log('| bundle | part | minified | minified + gzip |\n|---|---|---:|---:|');
  for (const [name, parts] of rows) {
    for (const [part, [min, gz]] of Object.entries(parts).sort()) console.log(`| ${name} | ${part} | ${kib(min)} | ${kib(gz)} |`);
  }
} finally {
  rmSync(project, { recursive: true, force: true });
}
