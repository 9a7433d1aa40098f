/**
 * Dawn (the `webgpu` npm package: WebGPU for Node) is an optional dependency, loaded only when Node has no
 * `navigator.gpu`. It is imported by a computed specifier, so bundlers leave it to Node at run time (it is
 * native code) and browser bundles never contain it.
 *
 * While it looks for an adapter, Dawn writes its warnings (libvulkan missing, a driver it rejects, each with
 * a source path from Dawn's build machine) straight to the process's stderr, where JavaScript cannot silence
 * them. So a child process asks for an adapter first, its stderr captured: where there is none, this process
 * never loads Dawn, and Dawn's reason goes into the error (the one line `ready()` prints).
 */
type Dawn = typeof import('webgpu');

const PROBE_TIMEOUT_MS = 60_000;

export async function loadDawn(): Promise<Dawn> {
  if (typeof process === 'undefined' || !process.versions?.node) {
    throw new Error('WebGPU: this browser does not expose navigator.gpu (WebGPU is disabled or unsupported)');
  }
  let url: string;
  try {
    url = import.meta.resolve('webgpu');
  } catch {
    throw new Error('WebGPU: the optional package `webgpu` (Dawn, WebGPU for Node) is not installed; `npm install webgpu` to train on a GPU in Node');
  }
  await probeAdapter(url);
  return (await import(/* @vite-ignore */ url)) as Dawn;
}

async function probeAdapter(dawnUrl: string): Promise<void> {
  const specifier = 'node:child_process';
  const { execFile } = (await import(/* @vite-ignore */ specifier)) as typeof import('node:child_process');
  const script = `const { create } = await import(${JSON.stringify(dawnUrl)});
const adapter = await create([]).requestAdapter();
process.stdout.write(adapter ? 'adapter' : 'none', () => process.exit(0));`;
  const { found, stderr } = await new Promise<{ found: boolean; stderr: string }>((resolve) => {
    execFile(process.execPath, ['--input-type=module', '--eval', script], { timeout: PROBE_TIMEOUT_MS }, (error, stdout, stderr) => {
      resolve({ found: !error && stdout === 'adapter', stderr: stderr || (error?.message ?? '') });
    });
  });
  if (!found) {
    throw new Error(`WebGPU: no adapter found (${dawnReason(stderr)}); Node needs a GPU driver Dawn can use (on Linux a Vulkan one: VK_ICD_FILENAMES may name it, e.g. SwiftShader's)`);
  }
}

/** Dawn's first warning (or the probe's error), without the source locations printed after it. */
function dawnReason(stderr: string): string {
  const line = stderr.split('\n').find((l) => l.startsWith('Warning: ') || /^\w*Error\b/.test(l));
  return line ? `Dawn: ${line.replace(/^Warning: /, '')}` : 'Dawn found none';
}
