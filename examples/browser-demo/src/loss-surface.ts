// The gradient-descent panel's loss surface, written with Strata ops so valueAndGrad can differentiate it:
// a long bowl with ripples, f(x, y) = x²/20 + y² + 0.15·(1 − cos 2.5x). The ripples are local minima
// where plain SGD stops; momentum carries its ball through them to the global minimum at (0, 0).
import { add, cos, mul, slice, square, sub, type Tensor } from '@strata/layers';

export const X_RANGE: [number, number] = [-6, 6];
export const Y_RANGE: [number, number] = [-2, 2];
export const START: [number, number] = [-5.5, 1.5];

/** f at each point of `points` ([n, 2], one (x, y) per row): shape [n]. */
export function lossAt(points: Tensor): Tensor {
  const x = slice(points, ':, 0');
  const y = slice(points, ':, 1');
  const bowl = add(mul(square(x), 1 / 20), square(y));
  return add(bowl, mul(sub(1, cos(mul(x, 2.5))), 0.15));
}
