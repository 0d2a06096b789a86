/**
 * Optimisation test functions with known minima (all minimised, f* = 0 at the listed optima).
 * Each takes a finite vector (array, typed array or rank-1 tensor; a ShapeError/ValueError naming
 * `x` otherwise).
 * @module
 */
import { readNumber, readRows, readVector } from '@descent/tensor';

/** f(x) = Σ x_i². Minimum 0 at 0. */
export function sphere(input: ArrayLike<number>): number {
  const x = readVector(input, 'x');
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * x[i];
  return s;
}

/** Rosenbrock f(x) = Σ 100 (x_{i+1} − x_i²)² + (1 − x_i)². Minimum 0 at (1, …, 1). */
export function rosenbrock(input: ArrayLike<number>): number {
  const x = readVector(input, 'x');
  let s = 0;
  for (let i = 0; i + 1 < x.length; i++) s += 100 * (x[i + 1] - x[i] * x[i]) ** 2 + (1 - x[i]) ** 2;
  return s;
}

/** Rastrigin f(x) = 10 d + Σ (x_i² − 10 cos 2πx_i). Minimum 0 at 0. */
export function rastrigin(input: ArrayLike<number>): number {
  const x = readVector(input, 'x');
  let s = 10 * x.length;
  for (let i = 0; i < x.length; i++) s += x[i] * x[i] - 10 * Math.cos(2 * Math.PI * x[i]);
  return s;
}

/** Ackley f(x) = −20 exp(−0.2 √(mean x²)) − exp(mean cos 2πx) + 20 + e. Minimum 0 at 0. */
export function ackley(input: ArrayLike<number>): number {
  const x = readVector(input, 'x');
  const d = x.length;
  let s2 = 0;
  let sc = 0;
  for (let i = 0; i < d; i++) {
    s2 += x[i] * x[i];
    sc += Math.cos(2 * Math.PI * x[i]);
  }
  return -20 * Math.exp(-0.2 * Math.sqrt(s2 / d)) - Math.exp(sc / d) + 20 + Math.E;
}

/** Himmelblau f(x, y) = (x² + y − 11)² + (x + y² − 7)² (2-D). Four minima with f = 0. */
export function himmelblau(input: ArrayLike<number>): number {
  const x = readVector(input, 'x', { length: 2 });
  return (x[0] * x[0] + x[1] - 11) ** 2 + (x[0] + x[1] * x[1] - 7) ** 2;
}

/** The four minima of {@link himmelblau}. */
export const HIMMELBLAU_MINIMA: readonly (readonly [number, number])[] = [
  [3, 2],
  [-2.805118086952745, 3.131312518250573],
  [-3.779310253377747, -3.28318599128617],
  [3.584428340330492, -1.848126526964404],
];

/**
 * How many of the Himmelblau minima have a point within `radius` (default 0.1) among `points`.
 */
export function countHimmelblauMinima(input: ArrayLike<ArrayLike<number>>, radius = 0.1): number {
  const points = Array.isArray(input) && input.length === 0 ? [] : readRows(input, 'points', { cols: 2 });
  readNumber(radius, 'radius', { gt: 0 });
  let found = 0;
  for (const [a, b] of HIMMELBLAU_MINIMA) {
    for (let k = 0; k < points.length; k++) {
      const p = points[k];
      if (Math.hypot(p[0] - a, p[1] - b) < radius) {
        found++;
        break;
      }
    }
  }
  return found;
}
