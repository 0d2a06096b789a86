/**
 * Gauss–Hermite quadrature for the standard Gaussian (probabilists' rule):
 * E_{z~N(0,1)}[g(z)] ≈ Σ_i w_i g(x_i), exact for polynomials of degree ≤ 2n − 1.
 *
 * Nodes are the roots of He_n, found by Newton's method on the orthonormal recurrence
 * (initial guesses of Numerical Recipes' `gauher`, Press et al. 2007, §4.6); weights
 * w_i = n!/(n² He_{n−1}(x_i)²) = 1/(n h_{n−1}(x_i)²), which sum to 1 (the form quoted in the
 * implementation notes and matching numpy's `hermegauss`/√(2π)). The Golub–Welsch eigenvalue
 * route gives the same rule; Newton keeps this file free of a general eigensolver.
 * @module
 */
import { ConvergenceError, assertInteger, readFunction, ValueError, describe } from '@descent/tensor';

/** A quadrature rule: ascending `nodes` and their `weights` (summing to 1). */
export interface QuadratureRule {
  nodes: Float64Array;
  weights: Float64Array;
}

const cache = new Map<number, QuadratureRule>();

/**
 * The n-point probabilists' Gauss–Hermite rule (1 ≤ n ≤ 150; beyond, the Newton initial guesses
 * are unreliable in double precision), nodes ascending and symmetric,
 * weights summing to 1. Rules are cached; the returned arrays are fresh copies.
 */
export function gaussHermiteRule(n: number): QuadratureRule {
  assertInteger('n', n, 1, 150);
  let rule = cache.get(n);
  if (!rule) {
    rule = computeRule(n);
    cache.set(n, rule);
  }
  return { nodes: rule.nodes.slice(), weights: rule.weights.slice() };
}

function computeRule(n: number): QuadratureRule {
  // Physicists' rule for weight e^{−t²}, orthonormal recurrence p_j = t√(2/j) p_{j−1} − √((j−1)/j) p_{j−2}.
  const t = new Float64Array(n);
  const wPhys = new Float64Array(n);
  const PIM4 = Math.PI ** -0.25;
  const half = Math.floor((n + 1) / 2);
  let z = 0;
  for (let i = 0; i < half; i++) {
    if (i === 0) z = Math.sqrt(2 * n + 1) - 1.85575 * (2 * n + 1) ** -0.16667;
    else if (i === 1) z -= (1.14 * n ** 0.426) / z;
    else if (i === 2) z = 1.86 * z - 0.86 * t[0];
    else if (i === 3) z = 1.91 * z - 0.91 * t[1];
    else z = 2 * z - t[i - 2];
    let pp = 0;
    let converged = false;
    for (let iter = 0; iter < 100; iter++) {
      let p1 = PIM4;
      let p2 = 0;
      for (let j = 1; j <= n; j++) {
        const p3 = p2;
        p2 = p1;
        p1 = z * Math.sqrt(2 / j) * p2 - Math.sqrt((j - 1) / j) * p3;
      }
      pp = Math.sqrt(2 * n) * p2;
      const z1 = z;
      z = z1 - p1 / pp;
      if (Math.abs(z - z1) <= 1e-15 * Math.max(1, Math.abs(z))) {
        converged = true;
        break;
      }
    }
    if (!converged)
      throw new ConvergenceError(`gaussHermiteRule: Newton did not converge for node ${i} of n = ${n}`, 'n');
    t[i] = z;
    t[n - 1 - i] = -z;
    wPhys[i] = 2 / (pp * pp);
    wPhys[n - 1 - i] = wPhys[i];
  }
  // t is descending; convert to the probabilists' rule (x = √2 t, w = w_phys/√π) in ascending order.
  const nodes = new Float64Array(n);
  const weights = new Float64Array(n);
  const sqrtPi = Math.sqrt(Math.PI);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    nodes[i] = Math.SQRT2 * t[n - 1 - i];
    weights[i] = wPhys[n - 1 - i] / sqrtPi;
    sum += weights[i];
  }
  // Remove the last-ulp drift so the weights sum to 1 (the rule integrates constants exactly).
  for (let i = 0; i < n; i++) weights[i] /= sum;
  if (n % 2 === 1) nodes[(n - 1) / 2] = 0;
  for (let i = 1; i < n; i++) {
    if (!(nodes[i] > nodes[i - 1]))
      throw new ConvergenceError(`gaussHermiteRule: nodes not distinct for n = ${n}`, 'n');
  }
  return { nodes, weights };
}

/**
 * E_{z~N(0,1)}[g(z)] by the n-point rule (default n = 60: exact for polynomials of degree ≤ 119).
 */
export function gaussianExpectation(g: (z: number) => number, n = 60): number {
  readFunction(g, 'g');
  const { nodes, weights } = gaussHermiteRule(n);
  let s = 0;
  for (let i = 0; i < n; i++) {
    const v = g(nodes[i]);
    if (typeof v !== 'number' || !Number.isFinite(v))
      throw new ValueError(`g must return finite numbers, got ${describe(v)} at z = ${nodes[i]}`, 'g');
    s += weights[i] * v;
  }
  return s;
}
