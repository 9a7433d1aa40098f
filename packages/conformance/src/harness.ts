import { afterAll, beforeAll, beforeEach, describe } from 'vitest';
import { provideBackend, setBackend, type Backend } from '@strata/core';
import { BACKENDS, type BackendName } from './backends.ts';

/**
 * Run `body` (which declares tests) once per backend, each inside `describe(name)`. The backend is created
 * in `beforeAll` and made current before every test. If it cannot start (no WebGPU adapter, say), every
 * one of its tests fails with the reason: a backend is never skipped. It is disposed in `afterAll` so
 * Node can exit.
 */
export function forEachBackend(body: (name: BackendName) => void): void {
  for (const b of BACKENDS) {
    describe(b.name, () => {
      let backend: Backend | undefined;
      let failure: Error | undefined;
      beforeAll(async () => {
        try {
          backend = await b.create();
          provideBackend(b.name, backend);
        } catch (err) {
          failure = new Error(`the ${b.name} backend could not start: ${(err as Error).message}`, { cause: err });
        }
      });
      beforeEach(async () => {
        if (failure) throw failure;
        await setBackend(b.name);
      });
      afterAll(async () => {
        await backend?.dispose();
      });
      body(b.name);
    });
  }
}
