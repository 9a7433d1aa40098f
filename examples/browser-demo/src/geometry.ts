// The seeds' geometric view of tensor operations, on a point cloud X of shape [n, 2] (one point per
// row). The notes write a transform of a column vector x as dot(W, x); for rows that is X·Wᵀ.
import { add, matmul, relu, tensor, type Tensor } from '@strata/layers';

export const TRANSFORMS = ['translation', 'rotation', 'scaling', 'affine', 'relu'] as const;
export type TransformName = (typeof TRANSFORMS)[number];

/** A 2×2 matrix, row-major as the notes write it: [[a, b], [c, d]]. */
export type Matrix2 = [[number, number], [number, number]];
export type Vector2 = [number, number];

/** R = [[cos θ, -sin θ], [sin θ, cos θ]]: a counterclockwise rotation by θ (radians). */
export function rotationMatrix(theta: number): Matrix2 {
  return [[Math.cos(theta), -Math.sin(theta)], [Math.sin(theta), Math.cos(theta)]];
}

/** S = [[horizontal factor, 0], [0, vertical factor]]. */
export function scalingMatrix(horizontal: number, vertical: number): Matrix2 {
  return [[horizontal, 0], [0, vertical]];
}

/** dot(W, x) for every point x (row) of `points`. */
function linear(points: Tensor, w: Matrix2): Tensor {
  return matmul(points, tensor(w), false, true);
}

/** Apply `name` with matrix `w` (rotation, scaling, affine, relu) and vector `b` (translation, affine, relu). */
export function transformPoints(name: TransformName, points: Tensor, w: Matrix2, b: Vector2): Tensor {
  switch (name) {
    case 'translation':
      return add(points, tensor(b));
    case 'rotation':
    case 'scaling':
      return linear(points, w);
    case 'affine':
      return add(linear(points, w), tensor(b));
    case 'relu':
      return relu(add(linear(points, w), tensor(b)));
  }
}

/** The Strata expression each transform runs, shown under the controls. */
export const TRANSFORM_CODE: Record<TransformName, string> = {
  translation: 'add(X, b)',
  rotation: 'matmul(X, R, false, true)   // dot(R, x) for each point x',
  scaling: 'matmul(X, S, false, true)   // dot(S, x) for each point x',
  affine: 'add(matmul(X, W, false, true), b)',
  relu: 'relu(add(matmul(X, W, false, true), b))',
};

/** An "F" (asymmetric, so rotations and reflections are easy to see), sampled every 0.1. */
export function letterF(): Vector2[] {
  const strokes: [Vector2, Vector2][] = [[[-0.5, -1], [-0.5, 1]], [[-0.4, 1], [0.7, 1]], [[-0.4, 0.1], [0.4, 0.1]]];
  return strokes.flatMap(([[x0, y0], [x1, y1]]) => {
    const steps = Math.round(Math.hypot(x1 - x0, y1 - y0) / 0.1);
    return Array.from({ length: steps + 1 }, (_, i): Vector2 => [x0 + ((x1 - x0) * i) / steps, y0 + ((y1 - y0) * i) / steps]);
  });
}
