// Loads TensorFlow.js 4.22 (core + layers) on one backend. tfjs-backend-webgpu runs in Node when
// `navigator.gpu` is Dawn's GPU object (from the `webgpu` package) before the backend loads.
import type * as TfCore from '@tensorflow/tfjs-core';
import type * as TfLayers from '@tensorflow/tfjs-layers';

export type TfjsBackend = 'cpu' | 'wasm' | 'webgpu';

export interface Tfjs {
  readonly tf: typeof TfCore;
  readonly tfl: typeof TfLayers;
}

/** CommonJS packages imported from ESM: the namespace's `default` is the module object. */
const cjs = <T>(ns: T): T => (ns as T & { default?: T }).default ?? ns;

async function exposeDawnAsNavigatorGpu(): Promise<void> {
  const dawn = await import('webgpu');
  Object.assign(globalThis, dawn.globals);
  Object.defineProperty(globalThis, 'navigator', { value: { gpu: dawn.create([]) }, configurable: true });
}

export async function loadTfjs(backend: TfjsBackend): Promise<Tfjs> {
  if (backend === 'webgpu') await exposeDawnAsNavigatorGpu();
  const tf = cjs(await import('@tensorflow/tfjs-core'));
  const tfl = cjs(await import('@tensorflow/tfjs-layers'));
  if (backend === 'cpu') await import('@tensorflow/tfjs-backend-cpu');
  if (backend === 'wasm') await import('@tensorflow/tfjs-backend-wasm');
  if (backend === 'webgpu') await import('@tensorflow/tfjs-backend-webgpu');
  if (!(await tf.setBackend(backend))) throw new Error(`tfjs: backend '${backend}' failed to initialize`);
  await tf.ready();
  return { tf, tfl };
}
