/**
 * Robust Wirtinger Flow: the iterative phase of Buna & Rebeschini (arXiv 2410.10623), as
 * reconstructed in the reference notes. Each iteration replaces the empirical mean of the per-sample
 * WF gradients g_i(z) = ((a_iᵀz)² − y_i)(a_iᵀz)·a_i by a robust mean estimate
 * ĝ = MeanEst_{η, δ/T}({g_i(z_t)}_{i ∈ batch_t}) and steps z ← z − (μ/ŝ²)·ĝ with ŝ² = ‖z0‖².
 * Batches: `full` reuses all m samples (practical default) or `split` uses T disjoint fresh batches
 * of ⌊m/T⌋ samples, one per iteration (the paper's sample-splitting analysis).
 * @module
 */
import { Rng, ValueError, assertInRange, assertInteger } from '@descent/tensor';
import { type PhaseContext, makeContext } from './context';
import { checkChoice, checkEta, readOptionalVector, readPhaseData } from './inputs';
import { type LoopOptions, resolveLoop, runLoop, stepAlong } from './iterate';
import { robustObjectiveFromProducts } from './metrics';
import {
  type MeanEstimator,
  type ResolvedMeanOptions,
  type RobustMeanOptions,
  resolveMeanOptions,
  robustMeanTransposed,
} from './robustMean';
import { type InitMethod, type SpectralInitOptions, initialise, resolveInitOptions } from './spectralInit';
import type { CommonSolverOptions, DesignLike, SolveResult, VectorLike } from './types';

/**
 * Default starts of {@link robustWF}: both are run and the final iterate with the smallest robust
 * objective is kept (the median-truncated start is the most reliable under every attack at m = 8n,
 * the robust-power start under heavy-tailed noise; at η = 0.2 the choice is the difference between
 * relErr ≈ 0.05 and ≈ 1).
 */
export const DEFAULT_ROBUST_INIT: InitMethod[] = ['median-truncated', 'robust-power'];

/** Options of {@link robustWF}. */
export interface RobustWFOptions extends CommonSolverOptions {
  /** Assumed contamination fraction η ∈ [0, 0.5) (default 0.05). */
  eta?: number;
  /** Failure probability δ, split as δ/T over the iterations (default 0.01). */
  delta?: number;
  /** Robust gradient aggregator (default `'trimmed'`, β = η + 0.02 per side). */
  estimator?: MeanEstimator;
  /** Extra estimator options (blocks, trim, kappa, ...). */
  estimatorOptions?: Omit<RobustMeanOptions, 'method' | 'eta' | 'delta' | 'seed'>;
  /** `'full'` (default) or `'split'` (T = `batches` disjoint fresh batches, one per iteration). */
  batching?: 'full' | 'split';
  /** Number of batches/iterations in `split` mode (default 10). */
  batches?: number;
  /** Step μ relative to ‖z0‖² (default 0.1; the population Hessian at x is stable for μ < 1/3). */
  mu?: number;
  /**
   * Initialisation (default `{ method: ['median-truncated', 'robust-power'] }`, robust parts with this
   * solver's estimator and η).
   * With several methods and `select: 'final'`, each start is run and the final iterate with the
   * smallest robust objective is kept.
   */
  init?: SpectralInitOptions;
  /** `'final'` (default): select among several inits after solving; `'init'`: at the start. */
  select?: 'init' | 'final';
}

/** Resolved options (internal, shared with the bilinear variant). */
export interface ResolvedRobustOptions {
  loop: LoopOptions;
  mean: ResolvedMeanOptions;
  estimator: MeanEstimator;
  eta: number;
  batching: 'full' | 'split';
  batches: number;
  mu: number;
  seed: number;
  select: 'init' | 'final';
}

/** Validates the robust-WF options. */
export function resolveRobustOptions(options: RobustWFOptions, n: number, m: number): ResolvedRobustOptions {
  const eta = checkEta(options.eta ?? 0.05);
  const delta = options.delta ?? 0.01;
  assertInRange('delta', delta, 0, 1, { minExclusive: true, maxExclusive: true });
  const batching = checkChoice('batching', options.batching ?? 'full', ['full', 'split'] as const);
  const batches = options.batches ?? 10;
  assertInteger('batches', batches, 1);
  if (batching === 'split' && Math.floor(m / batches) < 2) {
    throw new ValueError(
      `batches must leave at least 2 samples per batch (m = ${m}), got ${batches}`,
      'batches',
    );
  }
  const loop = resolveLoop(options, n, { maxIter: batching === 'split' ? batches : 500, tol: 1e-7 });
  if (batching === 'split') loop.maxIter = Math.min(loop.maxIter, batches);
  const mu = options.mu ?? 0.1;
  assertInRange('mu', mu, 0, 1, { minExclusive: true });
  const seed = options.seed ?? 0;
  assertInteger('seed', seed);
  const estimator = options.estimator ?? 'trimmed';
  const mean = resolveMeanOptions({
    ...options.estimatorOptions,
    method: estimator,
    eta,
    delta: delta / Math.max(1, loop.maxIter),
  });
  const select = checkChoice('select', options.select ?? 'final', ['init', 'final'] as const);
  return { loop, mean, estimator, eta, batching, batches, mu, seed, select };
}

/** Batches for the run: full (all indices) or T disjoint random batches. */
export function makeBatches(m: number, opts: ResolvedRobustOptions, rng: Rng): Int32Array[] {
  if (opts.batching === 'full') return [Int32Array.from({ length: m }, (_, i) => i)];
  const perm = rng.fold('batches').permutation(m);
  const size = Math.floor(m / opts.batches);
  return Array.from({ length: opts.batches }, (_, b) => perm.slice(b * size, (b + 1) * size));
}

function solveFrom(
  ctx: PhaseContext,
  z0: Float64Array,
  opts: ResolvedRobustOptions,
  rng: Rng,
  start: number,
): Omit<SolveResult, 'timeMs' | 'method' | 'x0'> {
  const { m, n, y } = ctx;
  let s2 = 0;
  for (let j = 0; j < n; j++) s2 += z0[j] * z0[j];
  const step = opts.mu / s2;
  const batches = makeBatches(m, opts, rng);
  const k = batches[0].length;
  const Gt = new Float64Array(n * k);
  const c = new Float64Array(m);
  const g = new Float64Array(n);
  const At = opts.estimator === 'mean' && opts.batching === 'full' ? null : ctx.transposed();
  return runLoop(
    ctx,
    z0,
    opts.loop,
    (z, Az, t) => {
      const idx = batches[opts.batching === 'full' ? 0 : t % batches.length];
      let ghat: Float64Array;
      if (!At) {
        for (let i = 0; i < m; i++) c[i] = ((Az[i] * Az[i] - y[i]) * Az[i]) / m;
        ghat = ctx.op.applyT(c, g);
      } else {
        for (let t2 = 0; t2 < k; t2++) {
          const i = idx[t2];
          c[t2] = (Az[i] * Az[i] - y[i]) * Az[i];
        }
        for (let j = 0; j < n; j++) {
          const o = j * k;
          const oa = j * m;
          for (let t2 = 0; t2 < k; t2++) Gt[o + t2] = c[t2] * At[oa + idx[t2]];
        }
        ghat = robustMeanTransposed(Gt, n, k, opts.mean, rng.fold('mean', t));
      }
      return stepAlong(z, step, ghat);
    },
    { name: 'robustWF', start },
  );
}

/**
 * Robust Wirtinger Flow (Buna & Rebeschini 2024, reconstructed). Defaults: estimator `trimmed`
 * (β = η + 0.02), η = 0.05, δ = 0.01, μ = 0.1, full batch, starts `median-truncated` and
 * `robust-power` with selection of the final iterate by the robust objective, maxIter 500, tol 1e-7.
 *
 * ```ts
 * const { x } = robustWF(A, y, { eta: 0.1, estimator: 'trimmed' });
 * ```
 */
export function robustWF(A: DesignLike, y: VectorLike, options: RobustWFOptions = {}): SolveResult {
  const start = performance.now();
  const data = readPhaseData(A, y);
  const opts = resolveRobustOptions(options, data.n, data.m);
  const initOpts = resolveInitOptions(options.init, {
    method: DEFAULT_ROBUST_INIT,
    eta: opts.eta,
    estimator: opts.estimator === 'mean' ? 'trimmed' : opts.estimator,
  });
  const x0 = readOptionalVector('x0', options.x0, data.n);
  const ctx = makeContext(data.A, data.y, options.products);
  const rng = new Rng(opts.seed);
  const method = `robust-wf[${opts.estimator}]`;
  try {
    if (x0) {
      const r = solveFrom(ctx, x0, opts, rng, start);
      return { ...r, x0, timeMs: performance.now() - start, method };
    }
    const init = initialise(ctx, initOpts, rng);
    const starts = opts.select === 'final' ? init.candidates : [init];
    let best: SolveResult | null = null;
    let bestObj = Infinity;
    let evaluations = 0;
    for (const cand of starts) {
      const r = solveFrom(ctx, cand.z0, opts, rng, start);
      evaluations += r.evaluations;
      const obj = robustObjectiveFromProducts(ctx.op.apply(r.x, new Float64Array(data.m)), data.y);
      if (!best || obj < bestObj) {
        bestObj = obj;
        best = { ...r, x0: Float64Array.from(cand.z0), timeMs: 0, method };
      }
    }
    return { ...(best as SolveResult), evaluations, timeMs: performance.now() - start };
  } finally {
    ctx.op.dispose();
  }
}
