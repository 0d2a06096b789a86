/**
 * The quadratic f(w) = ½ Σᵢ λᵢ wᵢ² (a minimum whose Hessian eigenvalues are λᵢ) and the closed
 * forms of SAM's linear stability on it [derived; checked numerically in the implementation notes,
 * sam-dynamics.md §2.5]:
 *
 * | method | per eigen-direction | stable iff |
 * |---|---|---|
 * | GD   | w ← (1 − ηλ) w            | ηλ < 2 |
 * | USAM | w ← (1 − ηλ(1 + ρλ)) w    | ηλ(1 + ρλ) < 2 |
 * | SAM  | a 2-cycle ±ηλρ/(2 − ηλ) (1-D, ηλ < 2) | never converges to 0 |
 * @module
 */
import { ValueError, assertFiniteNumber, assertPositive, readVector } from '@descent/tensor';
import type { Toy } from './toy';

/** f(w) = ½ Σ λᵢ wᵢ² with the given Hessian eigenvalues (any sign). */
export function quadraticToy(lambdas: ArrayLike<number>): Toy {
  // finite numbers only: null or strings are ValueErrors (never read as 0), empty is a ShapeError
  const l = readVector(lambdas, 'lambdas', { copy: true });
  const d = l.length;
  let top = Number.NEGATIVE_INFINITY;
  for (const v of l) top = Math.max(top, v);
  return {
    name: `quadratic(λ = ${Array.from(l).join(', ')})`,
    dim: d,
    value: (w) => {
      let s = 0;
      for (let i = 0; i < d; i++) s += 0.5 * l[i] * w[i] * w[i];
      return s;
    },
    grad: (w) => Float64Array.from(l, (li, i) => li * w[i]),
    hessian: () => {
      const H = new Float64Array(d * d);
      for (let i = 0; i < d; i++) H[i * d + i] = l[i];
      return H;
    },
    topEigenvalue: () => top,
  };
}

/** |1 − ηλ|: GD's contraction factor per step along an eigen-direction λ (stable iff < 1). */
export function gdFactor(learningRate: number, lambda: number): number {
  assertPositive('learningRate', learningRate);
  assertFiniteNumber('lambda', lambda);
  return Math.abs(1 - learningRate * lambda);
}

/** |1 − ηλ(1 + ρλ)|: USAM's factor per step along an eigen-direction λ (stable iff < 1). */
export function usamFactor(learningRate: number, lambda: number, rho: number): number {
  assertPositive('learningRate', learningRate);
  assertFiniteNumber('lambda', lambda);
  assertPositive('rho', rho, true);
  return Math.abs(1 - learningRate * lambda * (1 + rho * lambda));
}

/**
 * The largest curvature λ* = (−1 + √(1 + 8ρ/η)) / (2ρ) at which USAM is stable (ηλ(1 + ρλ) = 2);
 * 2/η when ρ = 0 (GD's threshold).
 */
export function usamThreshold(learningRate: number, rho: number): number {
  assertPositive('learningRate', learningRate);
  assertPositive('rho', rho, true);
  if (rho === 0) return 2 / learningRate;
  return (-1 + Math.sqrt(1 + (8 * rho) / learningRate)) / (2 * rho);
}

/**
 * The amplitude ηλρ/(2 − ηλ) of the 2-cycle w ↦ −w that normalised SAM settles in on ½λw²
 * (1-D, 0 < ηλ < 2): SAM's step w − ηλ(w + ρ·sign(w)) maps a = ηλρ/(2 − ηλ) to −a.
 */
export function samTwoCycleAmplitude(learningRate: number, lambda: number, rho: number): number {
  assertPositive('learningRate', learningRate);
  assertPositive('lambda', lambda);
  assertPositive('rho', rho, true);
  const h = learningRate * lambda;
  if (h >= 2)
    throw new ValueError(`learningRate·lambda must be < 2 for the 2-cycle, got ${h}`, 'learningRate');
  return (h * rho) / (2 - h);
}
