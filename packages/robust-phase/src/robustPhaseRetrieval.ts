/**
 * The one-call entry point. It runs Buna & Rebeschini's pipeline for the noise regime next to the
 * package's median-truncated baselines, keeps the candidate with the smallest robust selection
 * objective (candidates that diverge are dropped), and polishes it by reweighted least squares.
 * - `zero-mean`: robust WF on (A, y) from two starts; selection by median_i |(a_iᵀz)² − y_i|.
 * - `unknown`: pair differences → bilinear model → tailored robust WF (two starts); selection by the
 *   offset-invariant shorth of the residuals; the polish fits the noise offset.
 * The selection objectives have breakdown point 1/2, so on noiseless data with fewer than half of
 * the pairs corrupted the signal minimises them: the entry point is then at least as good as the
 * best of its candidates. The polish (Rousseeuw & Leroy's reweighted least squares, see
 * {@link reweightedWF}) regains the efficiency that trimming and median truncation lose under noise.
 * @module
 */
import { ConvergenceError, ValueError, describe, option, readEnum, resolveOptions } from '@descent/tensor';
import { makeContext } from './context';
import { readPhaseData } from './inputs';
import { RENAMED_OPTIONS, SKELETON_SCHEMA, commonSchema, loopOf } from './solver';
import { relativeError } from './metrics';
import { pairDifference } from './pairDifference';
import { medianRWF } from './reshapedWF';
import { refineOnContext } from './reweightedWF';
import { robustBilinearWF } from './robustBilinearWF';
import { ROBUST_WF_SCHEMA, type RobustWFOptions, robustWF } from './robustWF';
import { type SelectionObjective, selectionObjective } from './selection';
import { medianTWF } from './truncatedWF';
import type { DesignLike, SolveCandidate, SolveResult, VectorLike } from './types';

/** Baselines {@link robustPhaseRetrieval} also runs and selects among. */
export type Baseline = 'median-twf' | 'median-rwf';

/** Default baselines: the two median-truncated methods (robust to response outliers and large rows). */
export const DEFAULT_BASELINES: readonly Baseline[] = ['median-twf', 'median-rwf'];

/**
 * The polish is kept unless it raises the selection objective above this multiple of the selected
 * candidate's (a safeguard against a polish that leaves the basin; under noise the two differ by
 * ±10%).
 */
export const POLISH_GUARD = 1.5;

/** Options of {@link robustPhaseRetrieval}. */
export interface RobustPhaseRetrievalOptions extends RobustWFOptions {
  /** Noise regime (default `'zero-mean'`). */
  noise?: 'zero-mean' | 'unknown';
  /**
   * Baselines run on (A, y) with their own defaults and compared with the robust candidates by the
   * selection objective (default both median-truncated methods; `[]` runs the robust pipeline alone).
   */
  baselines?: readonly Baseline[];
  /** Polish the selected candidate by reweighted least squares (default true; see {@link reweightedWF}). */
  polish?: boolean;
}

/** Result of {@link robustPhaseRetrieval}: the selected run, the pipeline and every candidate. */
export interface RobustPhaseRetrievalResult extends SolveResult {
  pipeline: 'zero-mean' | 'unknown';
  /** The selection objective used. */
  selection: SelectionObjective;
  /** Every candidate (robust starts, baselines, then the polish if it ran), with its objective. */
  candidates: SolveCandidate[];
}

function attempt(
  method: string,
  run: () => SolveResult,
): { result: SolveResult | null; candidates: SolveCandidate[] } {
  try {
    const result = run();
    const single: SolveCandidate = {
      method: result.method,
      x: result.x,
      x0: result.x0,
      objective: 0,
      steps: result.steps,
      stopReason: result.stopReason,
      history: result.history,
    };
    return { result, candidates: result.candidates ?? [single] };
  } catch (e) {
    if (!(e instanceof ConvergenceError)) throw e;
    const failed: SolveCandidate = {
      method,
      x: new Float64Array(0),
      x0: new Float64Array(0),
      objective: Number.POSITIVE_INFINITY,
      steps: 0,
      stopReason: 'diverged',
      history: [],
    };
    return { result: null, candidates: [failed] };
  }
}

/**
 * Robust phase retrieval under heavy-tailed noise and an η-fraction of corrupted pairs (covariates
 * and responses).
 *
 * ```ts
 * const { x, method, candidates } = robustPhaseRetrieval(A, y, { noise: 'zero-mean', eta: 0.05 });
 * ```
 */
export function robustPhaseRetrieval(
  A: DesignLike,
  y: VectorLike,
  options: RobustPhaseRetrievalOptions = {},
): RobustPhaseRetrievalResult {
  const start = performance.now();
  // every option is checked here (unknown or renamed ones are named); robustWF re-reads its own
  const o = resolveOptions(
    options,
    {
      ...commonSchema({ maxSteps: 500, tol: 1e-10 }),
      ...SKELETON_SCHEMA,
      ...ROBUST_WF_SCHEMA,
      noise: option.oneOf(['zero-mean', 'unknown'] as const, { default: 'zero-mean' }),
      baselines: option.custom(
        (v, name) => {
          if (!Array.isArray(v)) throw new ValueError(`${name} must be an array, got ${describe(v)}`, name);
          return v.map((b, i) => readEnum(b, `${name}[${i}]`, DEFAULT_BASELINES));
        },
        { default: [...DEFAULT_BASELINES] },
      ),
      polish: option.boolean({ default: true }),
    },
    { name: 'robustPhaseRetrieval options', renamed: RENAMED_OPTIONS },
  );
  const { noise: _noise, baselines: _baselines, polish: _polish, ...rest } = options;
  const pipeline = o.noise;
  const chosen = o.baselines;
  const polish = o.polish;
  const data = readPhaseData(A, y, { minRatio: pipeline === 'unknown' ? 2 : 1 });
  const seed = o.seed;
  const loop = loopOf(o, data.n);
  const selection: SelectionObjective = pipeline === 'zero-mean' ? 'lms' : 'shorth';
  const estimator = o.estimator;
  const runs: Array<ReturnType<typeof attempt>> = [];
  if (pipeline === 'zero-mean') {
    runs.push(attempt(`robust-wf[${estimator}]`, () => robustWF(data.A, data.y, rest)));
  } else {
    const { U, V, yTilde } = pairDifference(data.A, data.y, seed);
    const { init: _init, select: _select, ...bilinear } = rest;
    runs.push(
      attempt(`bilinear-wf[${estimator}]`, () =>
        robustBilinearWF(U, V, yTilde, { ...bilinear, init: { method: ['robust-power', 'spectral'] } }),
      ),
    );
  }
  const common = { seed: rest.seed, products: rest.products, xTrue: rest.xTrue };
  for (const b of chosen) {
    runs.push(
      attempt(b, () =>
        b === 'median-twf' ? medianTWF(data.A, data.y, common) : medianRWF(data.A, data.y, common),
      ),
    );
  }
  const candidates: SolveCandidate[] = [];
  let best: SolveCandidate | null = null;
  let evaluations = 0;
  const score = (c: SolveCandidate) => {
    c.objective = selectionObjective(data.A, data.y, c.x, selection);
    if (loop.xTrue) c.relErr = relativeError(c.x, loop.xTrue);
  };
  for (const r of runs) {
    evaluations += r.result?.evaluations ?? 0;
    for (const c of r.candidates) {
      if (c.stopReason !== 'diverged') score(c);
      candidates.push(c);
      if (c.stopReason !== 'diverged' && (!best || c.objective < best.objective)) best = c;
    }
  }
  if (!best) {
    throw new ConvergenceError(
      `robustPhaseRetrieval: every candidate diverged (${candidates.map((c) => c.method).join(', ')}); y may not hold phase-retrieval intensities (a_iᵀx)² + noise, or more than half of the pairs are corrupted`,
      'y',
    );
  }
  if (polish) {
    const ctx = makeContext(data.A, data.y, o.products);
    try {
      const p = refineOnContext(ctx, best.x, loop, { intercept: pipeline === 'unknown' }, start);
      evaluations += p.evaluations;
      if (p.stopReason !== 'diverged') {
        const c: SolveCandidate = {
          method: `reweighted-wf(${best.method})`,
          x: p.x,
          x0: best.x,
          objective: 0,
          steps: p.steps,
          stopReason: p.stopReason,
          history: p.history,
        };
        score(c);
        candidates.push(c);
        if (c.objective <= POLISH_GUARD * best.objective) best = c;
      }
    } finally {
      ctx.op.dispose();
    }
  }
  return {
    x: best.x,
    x0: best.x0,
    steps: best.steps,
    converged: best.stopReason === 'converged',
    stopReason: best.stopReason,
    history: best.history,
    method: best.method,
    evaluations,
    timeMs: performance.now() - start,
    pipeline,
    selection,
    candidates,
  };
}
