/**
 * The top Hessian eigenvalue by power iteration on exact HVPs, with a shift.
 *
 * Power iteration on H − σI converges to the eigenvalue λ of H for which |λ − σ| is largest
 * (Golub & Van Loan §7.3). With σ = 0 that is the eigenvalue of largest magnitude, which is the
 * most negative one when negative curvature dominates; `which: 'largest'` then runs a second
 * pass shifted by that value, which converges to the other end of the spectrum, λ_max.
 * @module
 */
import {
  Rng,
  ValueError,
  assertFiniteNumber,
  assertInteger,
  assertPositive,
  describe,
} from '@descent/tensor';
import { type ParamTree, unflattenTree } from '../tree';
import { type FlatHessian, flatHessian } from './flatHvp';
import type { HvpTreeOptions } from './hvp';
import type { CurvatureObjective } from './objective';

/** Options of {@link hessianPowerIteration}. */
export interface PowerIterationOptions extends HvpTreeOptions {
  /** The shift σ (default 0): converge to the eigenvalue farthest from σ. */
  shift?: number;
  /**
   * `'magnitude'` (default with an explicit shift): one pass, the eigenvalue farthest from σ;
   * `'largest'` (default without a shift): λ_max, with a second shifted pass if the first finds a
   * negative eigenvalue.
   */
  which?: 'largest' | 'magnitude';
  /** Stop when successive Rayleigh quotients differ by ≤ tol·|λ| (default 1e-4). */
  tol?: number;
  /** Maximum HVPs per pass (default 100). */
  maxIter?: number;
  /** Seed of the random start (default 0). */
  seed?: number | string;
}

/** What {@link hessianPowerIteration} returns. */
export interface PowerIterationResult {
  /** The eigenvalue estimate (a Rayleigh quotient of H). */
  value: number;
  /** Its unit eigenvector as a tree like `params` (owned by the caller). */
  vector: ParamTree;
  /** Hessian-vector products used. */
  hvps: number;
  /** Whether the tolerance was reached (otherwise the last estimate is returned). */
  converged: boolean;
}

function norm(v: Float64Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  return Math.sqrt(s);
}

function pass(H: FlatHessian, shift: number, tol: number, maxIter: number, rng: Rng) {
  let v = rng.normalArray(H.size);
  let nv = norm(v);
  for (let i = 0; i < v.length; i++) v[i] /= nv;
  let lambda = Number.NaN;
  let converged = false;
  for (let it = 0; it < maxIter; it++) {
    const w = H.matvec(v);
    let rq = 0;
    for (let i = 0; i < w.length; i++) rq += v[i] * w[i];
    for (let i = 0; i < w.length; i++) w[i] -= shift * v[i];
    nv = norm(w);
    if (nv === 0) {
      lambda = rq;
      converged = true;
      break;
    }
    for (let i = 0; i < w.length; i++) w[i] /= nv;
    const done = Number.isFinite(lambda) && Math.abs(rq - lambda) <= tol * Math.max(Math.abs(rq), 1e-30);
    lambda = rq;
    v = w;
    if (done) {
      converged = true;
      break;
    }
  }
  return { lambda, v, converged };
}

/**
 * The top eigenvalue of ∇²f(params) by (shifted) power iteration.
 *
 * ```ts
 * const { value } = hessianPowerIteration(f, params); // λ_max, also when negative curvature dominates
 * ```
 */
export function hessianPowerIteration(
  f: CurvatureObjective,
  params: ParamTree,
  options: PowerIterationOptions = {},
): PowerIterationResult {
  const H = flatHessian(f, params, options);
  const shift = options.shift ?? 0;
  assertFiniteNumber('shift', shift);
  const which = options.which ?? (options.shift === undefined ? 'largest' : 'magnitude');
  if (which !== 'largest' && which !== 'magnitude')
    throw new ValueError(`which must be 'largest' or 'magnitude', got ${describe(which)}`, 'which');
  const tol = options.tol ?? 1e-4;
  assertPositive('tol', tol);
  const maxIter = options.maxIter ?? 100;
  assertInteger('maxIter', maxIter, 1);
  const rng = new Rng(options.seed ?? 0).fold('power');
  let r = pass(H, shift, tol, maxIter, rng.fold(0));
  if (which === 'largest' && r.lambda < shift) {
    // the farthest eigenvalue is below the shift: the top of the spectrum is the far end from it
    const second = pass(H, r.lambda, tol, maxIter, rng.fold(1));
    if (second.lambda > r.lambda) r = { ...second, converged: second.converged && r.converged };
  }
  return { value: r.lambda, vector: unflattenTree(r.v, params), hvps: H.products, converged: r.converged };
}
