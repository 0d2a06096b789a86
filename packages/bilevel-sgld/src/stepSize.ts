/**
 * Inner step sizes: a fixed number, or the curvature rule η = scale / L̂(θ₀, λ) recomputed at the
 * start of every estimate, where L̂ is the largest |eigenvalue| of the inner Hessian H(θ₀, λ)
 * estimated by power iteration on H·v products (‖Hv‖ for a unit v; nondecreasing along the
 * iteration for symmetric H, and ≤ ‖H‖, so L̂ ≤ λmax up to the iteration's convergence).
 *
 * Why: a step fixed at 1/λmax at the starting λ becomes unstable (η·λmax ≥ 2) when the outer
 * loop moves λ to where the inner loss is more curved, e.g. growing weight decays exp(λⱼ) add
 * exp(λⱼ) to H's spectrum (the diverging sinusoid MLP seeds of issue 15). The rule keeps η·λmax ≈
 * scale at every outer step. The power iteration's vector is returned with the estimate
 * (`HypergradientEstimate.curvature`) and passed back (`EstimateContext.curvature`) by
 * `bilevelTrain`'s warm starts, so later estimates need only `warmIterations` products.
 * @module
 */
import { NotSupportedError, Rng, ValueError, describe, readInteger, readNumber, readOptions } from '@descent/tensor';
import type { CheckedProblem } from './problem';

/** The curvature step rule (see the module comment). */
export interface CurvatureStep {
  type: 'curvature';
  /** η·L̂ (default 1: η·λmax ≈ 1, stable while the curvature along the run stays below 2L̂). */
  scale?: number;
  /** Power iterations from a cold start (default 20). */
  iterations?: number;
  /** Power iterations from a warm-started vector (default 4). */
  warmIterations?: number;
  /** Largest step (default Infinity; where H can vanish, e.g. a zero network, set it). */
  maxStep?: number;
}

/** An inner step size: a number η > 0 or a {@link CurvatureStep} rule. */
export type StepSize = number | CurvatureStep;

/** A resolved step rule. */
export type ResolvedStepSize =
  | { type: 'fixed'; value: number }
  | { type: 'curvature'; scale: number; iterations: number; warmIterations: number; maxStep: number };

/** The power iteration's state carried between estimates. */
export interface CurvatureEstimate {
  /** L̂ = ‖H v‖ for the last unit vector v. */
  value: number;
  /** The last unit vector (warm start of the next estimate). */
  vector: Float64Array;
}

/** Reads a {@link StepSize} (a number > 0 or `{ type: 'curvature', ... }`); `name` is the option's name. */
export function readStepSize(value: unknown, name: string): ResolvedStepSize {
  if (typeof value === 'number') return { type: 'fixed', value: readNumber(value, name, { gt: 0 }) };
  if (value === null || typeof value !== 'object' || Array.isArray(value) || (value as { type?: unknown }).type !== 'curvature') {
    throw new ValueError(`${name} must be a number > 0 or { type: 'curvature', scale?, ... }, got ${describe(value)}`, name);
  }
  const o = readOptions<Record<string, unknown>>(value, name);
  for (const key of Object.keys(o)) {
    if (!['type', 'scale', 'iterations', 'warmIterations', 'maxStep'].includes(key)) {
      throw new ValueError(`${name}.${key} is not an option of the curvature rule (scale, iterations, warmIterations, maxStep)`, `${name}.${key}`);
    }
  }
  return {
    type: 'curvature',
    scale: o.scale === undefined ? 1 : readNumber(o.scale, `${name}.scale`, { gt: 0, max: 2 }),
    iterations: o.iterations === undefined ? 20 : readInteger(o.iterations, `${name}.iterations`, { min: 1, max: 10000 }),
    warmIterations: o.warmIterations === undefined ? 4 : readInteger(o.warmIterations, `${name}.warmIterations`, { min: 1, max: 10000 }),
    maxStep: o.maxStep === undefined ? Number.POSITIVE_INFINITY : readNumber(o.maxStep, `${name}.maxStep`, { gt: 0, allowInfinity: true }),
  };
}

/**
 * Power iteration for ‖H(θ, λ)‖: `iterations` products from `start` (a warm vector, renormalised)
 * or from a fixed pseudo-random unit vector. Returns L̂ = ‖Hv‖ of the last unit v and v.
 */
export function curvatureAt(
  P: CheckedProblem,
  theta: Float64Array,
  lambda: Float64Array,
  iterations: number,
  start?: Float64Array,
): CurvatureEstimate {
  const d = P.dim;
  let v = start !== undefined ? Float64Array.from(start) : new Rng('curvature').normalArray(d);
  let n = Math.sqrt(v.reduce((s, x) => s + x * x, 0));
  if (!(n > 0) || !Number.isFinite(n)) {
    v = new Rng('curvature').normalArray(d);
    n = Math.sqrt(v.reduce((s, x) => s + x * x, 0));
  }
  for (let i = 0; i < d; i++) v[i] /= n;
  let value = 0;
  for (let k = 0; k < iterations; k++) {
    const hv = P.hvp(theta, lambda, v);
    const norm = Math.sqrt(hv.reduce((s, x) => s + x * x, 0));
    value = norm;
    if (!(norm > 0)) break;
    for (let i = 0; i < d; i++) v[i] = hv[i] / norm;
  }
  return { value, vector: v };
}

/**
 * The inner step of one estimate: the fixed value, or scale / L̂ at (θ₀, λ) (capped at `maxStep`)
 * with L̂ from a warm-started power iteration. A zero curvature with no `maxStep` is a
 * NotSupportedError naming `name` (the rule has no scale to go by).
 */
export function resolveStep(
  P: CheckedProblem,
  rule: ResolvedStepSize,
  theta: Float64Array,
  lambda: Float64Array,
  warm: Float64Array | undefined,
  name: string,
): { eta: number; curvature?: CurvatureEstimate } {
  if (rule.type === 'fixed') return { eta: rule.value };
  const curvature = curvatureAt(P, theta, lambda, warm === undefined ? rule.iterations : rule.warmIterations, warm);
  const eta = Math.min(rule.maxStep, rule.scale / curvature.value);
  if (!Number.isFinite(eta)) {
    throw new NotSupportedError(
      `${name}: the inner Hessian is zero at θ₀ (L̂ = ${curvature.value}), so the curvature rule has no step; give it a maxStep`,
      name,
    );
  }
  return { eta, curvature };
}
