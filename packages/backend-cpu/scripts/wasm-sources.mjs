// What the generated wasm module is built from, shared by gen-wasm.mjs and the staleness test:
// the AssemblyScript sources, the compiler flags and the compiler's version, hashed together.
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
export const assemblyDir = join(packageDir, 'assembly');

/** Flags common to both builds; the threaded one adds a shared memory import. 65536 pages = 4 GiB. */
export const COMMON_FLAGS = [
  '-O3', '--runtime', 'stub', '--noAssert', '--enable', 'simd', '--importMemory', '--initialMemory', '1', '--maximumMemory', '65536',
];
export const SHARED_FLAGS = ['--enable', 'threads', '--sharedMemory'];
/** The relaxed-SIMD builds (fused multiply-add in gemm), chosen at run time where the engine validates them. */
export const RELAXED_FLAGS = ['--enable', 'relaxed-simd'];

export function sourceHash() {
  const hash = createHash('sha256');
  const version = createRequire(import.meta.url)('assemblyscript/package.json').version;
  hash.update(`asc ${version}\n${COMMON_FLAGS.join(' ')}\n${SHARED_FLAGS.join(' ')}\n${RELAXED_FLAGS.join(' ')}\n`);
  for (const file of readdirSync(assemblyDir).filter((f) => f.endsWith('.ts')).sort()) {
    hash.update(`${file}\n${readFileSync(join(assemblyDir, file), 'utf8')}\n`);
  }
  return hash.digest('hex');
}
