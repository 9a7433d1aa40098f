/**
 * HDF5 through h5wasm (the HDF5 C library in WebAssembly). Its default ESM build runs in browsers and in
 * Node alike and keeps files in Emscripten's in-memory file system, so bytes go in and out and the host
 * file system is never touched here. Loaded on first use (the module embeds a 4 MB wasm binary).
 */
export type H5wasm = typeof import('h5wasm').default;
export type H5File = InstanceType<H5wasm['File']>;
type H5Module = Awaited<H5wasm['ready']>;

let loading: Promise<{ h5: H5wasm; module: H5Module }> | undefined;

async function load(): Promise<{ h5: H5wasm; module: H5Module }> {
  const h5 = (await import('h5wasm')).default;
  const module = await h5.ready;
  // HDF5 errors become exceptions carrying the error stack, instead of text printed to stderr
  module.activate_throwing_error_handler();
  return { h5, module };
}

let counter = 0;

/** Open an in-memory file (holding `bytes`, or new), run `fn`, close it; returns fn's result and the file's bytes. */
async function withFile<T>(bytes: Uint8Array | undefined, fn: (file: H5File, h5: H5wasm) => T): Promise<{ result: T; bytes: Uint8Array }> {
  const { h5, module } = await (loading ??= load());
  const path = `/strata-${++counter}.h5`;
  if (bytes) module.FS.writeFile(path, bytes);
  try {
    const file = new h5.File(path, bytes ? 'r' : 'w');
    let result: T;
    try {
      result = fn(file, h5);
    } finally {
      file.close();
    }
    return { result, bytes: bytes ?? module.FS.readFile(path) };
  } finally {
    if (module.FS.analyzePath(path).exists) module.FS.unlink(path);
  }
}

/** A new HDF5 file's bytes, filled by `fill`. */
export async function writeHdf5(fill: (file: H5File) => void): Promise<Uint8Array> {
  return (await withFile(undefined, fill)).bytes;
}

/** Read HDF5 `bytes` with `read`; a file HDF5 cannot read throws HDF5's reason. */
export async function readHdf5<T>(bytes: Uint8Array, read: (file: H5File, h5: H5wasm) => T): Promise<T> {
  try {
    return (await withFile(bytes, read)).result;
  } catch (error) {
    const diagnostic = error instanceof Error && error.message.startsWith('HDF5-DIAG');
    throw diagnostic ? new Error(hdf5Reason(error.message)) : error;
  }
}

/** The innermost reason in an HDF5 error stack (`truncated file: eof = 3000, … stored_eof = 16608`). */
function hdf5Reason(stack: string): string {
  const reasons = [...stack.matchAll(/#\d+: .* in \w+\(\): (.+)$/gm)].map((m) => m[1].trim());
  return reasons.at(-1) ?? stack.split('\n')[0];
}
