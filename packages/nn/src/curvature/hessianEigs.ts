/**
 * Extreme Hessian eigenvalues by Lanczos with full reorthogonalisation (the core's `topEigs`,
 * whose Ritz values come from its float64 tridiagonal QL solver), on exact HVPs: what
 * sharpness studies report (Zhou et al.'s code runs scipy's `eigsh` on full-batch HVPs).
 * @module
 */
import { type EigWhich, Rng, assertInteger, assertPositive, topEigs } from '@descent/tensor';
import { type ParamTree, unflattenTree } from '../tree';
import { flatHessian } from './flatHvp';
import type { HvpTreeOptions } from './hvp';
import type { CurvatureObjective } from './objective';

/** Options of {@link hessianEigs}. */
export interface HessianEigsOptions extends HvpTreeOptions {
  /** `'largest'` algebraic (default; descending), `'smallest'` (ascending) or `'magnitude'`. */
  which?: EigWhich;
  /**
   * Relative Ritz residual tolerance ‖Hy − θy‖ ≤ tol·max|θ| (default 1e-4: HVPs are float32, so
   * much smaller tolerances cannot be reached).
   */
  tol?: number;
  /** Maximum Krylov dimension = HVPs (default min(d, max(8k, 60))). */
  maxIter?: number;
  /** Seed of the random start (default 0). */
  seed?: number | string;
  /** Also return the eigenvectors as parameter trees (default false). */
  vectors?: boolean;
}

/** What {@link hessianEigs} returns. */
export interface HessianEigs {
  /** The k eigenvalues in the order of `which`. */
  values: Float64Array;
  /** Unit eigenvectors as trees like `params` (only with `vectors: true`; owned by the caller). */
  vectors: ParamTree[];
  /** Hessian-vector products used. */
  hvps: number;
}

/**
 * The k extreme eigenvalues of ∇²f(params) by Lanczos. Throws a ConvergenceError if `maxIter`
 * products do not reach `tol`.
 *
 * ```ts
 * const { values } = hessianEigs(datasetObjective(model, loss, train), params, 2); // λ₁ ≥ λ₂
 * ```
 */
export function hessianEigs(
  f: CurvatureObjective,
  params: ParamTree,
  k: number,
  options: HessianEigsOptions = {},
): HessianEigs {
  const H = flatHessian(f, params, options);
  assertInteger('k', k, 1, H.size);
  const tol = options.tol ?? 1e-4;
  assertPositive('tol', tol);
  const maxIter = options.maxIter ?? Math.min(H.size, Math.max(8 * k, 60));
  assertInteger('maxIter', maxIter, k);
  const r = topEigs((v) => H.matvec(v), H.size, k, {
    which: options.which ?? 'largest',
    tol,
    maxIter,
    rng: new Rng(options.seed ?? 0).fold('lanczos'),
  });
  const vectors: ParamTree[] = [];
  if (options.vectors) {
    const d = H.size;
    for (let j = 0; j < k; j++) {
      const col = new Float64Array(d);
      for (let i = 0; i < d; i++) col[i] = r.vectors.data[i * k + j];
      vectors.push(unflattenTree(col, params));
    }
  }
  return { values: r.values, vectors, hvps: H.products };
}
