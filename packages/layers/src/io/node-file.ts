/** Node's file system, imported only when a file path is used (browser bundles never load it). */

let counter = 0;

/**
 * Write `bytes` to `path` atomically: into a temporary file in the same directory, flushed to disk,
 * then renamed over `path` (a rename within a directory is atomic), then the directory is flushed so the
 * rename itself is durable. A process killed at any point leaves either the old file or the new one.
 */
export async function writeFileAtomic(path: string, bytes: Uint8Array): Promise<void> {
  const { open, rename, rm } = await import('node:fs/promises');
  const { basename, dirname, join } = await import('node:path');
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.${++counter}.tmp`);
  try {
    const file = await open(temporary, 'wx');
    try {
      await file.writeFile(bytes);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  if (process.platform !== 'win32') {
    // Windows cannot open a directory for flushing; elsewhere this makes the rename survive a power loss
    const directory = await open(dirname(path), 'r');
    try {
      await directory.sync();
    } finally {
      await directory.close();
    }
  }
}

export async function readFileBytes(path: string, where: string): Promise<Uint8Array> {
  const { readFile } = await import('node:fs/promises');
  try {
    return new Uint8Array(await readFile(path));
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new Error(code === 'ENOENT' ? `${where}: no file at "${path}"` : `${where}: cannot read "${path}" (${(error as Error).message})`);
  }
}
