import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Builds an IDX file: magic 0x00 0x00 <type> <ndims>, big-endian uint32 dims, then the payload. */
export function makeIdx(shape: number[], payload: Uint8Array, typeCode = 0x08): Uint8Array {
  const header = new Uint8Array(4 + 4 * shape.length);
  const view = new DataView(header.buffer);
  header[2] = typeCode;
  header[3] = shape.length;
  shape.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  const out = new Uint8Array(header.length + payload.length);
  out.set(header);
  out.set(payload, header.length);
  return out;
}

/** Payload 0, 1, 2, ... (mod 256) of length n. */
export function ramp(n: number): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => i % 256);
}

/** Writes a tiny MNIST-layout dataset (train: nTrain, test: nTest images of 2x3) into a fresh temp dir. */
export function writeTinyDataset(nTrain: number, nTest: number, nTrainLabels = nTrain): string {
  const dir = mkdtempSync(join(tmpdir(), 'strata-idx-'));
  writeFileSync(join(dir, 'train-images-idx3-ubyte'), makeIdx([nTrain, 2, 3], ramp(nTrain * 6)));
  writeFileSync(join(dir, 'train-labels-idx1-ubyte'), makeIdx([nTrainLabels], ramp(nTrainLabels)));
  writeFileSync(join(dir, 't10k-images-idx3-ubyte'), makeIdx([nTest, 2, 3], ramp(nTest * 6)));
  writeFileSync(join(dir, 't10k-labels-idx1-ubyte'), makeIdx([nTest], ramp(nTest)));
  return dir;
}
