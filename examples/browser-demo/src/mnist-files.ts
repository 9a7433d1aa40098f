// Fetch the raw uint8 MNIST files written by build.ts, reporting progress over all bytes.
import type { Split } from '@strata/datasets';
import { PIXELS, SIDE } from './protocol.ts';

async function fetchBytes(url: string, onBytes: (n: number) => void): Promise<Uint8Array> {
  const response = await fetch(url);
  if (!response.ok || !response.body) throw new Error(`loading ${url} failed: HTTP ${response.status} (run the build step: pnpm demo)`);
  const out = new Uint8Array(Number(response.headers.get('content-length')));
  const reader = response.body.getReader();
  let offset = 0;
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
    out.set(chunk.value, offset);
    offset += chunk.value.length;
    onBytes(chunk.value.length);
  }
  return out;
}

/** The first `count` samples of a split (`train` or `test`), as @strata/datasets gives them. */
export async function fetchSplit(split: 'train' | 'test', count: number, onBytes: (n: number) => void): Promise<Split> {
  const [images, labels] = await Promise.all([
    fetchBytes(`mnist/${split}-images.u8`, onBytes),
    fetchBytes(`mnist/${split}-labels.u8`, onBytes),
  ]);
  const n = Math.min(count, labels.length);
  return [
    { values: images.subarray(0, n * PIXELS), shape: [n, SIDE, SIDE] },
    { values: labels.subarray(0, n), shape: [n] },
  ];
}

/** Bytes of the four files, for the loading bar (60,000 + 10,000 digits of 784 bytes plus a label each). */
export const MNIST_BYTES = 70_000 * (PIXELS + 1);
