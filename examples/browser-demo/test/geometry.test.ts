// The geometry panel's transforms (Strata ops, CPU backend) against plain arithmetic on each point.
import { setBackend, tensor, tidy } from '@strata/layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { letterF, rotationMatrix, scalingMatrix, transformPoints, type Matrix2, type TransformName, type Vector2 } from '../src/geometry.ts';

const points = letterF();

function run(name: TransformName, w: Matrix2, b: Vector2): Vector2[] {
  const values = tidy(() => transformPoints(name, tensor(points), w, b).dataSync());
  return points.map((_, i) => [values[2 * i], values[2 * i + 1]]);
}

function expectPoints(actual: Vector2[], expected: Vector2[]): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach(([x, y], i) => {
    expect(x).toBeCloseTo(expected[i][0], 5);
    expect(y).toBeCloseTo(expected[i][1], 5);
  });
}

beforeAll(async () => {
  await setBackend('cpu');
});

describe('geometry transforms', () => {
  const w: Matrix2 = [[1, 0.5], [-0.25, 2]];
  const b: Vector2 = [0.5, -1.5];
  const affine = ([x, y]: Vector2): Vector2 => [w[0][0] * x + w[0][1] * y + b[0], w[1][0] * x + w[1][1] * y + b[1]];

  it('translation adds the vector', () => {
    expectPoints(run('translation', w, b), points.map(([x, y]) => [x + b[0], y + b[1]]));
  });

  it('rotation by θ is dot(R, x), counterclockwise', () => {
    const theta = Math.PI / 6;
    const rotated = run('rotation', rotationMatrix(theta), b);
    expectPoints(rotated, points.map(([x, y]) => [x * Math.cos(theta) - y * Math.sin(theta), x * Math.sin(theta) + y * Math.cos(theta)]));
    expect(rotated[0][0]).toBeCloseTo(-0.5 * Math.cos(theta) + Math.sin(theta), 5); // (−0.5, −1), the foot of the F
  });

  it('scaling multiplies each axis by its factor', () => {
    expectPoints(run('scaling', scalingMatrix(1.5, 0.5), b), points.map(([x, y]) => [1.5 * x, 0.5 * y]));
  });

  it('affine is dot(W, x) + b, and relu clips it at zero', () => {
    expectPoints(run('affine', w, b), points.map(affine));
    expectPoints(run('relu', w, b), points.map((p) => affine(p).map((v) => Math.max(v, 0)) as Vector2));
  });
});
