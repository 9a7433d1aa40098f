// MNIST-like preprocessing of a drawing: the digit's bounding box is scaled (aspect kept) to fit a
// 20×20 box, and placed in a 28×28 field so that its centre of mass sits at the field's centre
// (LeCun et al.'s description of how MNIST was made). Pure arithmetic on intensities in [0, 1].
import { PIXELS, SIDE } from './protocol.ts';

/** The digit's box side inside the 28×28 field. */
const BOX = 20;
/** Intensities at or below this count as background when finding the bounding box. */
const INK = 0.05;

export interface Drawing {
  readonly width: number;
  readonly height: number;
  /** Row-major intensities in [0, 1], `width·height` of them. */
  readonly values: Float32Array;
}

interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

function inkBounds({ width, height, values }: Drawing): Box | undefined {
  let x0 = width, y0 = height, x1 = -1, y1 = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (values[y * width + x] <= INK) continue;
      x0 = Math.min(x0, x); x1 = Math.max(x1, x);
      y0 = Math.min(y0, y); y1 = Math.max(y1, y);
    }
  }
  return x1 < 0 ? undefined : { x: x0, y: y0, w: x1 - x0 + 1, h: y1 - y0 + 1 };
}

/** Centre of mass of the drawing (pixel centres at +0.5). */
function centreOfMass({ width, height, values }: Drawing): [number, number] {
  let mass = 0, mx = 0, my = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = values[y * width + x];
      mass += v; mx += v * (x + 0.5); my += v * (y + 0.5);
    }
  }
  return [mx / mass, my / mass];
}

/** The 28×28 input (784 intensities), or undefined for an empty drawing. */
export function toMnistInput(drawing: Drawing): Float32Array | undefined {
  const box = inkBounds(drawing);
  if (!box) return undefined;
  const scale = BOX / Math.max(box.w, box.h);
  const [cx, cy] = centreOfMass(drawing);
  // target = (source - centre of mass)·scale + field centre; sampled k×k times per target pixel so that
  // shrinking averages the area it covers
  const k = Math.min(16, Math.max(2, Math.ceil(1 / scale)));
  const out = new Float32Array(PIXELS);
  for (let ty = 0; ty < SIDE; ty++) {
    for (let tx = 0; tx < SIDE; tx++) {
      let total = 0;
      for (let j = 0; j < k; j++) {
        const sy = Math.floor(cy + (ty + (j + 0.5) / k - SIDE / 2) / scale);
        if (sy < box.y || sy >= box.y + box.h) continue;
        for (let i = 0; i < k; i++) {
          const sx = Math.floor(cx + (tx + (i + 0.5) / k - SIDE / 2) / scale);
          if (sx >= box.x && sx < box.x + box.w) total += drawing.values[sy * drawing.width + sx];
        }
      }
      out[ty * SIDE + tx] = total / (k * k);
    }
  }
  return out;
}
