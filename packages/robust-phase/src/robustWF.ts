/**
 * Robust Wirtinger Flow: the iterative phase of Buna & Rebeschini (arXiv 2410.10623), as
 * reconstructed in the reference notes. Each iteration replaces the empirical mean of the per-sample
 * WF gradients g_i(z) = ((a_iᵀz)² − y_i)(a_iᵀz)·a_i by a robust mean estimate
 * ĝ = MeanEst_{η, δ/T}({g_i(z_t)}_{i ∈ batch_t}) and steps z ← z − α_t·ĝ.
 * Batches: `full` reuses all m samples (practical default) or `split` uses T disjoint fresh batches
 * of ⌊m/T⌋ samples, one per iteration (the paper's sample-splitting analysis).
 * Step α_t: `'constant'` μ/ŝ² with ŝ² = ‖z0‖² (the notes' rule), or `'bb'` (default): the
 * Barzilai–Borwein step sᵀd/dᵀd of the robust gradient map (s = z_t − z_{t−1}, d = ĝ_t − ĝ_{t−1}),
 * clamped to [μ_min, μ_max]/ŝ², so the step follows the curvature the estimator actually has
 * (a trimmed mean drops the large-curvature tail samples, and its effective Hessian is several times
 * smaller than the population one; a constant μ = 0.1 then converges in hundreds of iterations).
 * @module
 */
import {
  type Rng,
  ValueError,
  assertInRange,
  assertInteger,
  readEnum,
  option,
  describe,
} from '@descent/tensor';
import type { PhaseContext } from './context';
import { checkEta } from './inputs';
import { type LoopOptions, stepAlong } from './iterate';
import {
  MEAN_ESTIMATORS,
  type MeanEstimator,
  type ResolvedMeanOptions,
  type RobustMeanOptions,
  resolveMeanOptions,
  robustMeanTransposed,
} from './robustMean';
import { type Iteration, type SkeletonOptions, solvePhase } from './solver';
import type { InitMethod } from './spectralInit';
import type { DesignLike, SolveResult, VectorLike } from './types';

/**
 * Default starts of {@link robustWF}: both are run and the final iterate with the smallest robust
 * objective is kept (the median-truncated start is the most reliable under every attack at m = 8n,
 * the robust-power start under heavy-tailed noise).
 */
export const DEFAULT_ROBUST_INIT: InitMethod[] = ['median-truncated', 'robust-power'];

/** Step-size rules of {@link robustWF}. */
export type StepRule = 'bb' | 'constant';

/** Options of {@link robustWF}. */
export interface RobustWFOptions extends SkeletonOptions {
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
  /** Step μ relative to ‖z0‖² (default 0.1: the first step of `'bb'`, every step of `'constant'`). */
  learningRate?: number;
  /**
   * `'bb'` (default with full batches): Barzilai–Borwein steps clamped to [0.02, 1]/‖z0‖²;
   * `'constant'` (default with `batching: 'split'`, where consecutive gradients see different samples).
   */
  stepRule?: StepRule;
}

/** Reads a plain-object option (its fields are validated by the function that uses it). */
export function readObjectOption(value: unknown, name: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new ValueError(`${name} must be an object, got ${describe(value)}`, name);
  return value as Record<string, unknown>;
}

/** Robust WF's own options (beyond the skeleton's); shared with the bilinear WF and the entry point. */
export const ROBUST_WF_SCHEMA = {
  eta: option.custom((v, name) => checkEta(v, name), { default: 0.05 }),
  delta: option.number({ gt: 0, lt: 1, default: 0.01 }),
  estimator: option.oneOf(MEAN_ESTIMATORS, { default: 'trimmed' }),
  estimatorOptions: option.custom(readObjectOption),
  batching: option.oneOf(['full', 'split'] as const, { default: 'full' }),
  batches: option.integer({ min: 1, default: 10 }),
  learningRate: option.number({ gt: 0, max: 1, default: 0.1 }),
  stepRule: option.oneOf(['bb', 'constant'] as const),
};

/** BB steps are clamped to [BB_MIN, BB_MAX]/‖z0‖². */
export const BB_MIN = 0.02;
/** See {@link BB_MIN}. */
export const BB_MAX = 1;

/** Resolved options (internal, shared with the bilinear variant). */
export interface ResolvedRobustOptions {
  mean: ResolvedMeanOptions;
  estimator: MeanEstimator;
  eta: number;
  batching: 'full' | 'split';
  batches: number;
  mu: number;
  stepRule: StepRule;
}

/** Validates the robust-WF options (given the validated loop options and m). */
export function resolveRobustOptions(
  options: RobustWFOptions,
  loop: LoopOptions,
  m: number,
  estimatorEta?: number,
): ResolvedRobustOptions {
  const eta = checkEta(options.eta ?? 0.05);
  const delta = options.delta ?? 0.01;
  assertInRange('delta', delta, 0, 1, { minExclusive: true, maxExclusive: true });
  const batching = readEnum(options.batching ?? 'full', 'batching', ['full', 'split'] as const);
  const batches = options.batches ?? 10;
  assertInteger('batches', batches, 1);
  if (batching === 'split' && Math.floor(m / batches) < 2) {
    throw new ValueError(
      `batches must leave at least 2 samples per batch (m = ${m}), got ${batches}`,
      'batches',
    );
  }
  if (batching === 'split') loop.maxSteps = Math.min(loop.maxSteps, batches);
  const mu = options.learningRate ?? 0.1;
  assertInRange('learningRate', mu, 0, 1, { minExclusive: true });
  const stepRule = readEnum(options.stepRule ?? (batching === 'split' ? 'constant' : 'bb'), 'stepRule', [
    'bb',
    'constant',
  ] as const);
  const estimator = options.estimator ?? 'trimmed';
  const mean = resolveMeanOptions({
    ...options.estimatorOptions,
    method: estimator,
    eta: estimatorEta ?? eta,
    delta: delta / Math.max(1, loop.maxSteps),
  });
  return { mean, estimator, eta, batching, batches, mu, stepRule };
}

/** Batches for the run: full (all indices) or T disjoint random batches. */
export function makeBatches(m: number, opts: ResolvedRobustOptions, rng: Rng): Int32Array[] {
  if (opts.batching === 'full') return [Int32Array.from({ length: m }, (_, i) => i)];
  const perm = rng.fold('batches').permutation(m);
  const size = Math.floor(m / opts.batches);
  return Array.from({ length: opts.batches }, (_, b) => perm.slice(b * size, (b + 1) * size));
}

/**
 * The step-size rule: α_0 = μ/ŝ², then (rule `'bb'`) α_t = sᵀd/dᵀd clamped to [BB_MIN, BB_MAX]/ŝ²,
 * keeping α_{t−1} when sᵀd ≤ 0 (no positive curvature seen along s).
 */
export function makeStepSize(
  rule: StepRule,
  mu: number,
  s2: number,
): (z: Float64Array, g: Float64Array) => number {
  let alpha = mu / s2;
  if (rule === 'constant') return () => alpha;
  const lo = BB_MIN / s2;
  const hi = BB_MAX / s2;
  let zPrev: Float64Array | null = null;
  let gPrev: Float64Array | null = null;
  return (z, g) => {
    if (zPrev && gPrev) {
      let sd = 0;
      let dd = 0;
      for (let j = 0; j < z.length; j++) {
        const d = g[j] - gPrev[j];
        sd += (z[j] - zPrev[j]) * d;
        dd += d * d;
      }
      if (sd > 0 && dd > 0) alpha = Math.min(hi, Math.max(lo, sd / dd));
    }
    zPrev = Float64Array.from(z);
    gPrev = Float64Array.from(g);
    return alpha;
  };
}

/** The robust-WF iteration from z0 (internal; shared with robustPhaseRetrieval's polishing). */
export function robustWFIteration(
  ctx: PhaseContext,
  z0: Float64Array,
  opts: ResolvedRobustOptions,
  rng: Rng,
): Iteration {
  const { m, n, y } = ctx;
  let s2 = 0;
  for (let j = 0; j < n; j++) s2 += z0[j] * z0[j];
  const stepSize = makeStepSize(opts.stepRule, opts.mu, s2);
  const batches = makeBatches(m, opts, rng);
  const k = batches[0].length;
  const Gt = new Float64Array(n * k);
  const c = new Float64Array(m);
  const g = new Float64Array(n);
  const At = opts.estimator === 'mean' && opts.batching === 'full' ? null : ctx.transposed();
  return {
    step(z, Az, t) {
      const b = opts.batching === 'full' ? 0 : t % batches.length;
      const idx = batches[b];
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
        // one MOM partition (and filter start) per batch: the estimator is a fixed function of z
        ghat = robustMeanTransposed(Gt, n, k, opts.mean, rng.fold('mean', b));
      }
      return stepAlong(z, stepSize(z, ghat), ghat);
    },
  };
}

/**
 * Robust Wirtinger Flow (Buna & Rebeschini 2024, reconstructed). Defaults: estimator `trimmed`
 * (β = η + 0.02), η = 0.05, δ = 0.01, full batch, BB steps from μ = 0.1, starts `median-truncated`
 * and `robust-power` with selection of the final iterate by the robust objective (starts that
 * diverge are dropped), maxSteps 500, tol 1e-10 (relative step; BB steps reach it in ~100
 * iterations on clean data; at the noise floor the stagnation rule stops it).
 *
 * ```ts
 * const { x } = robustWF(A, y, { eta: 0.1, estimator: 'trimmed' });
 * ```
 */
export function robustWF(A: DesignLike, y: VectorLike, options: RobustWFOptions = {}): SolveResult {
  const eta = checkEta(options.eta ?? 0.05);
  const estimator = options.estimator ?? 'trimmed';
  const init = {
    method: DEFAULT_ROBUST_INIT,
    eta,
    estimator: estimator === 'mean' ? ('trimmed' as const) : estimator,
  };
  const defaults = { name: 'robustWF', maxSteps: 500, tol: 1e-10, init };
  return solvePhase(A, y, options, defaults, ROBUST_WF_SCHEMA, ({ ctx, loop }, o) => {
    const opts = resolveRobustOptions(o as RobustWFOptions, loop, ctx.m);
    return {
      name: 'robustWF',
      method: `robust-wf[${opts.estimator}]`,
      divergenceArgument: 'eta',
      advice: `the robust gradients did not hold: the contamination may exceed eta = ${opts.eta} (raise eta), the estimator '${opts.estimator}' may not suit the attack (try 'trimmed' or 'filter'), or use robustPhaseRetrieval, which also tries median-TWF and median-RWF`,
      iteration: (z0, rng) => robustWFIteration(ctx, z0, opts, rng),
    };
  });
}
