/** Node's file system, imported only when a file path is used (browser bundles never load it). */

let counter = 0;

/** True while process `pid` exists (signal 0 only checks; EPERM means it exists under another user). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM';
  }
}

/** Remove the temporary files that killed saves of `name` left in `directory` (their process is gone). */
async function removeStaleTemporaries(directory: string, name: string): Promise<void> {
  const { readdir, rm } = await import('node:fs/promises');
  const { join } = await import('node:path');
  const prefix = `.${name}.`;
  for (const entry of await readdir(directory)) {
    const pid = entry.startsWith(prefix) && entry.endsWith('.tmp') ? Number(entry.slice(prefix.length).split('.')[0]) : NaN;
    if (Number.isInteger(pid) && pid !== process.pid && !alive(pid)) await rm(join(directory, entry), { force: true });
  }
}

/** The error for a target that cannot be written, naming the target (not the temporary file) and why. */
async function unwritable(path: string, error: unknown, where: string): Promise<Error> {
  const { stat } = await import('node:fs/promises');
  const { dirname } = await import('node:path');
  const code = (error as { code?: string }).code;
  const directory = dirname(path);
  const missing = code === 'ENOENT' && (await stat(directory).then(() => false, () => true));
  const why = missing ? `the directory "${directory}" does not exist` : code === 'EACCES' ? `no permission to write in "${directory}"` : (error as Error).message;
  return new Error(`${where}: cannot write "${path}": ${why}`, { cause: error });
}

/**
 * Write `bytes` to `path` atomically: into a temporary file in the same directory, flushed to disk,
 * then renamed over `path` (a rename within a directory is atomic), then the directory is flushed so the
 * rename itself is durable. A process killed at any point leaves either the old file or the new one; the
 * temporary files such kills leave are removed by the next save to the same path.
 */
export async function writeFileAtomic(path: string, bytes: Uint8Array, where: string): Promise<void> {
  const { open, rename, rm } = await import('node:fs/promises');
  const { basename, dirname, join } = await import('node:path');
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.${++counter}.tmp`);
  try {
    await removeStaleTemporaries(dirname(path), basename(path));
  } catch (error) {
    throw await unwritable(path, error, where);
  }
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
    throw await unwritable(path, error, where);
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
