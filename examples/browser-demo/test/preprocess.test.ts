// The MNIST-like preprocessing of a drawing, on synthetic drawings with known geometry.
import { describe, expect, it } from 'vitest';
import { toMnistInput, type Drawing } from '../src/preprocess.ts';

const SIDE = 28;

/** A `size`×`size` drawing with the rectangle [x0, x1)×[y0, y1) filled with ink. */
function rectangle(size: number, [x0, y0, x1, y1]: [number, number, number, number]): Drawing {
  const values = new Float32Array(size * size);
  for (let y = y0; y < y1; y++) values.fill(1, y * size + x0, y * size + x1);
  return { width: size, height: size, values };
}

function inkColumnsAndRows(image: Float32Array): { columns: number[]; rows: number[] } {
  const columns = new Set<number>();
  const rows = new Set<number>();
  image.forEach((v, i) => { if (v > 0.5) { columns.add(i % SIDE); rows.add(Math.floor(i / SIDE)); } });
  return { columns: [...columns].sort((a, b) => a - b), rows: [...rows].sort((a, b) => a - b) };
}

function centreOfMass(image: Float32Array): [number, number] {
  let mass = 0, x = 0, y = 0;
  image.forEach((v, i) => { mass += v; x += v * ((i % SIDE) + 0.5); y += v * (Math.floor(i / SIDE) + 0.5); });
  return [x / mass, y / mass];
}

describe('toMnistInput', () => {
  it('scales the longer side of the ink to 20 pixels and centres the mass in the 28×28 field', () => {
    // a tall bar in the top left corner of a 280×280 canvas: 40 wide, 200 high
    const image = toMnistInput(rectangle(280, [10, 20, 50, 220]))!;
    const { columns, rows } = inkColumnsAndRows(image);
    expect(rows).toEqual(Array.from({ length: 20 }, (_, i) => 4 + i)); // 200 px → 20 rows, centred: 4..23
    expect(columns).toEqual([12, 13, 14, 15]); // 40 px → 4 columns around the centre
    const [cx, cy] = centreOfMass(image);
    expect(cx).toBeCloseTo(14, 5);
    expect(cy).toBeCloseTo(14, 5);
    expect(image.reduce((a, b) => a + b, 0)).toBeCloseTo(4 * 20, 3); // shrinking averages: the mass is the area
  });

  it('enlarges a small drawing the same way', () => {
    const image = toMnistInput(rectangle(100, [60, 70, 70, 75]))!; // 10×5 → 20×10
    const { columns, rows } = inkColumnsAndRows(image);
    expect(columns).toEqual(Array.from({ length: 20 }, (_, i) => 4 + i));
    expect(rows).toEqual(Array.from({ length: 10 }, (_, i) => 9 + i));
  });

  it('gives nothing for an empty drawing', () => {
    expect(toMnistInput({ width: 50, height: 50, values: new Float32Array(2500) })).toBeUndefined();
  });
});
