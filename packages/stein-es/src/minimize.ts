/**
 * One-call optimisation: runs CMA-ES, SV-CMA-ES or SV-OpenAI-ES on a (sync or async) batch
 * objective until the budget, the target or a stopping criterion, counting evaluations.
 * @module
 */
import {
  type AskTellStrategy,
  type RunResult,
  Rng,
  type StopReason,
  type VectorLike,
  ValueError,
  describe,
  option,
  resolveOptions,
} from '@descent/tensor';
import { type BoxBounds, resolveBounds } from './bounds';
import { CMAES, type CMAESOptions } from './cmaEs';
import { RENAMED_OPTIONS } from './cmaOptions';
import { defaultPopSize } from './cmaParameters';
import type { BatchObjective } from './evaluate';
import { DEFAULT_BATCH_RETRIES, EvaluationLedger } from './evaluationLedger';
import { SVCMAES, type SVCMAESOptions } from './svCmaEs';
import { SVOpenAIES, type SVOpenAIESOptions } from './svOpenAiEs';

/** Options of {@link minimize}. */
export interface MinimizeOptions {
  /** `'cma'` (default), `'sv-cma'` (diverse optima, one per particle) or `'sv-openai'`. */
  method?: 'cma' | 'sv-cma' | 'sv-openai';
  /** Start point (CMA-ES mean; centre of the particles otherwise). Required unless finite `bounds` are given. */
  x0?: VectorLike;
  /** Initial step size (default 0.3 of the bounds' width if bounded, else 1). */
  sigma0?: number;
  /** Box constraints (repair by clipping unless `boundHandling: 'penalty'`). */
  bounds?: BoxBounds;
  /** Evaluation budget (default 1e4·d). */
  maxEvals?: number;
  /** Stop once f ≤ ftarget (default −Infinity). */
  ftarget?: number;
  /** Seed (default 0). */
  seed?: number | string;
  /** Particles for the SV methods (default 8). */
  numPopulations?: number;
  /** Samples per population λ (default 4 + ⌊3 ln d⌋; even for sv-openai). */
  popSize?: number;
  /** Extra options passed to the strategy (CMAES, SVCMAES or SVOpenAIES; checked by it). */
  strategy?: Partial<CMAESOptions> | Partial<SVCMAESOptions> | Partial<SVOpenAIESOptions>;
  /** Called after every generation with the step, the evaluations so far and the best f. */
  onStep?: (info: { step: number; evaluations: number; fBest: number }) => void;
  /**
   * Failed batches in a row (the objective threw, or every value was NaN/±Inf) that are retried
   * before the run ends with a `ValueError` naming `f` (default 2). A failed batch is never told:
   * the strategy is unchanged and the same candidates are evaluated again; its evaluations count.
   */
  batchRetries?: number;
}

/** One history entry of {@link minimize}. */
export interface MinimizeHistoryEntry {
  /** Generations done. */
  step: number;
  /** Evaluations so far. */
  evaluations: number;
  /** Best f so far. */
  fBest: number;
}

/** Result of {@link minimize}: the shared {@link RunResult} fields plus the best point. */
export interface MinimizeResult extends RunResult<MinimizeHistoryEntry> {
  /** Best point found. */
  x: Float64Array;
  /** Its value. */
  f: number;
  /** Evaluations that threw or were NaN/±Inf (treated as worst; every candidate of a failed batch). */
  failedEvaluations: number;
  /** Batches that failed as a whole and were not told (the strategy stayed unchanged). */
  failedBatches: number;
  /** Generations run. */
  steps: number;
  /** For the SV methods: the best point of each particle (diverse optima). */
  solutions?: Float64Array[];
}

const schema = {
  method: option.oneOf(['cma', 'sv-cma', 'sv-openai'], { default: 'cma' }),
  x0: option.vector(),
  sigma0: option.number({ gt: 0 }),
  bounds: option.custom<unknown>((v) => v),
  maxEvals: option.integer({ min: 1, allowInfinity: true }),
  ftarget: option.custom(
    (v, name): number => {
      if (typeof v !== 'number' || Number.isNaN(v))
        throw new ValueError(`${name} must be a number, got ${describe(v)}`, name);
      return v;
    },
    { default: Number.NEGATIVE_INFINITY },
  ),
  seed: option.seed(),
  numPopulations: option.integer({ min: 1, default: 8 }),
  popSize: option.integer({ min: 2 }),
  strategy: option.custom(
    (v, name): Record<string, unknown> => {
      if (v === null || typeof v !== 'object' || Array.isArray(v))
        throw new ValueError(`${name} must be an options object, got ${describe(v)}`, name);
      return v as Record<string, unknown>;
    },
    { default: {} },
  ),
  onStep: option.func<(info: { step: number; evaluations: number; fBest: number }) => void>(),
  batchRetries: option.integer({ min: 0, default: DEFAULT_BATCH_RETRIES }),
};

/**
 * Minimises a batch objective within `maxEvals` evaluations (never exceeded: the run stops when
 * the next generation would not fit). A candidate whose value is NaN/±Infinity or whose
 * evaluation throws is ranked worst and counted in `failedEvaluations`. A batch that fails as a
 * whole (the objective threw, or every value is NaN/±Inf) is not told, so the strategy is
 * unchanged; it is retried up to `batchRetries` times, then the run stops with a `ValueError`
 * naming `f` (its `cause` is the objective's error).
 *
 * ```ts
 * const r = await minimize((xs) => xs.map(rosenbrock), { x0: [0, 0, 0, 0], sigma0: 0.5, ftarget: 1e-10 });
 * r.x; r.f; r.stopReason; // 'ftarget'
 * ```
 */
export async function minimize(f: BatchObjective, options: MinimizeOptions): Promise<MinimizeResult> {
  const t0 = performance.now();
  if (typeof f !== 'function')
    throw new ValueError(`f must be a batch objective (xs) => values, got ${describe(f)}`, 'f');
  const o = resolveOptions(options, schema, {
    name: 'minimize options',
    renamed: { ...RENAMED_OPTIONS, onGeneration: 'onStep' },
  });
  const { method, x0 } = o;
  const rawBounds = o.bounds as BoxBounds | undefined;
  const sideLength = (v: unknown) =>
    v != null && typeof v === 'object' && typeof (v as ArrayLike<number>).length === 'number'
      ? (v as ArrayLike<number>).length
      : undefined;
  const d = x0?.length ?? sideLength(rawBounds?.lower) ?? sideLength(rawBounds?.upper);
  if (d === undefined) throw new ValueError('x0 (or array bounds) is required to know the dimension', 'x0');
  const box = resolveBounds(rawBounds, d);
  const finiteBox = box !== undefined && box.lower.every(Number.isFinite) && box.upper.every(Number.isFinite);
  let center: Float64Array;
  if (x0 !== undefined) center = x0;
  else if (finiteBox && box) center = box.lower.map((l, i) => 0.5 * (l + box.upper[i]));
  else throw new ValueError('x0 is required when the bounds are not finite', 'x0');
  const width = finiteBox && box ? Math.max(...box.upper.map((u, i) => u - box.lower[i])) : 0;
  const sigma0 = o.sigma0 ?? (finiteBox ? 0.3 * width : 1);
  const maxEvals = o.maxEvals ?? 1e4 * d;
  const { ftarget, seed } = o;
  const popSize = o.popSize ?? defaultPopSize(d);
  const P = o.numPopulations;
  const bounds = box ? { lower: box.lower, upper: box.upper } : undefined;
  const means0 =
    finiteBox && box
      ? { lower: box.lower, upper: box.upper, count: P }
      : Array.from({ length: P }, (_, i) => {
          // particles around x0: x0 + σ₀·N(0, I) (x0 itself for P = 1)
          const z = new Rng(seed).fold('minimize-init', i).normalArray(d);
          return center.map((c, k) => c + (P === 1 ? 0 : sigma0 * z[k]));
        });
  let es: AskTellStrategy;
  if (method === 'cma') {
    es = new CMAES({
      mean0: center,
      sigma0,
      popSize,
      bounds,
      seed,
      maxEvals,
      ftarget,
      ...(o.strategy as Partial<CMAESOptions>),
    });
  } else if (method === 'sv-cma') {
    es = new SVCMAES({
      means0,
      popSize,
      sigma0,
      bounds,
      seed,
      maxEvals,
      ftarget,
      ...(o.strategy as Partial<SVCMAESOptions>),
    });
  } else {
    es = new SVOpenAIES({
      means0,
      popSize: popSize + (popSize % 2),
      sigma0,
      bounds,
      seed,
      maxEvals,
      ...(o.strategy as Partial<SVOpenAIESOptions>),
    });
  }
  const history: MinimizeHistoryEntry[] = [];
  const ledger = new EvaluationLedger(maxEvals, o.batchRetries, 'f');
  let steps = 0;
  let stopReason: StopReason | null = null;
  for (;;) {
    stopReason = es.stop();
    if (!stopReason && es.fBest <= ftarget) stopReason = 'ftarget';
    if (stopReason) break;
    const xs = es.ask();
    if (!ledger.fits(xs.length)) {
      stopReason = 'maxEvals';
      break;
    }
    const values = await ledger.evaluate(f, xs);
    if (values === null) continue; // a failed batch: not told, the same batch is retried
    es.tell(xs, values);
    steps++;
    history.push({ step: steps, evaluations: ledger.evaluations, fBest: es.fBest });
    o.onStep?.({ step: steps, evaluations: ledger.evaluations, fBest: es.fBest });
  }
  const xBest = es.xBest;
  if (xBest === null)
    throw new ValueError(
      `maxEvals (${maxEvals}) is smaller than one generation (${es.ask().length} evaluations)`,
      'maxEvals',
    );
  const result: MinimizeResult = {
    x: xBest,
    f: es.fBest,
    evaluations: ledger.evaluations,
    failedEvaluations: ledger.failedEvaluations,
    failedBatches: ledger.failedBatches,
    steps,
    stopReason: stopReason ?? 'maxEvals',
    history,
    timeMs: performance.now() - t0,
  };
  if (es instanceof SVCMAES)
    result.solutions = es.populationBestX.filter((x): x is Float64Array => x !== null);
  if (es instanceof SVOpenAIES) result.solutions = es.means;
  return result;
}
