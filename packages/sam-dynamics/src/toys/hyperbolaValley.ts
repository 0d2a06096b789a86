/**
 * The hyperbola valley f(x, y) = ½(xy − 1)²: its minima form the curve xy = 1, along which the
 * top Hessian eigenvalue x² + y² varies (flattest, 2, at x = y = ±1). A miniature of Zhou et al.'s
 * late-phase mechanism: GD started near a sharp end of the valley stops at a sharp minimum; SAM
 * switched on late escapes it and slides along the valley to a flatter one (sam-dynamics.md §2.5).
 * @module
 */
import type { Toy } from './toy';

/** f(x, y) = ½(xy − 1)², with ∇f = (xy − 1)(y, x) and ∇²f = [[y², 2xy − 1], [2xy − 1, x²]]. */
export function hyperbolaValley(): Toy {
  const hess = (w: Float64Array) => {
    const [x, y] = w;
    const off = 2 * x * y - 1;
    return Float64Array.of(y * y, off, off, x * x);
  };
  return {
    name: 'hyperbola valley ½(xy − 1)²',
    dim: 2,
    value: (w) => 0.5 * (w[0] * w[1] - 1) ** 2,
    grad: (w) => {
      const r = w[0] * w[1] - 1;
      return Float64Array.of(r * w[1], r * w[0]);
    },
    hessian: hess,
    topEigenvalue: (w) => {
      const [a, b, , d] = hess(w);
      const mean = (a + d) / 2;
      return mean + Math.sqrt(((a - d) / 2) ** 2 + b * b);
    },
  };
}
