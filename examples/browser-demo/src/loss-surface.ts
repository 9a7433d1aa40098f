// The gradient-descent panel's loss surfaces, written with Strata ops so valueAndGrad can differentiate them.
import { add, cos, mul, slice, square, sub, type Tensor } from '@strata/layers';

export interface Surface {
  readonly label: string;
  /** What to look for on it. */
  readonly story: string;
  readonly xRange: readonly [number, number];
  readonly yRange: readonly [number, number];
  readonly start: readonly [number, number];
  /** f at each point of `points` ([n, 2], one (x, y) per row): shape [n]. */
  readonly lossAt: (points: Tensor) => Tensor;
}

const columns = (points: Tensor): [Tensor, Tensor] => [slice(points, ':, 0'), slice(points, ':, 1')];

export const SURFACES = {
  ripples: {
    label: 'ripples: x²/20 + y² + 0.15·(1 − cos 2.5x)',
    story: 'A long bowl with ripples across it: each ripple is a local minimum. Plain SGD stops in the first one it reaches; momentum carries its ball over them to the global minimum at (0, 0).',
    xRange: [-6, 6],
    yRange: [-2, 2],
    start: [-5.5, 1.5],
    lossAt: (points) => {
      const [x, y] = columns(points);
      return add(add(mul(square(x), 1 / 20), square(y)), mul(sub(1, cos(mul(x, 2.5))), 0.15));
    },
  },
  well: {
    label: 'two valleys: (x² − 4)²/16 + 0.3x + y²',
    story: 'Two valleys: a shallow one on the right (a local minimum, loss ≈ 0.58) and the deeper one on the left (the global minimum, loss ≈ −0.62). From the right, plain SGD settles in the shallow valley; with momentum 0.9 the ball has the speed to climb the ridge at x = 0 and reach the deep one. Try momentum 0.5.',
    xRange: [-4, 4],
    yRange: [-2, 2],
    start: [3.5, 1],
    lossAt: (points) => {
      const [x, y] = columns(points);
      return add(add(mul(square(sub(square(x), 4)), 1 / 16), mul(x, 0.3)), square(y));
    },
  },
} satisfies Record<string, Surface>;

export type SurfaceName = keyof typeof SURFACES;
