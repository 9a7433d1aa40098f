// The machine's measured FMA peak (peak/fma-peak.c, compiled here with the system C compiler) and the
// floor it puts under the book's epoch.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** FLOPs of one book epoch in its five matmuls: forward ×2, dW ×2, dX of layer 2 (layer 1 needs no dX). */
export function epochMatmulFlops(samples = 60000): number {
  const [input, hidden, classes] = [784, 512, 10];
  return samples * (2 * 2 * input * hidden + 3 * 2 * hidden * classes);
}

/** Element-wise work and the optimizer step per epoch, as estimated in issue 9. */
export const EPOCH_ELEMENTWISE_FLOPS = 1.5e9;

export type Peak = { readonly gflops: number; readonly cores: number } | { readonly error: string };

export function measurePeak(): Peak {
  const source = fileURLToPath(new URL('../peak/fma-peak.c', import.meta.url));
  const binary = fileURLToPath(new URL('./fma-peak', import.meta.url));
  try {
    execFileSync('cc', ['-O3', '-march=native', '-pthread', source, '-o', binary], { stdio: 'pipe' });
    const [gflops, cores] = execFileSync(binary, { encoding: 'utf8' }).trim().split(/\s+/).map(Number);
    return { gflops, cores };
  } catch (err) {
    return { error: `no C compiler or the peak probe failed: ${(err as Error).message.split('\n')[0]}` };
  }
}
