/**
 * The Figure-1-style multi-minima toy (paper notes §3.2 item 2 (a), §5.2 item 7): one inner
 * parameter in a tilted double well and an outer loss that prefers the right well,
 *
 *   L_T(θ, λ) = (θ² − 1)² + λθ,   L_V(θ) = ½(θ − b)²   (b = 1 by default).
 *
 * For |λ| < 8/(3√3) ≈ 1.54 the inner loss has two minima; a deterministic hypergradient depends on
 * which one the inner solver lands in (∂θ⋆/∂λ = −1/(12θ⋆² − 4)), while the Gibbs objective
 * F_τ(λ) = E_{exp(−L_T/τ)}L_V averages over both wells weighted by their mass. Oracles by
 * quadrature (composite Simpson on [−R, R] with 4000 panels; the integrands are smooth and
 * vanish like exp(−θ⁴/τ) at ±R): F_τ and ∇F_τ = −Cov(L_V, θ)/τ.
 * @module
 */
import { ValueError, option, readNumber, resolveOptions } from '@descent/tensor';
import type { BilevelProblem } from './problem';

/** Options of {@link doubleWellProblem}. */
export interface DoubleWellOptions {
  /** Outer target b (default 1: the right well is "good"). */
  target?: number;
}

/** The double-well toy with its exact (quadrature) oracles. */
export interface DoubleWellProblem extends BilevelProblem {
  readonly target: number;
  innerGradient(theta: ArrayLike<number>, lambda: ArrayLike<number>): number[];
  innerHyperGradient(theta: ArrayLike<number>, lambda: ArrayLike<number>): number[];
  outerValue(theta: ArrayLike<number>, lambda: ArrayLike<number>): number;
  outerGradient(theta: ArrayLike<number>, lambda: ArrayLike<number>): number[];
  /** The local minima of L_T(·, λ) (one or two, ascending). */
  innerMinima(lambda: number): number[];
  /** dF/dλ of the deterministic objective L_V(θ*(λ)) at the minimum `theta` (the basin the solver found). */
  basinHypergradient(lambda: number, theta: number): number;
  /** F_τ(λ) = E L_V under exp(−L_T/τ) (quadrature). */
  objective(lambda: number, temperature: number): number;
  /** ∇F_τ(λ) = −Cov(L_V, θ)/τ (quadrature). */
  hypergradient(lambda: number, temperature: number): number;
  /** Mass of the right well (θ > 0) under exp(−L_T/τ). */
  rightWellMass(lambda: number, temperature: number): number;
}

const PANELS = 4000;

/** The double-well bilevel toy (see the module comment). */
export function doubleWellProblem(options: DoubleWellOptions = {}): DoubleWellProblem {
  const o = resolveOptions(options, { target: option.number({ default: 1 }) });
  const b = o.target;
  const readTheta = (theta: ArrayLike<number>) => readNumber(theta?.[0], 'theta[0]');
  const readLambda = (lambda: ArrayLike<number>) => readNumber(lambda?.[0], 'lambda[0]');
  const check = (theta: unknown, lambda: unknown) => {
    if (theta === null || typeof theta !== 'object' || (theta as ArrayLike<number>).length !== 1) {
      throw new ValueError('theta must be a vector of length 1', 'theta');
    }
    if (lambda === null || typeof lambda !== 'object' || (lambda as ArrayLike<number>).length !== 1) {
      throw new ValueError('lambda must be a vector of length 1', 'lambda');
    }
    return [readTheta(theta as ArrayLike<number>), readLambda(lambda as ArrayLike<number>)];
  };
  /** E[f(θ)] under exp(−L_T/τ) by Simpson's rule; weights shifted by the minimum of L_T on the grid. */
  const moments = (lambda: number, tau: number) => {
    const l = readNumber(lambda, 'lambda');
    const t = readNumber(tau, 'temperature', { gt: 0 });
    const R = 1 + Math.sqrt(1 + Math.abs(l)) + 2 * Math.sqrt(Math.sqrt(t)) + 1;
    const h = (2 * R) / PANELS;
    const energy = (x: number) => (x * x - 1) ** 2 + l * x;
    let e0 = Number.POSITIVE_INFINITY;
    for (let k = 0; k <= PANELS; k++) e0 = Math.min(e0, energy(-R + k * h));
    let z = 0;
    let mv = 0;
    let mt = 0;
    let mvt = 0;
    let right = 0;
    for (let k = 0; k <= PANELS; k++) {
      const x = -R + k * h;
      const w = (k === 0 || k === PANELS ? 1 : k % 2 === 1 ? 4 : 2) * Math.exp(-(energy(x) - e0) / t);
      const v = 0.5 * (x - b) ** 2;
      z += w;
      mv += w * v;
      mt += w * x;
      mvt += w * v * x;
      if (x > 0) right += w;
    }
    return { v: mv / z, theta: mt / z, vt: mvt / z, right: right / z, tau: t };
  };
  return {
    dim: 1,
    hyperDim: 1,
    target: b,
    innerGradient(theta, lambda) {
      const [x, l] = check(theta, lambda);
      return [4 * x * (x * x - 1) + l];
    },
    innerHyperGradient(theta, lambda) {
      const [x] = check(theta, lambda);
      return [x];
    },
    outerValue(theta, lambda) {
      const [x] = check(theta, lambda);
      return 0.5 * (x - b) ** 2;
    },
    outerGradient(theta, lambda) {
      const [x] = check(theta, lambda);
      return [x - b];
    },
    outerHyperGradient(theta, lambda) {
      check(theta, lambda);
      return [0];
    },
    innerHvp(theta, lambda, v) {
      const [x] = check(theta, lambda);
      return [(12 * x * x - 4) * readNumber(v?.[0], 'v[0]')];
    },
    innerMixedVjp(theta, lambda, v) {
      check(theta, lambda);
      return [readNumber(v?.[0], 'v[0]')];
    },
    innerMixedJvp(theta, lambda, u) {
      check(theta, lambda);
      return [readNumber(u?.[0], 'u[0]')];
    },
    innerMinima(lambda) {
      const l = readNumber(lambda, 'lambda');
      // roots of 4θ³ − 4θ + λ = 0 (trigonometric form when three real roots), keep those with L_T'' > 0
      const p = -1;
      const q = l / 4;
      const disc = -(4 * p ** 3 + 27 * q * q);
      let roots: number[];
      if (disc > 0) {
        const m = 2 * Math.sqrt(-p / 3);
        const phi = Math.acos(((3 * q) / (2 * p)) * Math.sqrt(-3 / p)) / 3;
        roots = [0, 1, 2].map((k) => m * Math.cos(phi - (2 * Math.PI * k) / 3));
      } else {
        const s = Math.sqrt(q * q / 4 + p ** 3 / 27);
        roots = [Math.cbrt(-q / 2 + s) + Math.cbrt(-q / 2 - s)];
      }
      return roots.filter((x) => 12 * x * x - 4 > 0).sort((a, c) => a - c);
    },
    basinHypergradient(lambda, theta) {
      readNumber(lambda, 'lambda');
      const x = readNumber(theta, 'theta');
      const curvature = 12 * x * x - 4;
      if (!(curvature > 0)) throw new ValueError(`theta must be a local minimum (L_T'' > 0), got ${x}`, 'theta');
      return (x - b) * (-1 / curvature);
    },
    objective(lambda, temperature) {
      return moments(lambda, temperature).v;
    },
    hypergradient(lambda, temperature) {
      const m = moments(lambda, temperature);
      return -(m.vt - m.v * m.theta) / m.tau;
    },
    rightWellMass(lambda, temperature) {
      return moments(lambda, temperature).right;
    },
  };
}
