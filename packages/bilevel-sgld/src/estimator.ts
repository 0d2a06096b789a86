/**
 * The one signature every hypergradient estimator shares (SGLD estimators and the deterministic
 * baselines alike): `estimate(problem, lambda, context)` → hypergradient, its standard error when
 * Monte-Carlo, the outer-loss estimate, the final inner states (for warm starts) and the cost.
 * @module
 */
import { type Seed, ShapeError, ValueError, describe, readSeed, readVector } from '@descent/tensor';
import { type BilevelProblem, type CheckedProblem, checkProblem, readLambda, readStarts } from './problem';
import type { CurvatureEstimate } from './stepSize';

/** Where an estimate starts. */
export interface EstimateContext {
  /** Inner start: one vector for every chain or one per chain (default zeros; warm starts pass the last `states`). */
  theta0?: ArrayLike<number> | ArrayLike<number>[];
  /** Seed of this estimate's noise (default: the estimator's own `seed` option). */
  seed?: Seed;
  /**
   * The recursion's auxiliary state per chain from a previous estimate (`carry` of its result:
   * the adjoint z, or the forward Jacobian J flattened column by column), to warm-start it too.
   */
  carry?: ArrayLike<number>[];
  /**
   * Warm start of the curvature step rule's power iteration (`curvature.vector` of a previous
   * estimate; length d); ignored by fixed steps.
   */
  curvature?: ArrayLike<number>;
}

/** What an estimator returns. */
export interface HypergradientEstimate {
  /** ĝ ≈ dF/dλ (length p). */
  hypergradient: Float64Array;
  /** Standard error per coordinate (Monte-Carlo estimators with ≥ 2 chains; across chains), else undefined. */
  standardError?: Float64Array;
  /** Estimate of the outer objective at λ (mean of L_V over kept samples, or L_V at the inner solution). */
  outerValue: number;
  /** Final inner state of each chain / inner run (warm start for the next outer step). */
  states: Float64Array[];
  /** First-order oracle calls (gradients and values). */
  gradientCalls: number;
  /** Second-order products (HVPs, mixed VJPs/JVPs; finite-difference ones count once each). */
  secondOrderCalls: number;
  /** The recursion's final auxiliary state per chain (pass it back as `context.carry`), when the estimator has one. */
  carry?: Float64Array[];
  /** The inner step η this estimate used (the fixed value, or the curvature rule's scale / L̂); every estimator of this package sets it. */
  learningRate?: number;
  /** The curvature rule's L̂ and power-iteration vector (pass `vector` back as `context.curvature`); absent for fixed steps. */
  curvature?: CurvatureEstimate;
}

/** A hypergradient estimator. */
export interface HypergradientEstimator {
  /** Short name, e.g. `'sgld-covariance'`, `'ift-cg'`. */
  readonly name: string;
  /** Estimates dF/dλ at `lambda`. */
  estimate(problem: BilevelProblem, lambda: ArrayLike<number>, context?: EstimateContext): HypergradientEstimate;
}

/** The checked inputs of one `estimate` call. */
export interface EstimateInputs {
  problem: CheckedProblem;
  lambda: Float64Array;
  starts: Float64Array[];
  seed: Seed;
  /** Per-chain auxiliary state from `context.carry` (checked against `carryLength`), if given. */
  carry?: Float64Array[];
  /** Warm start of the curvature rule's power iteration, if given. */
  curvature?: Float64Array;
}

/** Validates the arguments of `estimate` (problem, λ, context) with `runs` inner starts. */
export function readEstimateInputs(
  problem: unknown,
  lambda: unknown,
  context: unknown,
  runs: number,
  defaultSeed: Seed,
  carryLength?: (P: CheckedProblem) => number,
): EstimateInputs {
  const P = checkProblem(problem);
  const l = readLambda(lambda, P.hyperDim);
  if (context !== undefined && (context === null || typeof context !== 'object' || Array.isArray(context))) {
    throw new ValueError(`context must be an object { theta0?, seed?, carry?, curvature? }, got ${describe(context)}`, 'context');
  }
  const c = (context ?? {}) as Record<string, unknown>;
  for (const key of Object.keys(c)) {
    if (key !== 'theta0' && key !== 'seed' && key !== 'carry' && key !== 'curvature') {
      throw new ValueError(`context.${key} is not an option (theta0, seed, carry, curvature)`, `context.${key}`);
    }
  }
  const starts = readStarts(c.theta0, P.dim, runs, 'context.theta0');
  const seed = c.seed === undefined ? defaultSeed : readSeed(c.seed, 'context.seed');
  let carry: Float64Array[] | undefined;
  if (c.carry !== undefined) {
    if (carryLength === undefined) throw new ValueError('context.carry is not used by this estimator', 'context.carry');
    const n = carryLength(P);
    if (!Array.isArray(c.carry) || c.carry.length !== runs) {
      throw new ShapeError(`context.carry must be ${runs} vectors (one per chain), got ${describe(c.carry)}`, 'context.carry');
    }
    carry = c.carry.map((v, i) => readVector(v, `context.carry[${i}]`, { length: n, copy: true }));
  }
  const curvature = c.curvature === undefined ? undefined : readVector(c.curvature, 'context.curvature', { length: P.dim, copy: true });
  return { problem: P, lambda: l, starts, seed, carry, curvature };
}

/** Mean and (for ≥ 2 rows) standard error across per-chain estimates. */
export function acrossChains(rows: Float64Array[]): { mean: Float64Array; standardError?: Float64Array } {
  const n = rows.length;
  if (n === 0) throw new ShapeError('at least one chain is needed', 'chains');
  const p = rows[0].length;
  const mean = new Float64Array(p);
  for (const r of rows) for (let j = 0; j < p; j++) mean[j] += r[j] / n;
  if (n < 2) return { mean };
  const se = new Float64Array(p);
  for (const r of rows) for (let j = 0; j < p; j++) se[j] += (r[j] - mean[j]) ** 2;
  for (let j = 0; j < p; j++) se[j] = Math.sqrt(se[j] / (n - 1) / n);
  return { mean, standardError: se };
}
