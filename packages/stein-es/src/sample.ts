/**
 * One-call gradient-free sampling from an unnormalised density given U = −log p̃ as a (sync or
 * async) batch function: SV-OpenAI-ES (default), SV-CMA-ES or GF-SVGD, at a fixed evaluation
 * budget, with particle weights for weighted estimates.
 * @module
 */
import {
  type AskTellStrategy,
  type RunResult,
  ValueError,
  describe,
  option,
  resolveOptions,
} from '@descent/tensor';
import { RENAMED_OPTIONS } from './cmaOptions';
import type { BatchObjective } from './evaluate';
import { DEFAULT_BATCH_RETRIES, EvaluationLedger } from './evaluationLedger';
import { GFSVGD, type GFSVGDOptions } from './gfSvgd';
import { particleWeights } from './particleWeights';
import { SVCMAES, type SVCMAESOptions } from './svCmaEs';
import { SVOpenAIES, type SVOpenAIESOptions } from './svOpenAiEs';

/** Options of {@link sample}. */
export interface SampleOptions {
  /**
   * `'sv-openai'` (default), `'sv-cma'` or `'gf-svgd'`. SV-OpenAI-ES with raw-fitness (identity)
   * shaping estimates the Gaussian-smoothed score, so its particles settle at an SVGD fixed point
   * whose spread matches the target; SV-CMA-ES's rank-based steps carry no gradient magnitude, so
   * its within-mode spread is set by α, h and σ rather than by the target (measured on the mixture
   * family: ×2.1 on three modes of width 0.5, ×3.1 on five of width 0.25, ×0.56 in 10-D; README
   * "Honest sampler defaults"). `'sv-cma'` keeps the paper's algorithm with the author's demo settings.
   * SV-OpenAI-ES runs at the author's original settings except the kernel bandwidth, which grows
   * with the dimension: h = √(d/2) (the author's h = 1 at d = 2; with h = 1 the particles
   * under-disperse from d ≈ 8 on). `strategy: { kernel: { type: 'rbf', bandwidth: 1 } }` restores
   * the author's original exactly.
   */
  method?: 'sv-cma' | 'sv-openai' | 'gf-svgd';
  /**
   * Number of particles n = P. Default 100 (the author's demo) for `'sv-cma'` and `'gf-svgd'`;
   * for `'sv-openai'` max(100, ⌈12.5·d⌉) (100 up to d = 8, 200 at d = 16): from d ≈ 12 on, a
   * narrow mode catches too few of 100 particles to show its spread (README "Honest sampler defaults").
   */
  n?: number;
  /** Box of the initial particles (uniform), e.g. `{ lower: -6, upper: 6 }` with `dim`. */
  init: { lower: ArrayLike<number> | number; upper: ArrayLike<number> | number };
  /** Dimension (needed when `init` bounds are numbers). */
  dim?: number;
  /** Evaluation budget of U (default 400 000 = the demo's 1000 generations of 100 × 4), never exceeded (the n evaluations of the weights included). */
  maxEvals?: number;
  /**
   * Whether to return particle weights (default true): U is evaluated once more at the n final
   * particles (n evaluations, reserved from the budget) and `weights` are the self-normalised
   * importance weights p̃/q̂ of {@link particleWeights}; use them for weighted estimates
   * (Σ w_i g(x_i)), which are right on unequal mixtures where the particles split about equally.
   */
  weights?: boolean;
  /** Seed (default 0). */
  seed?: number | string;
  /**
   * Strategy options. SV-OpenAI-ES defaults here are the author's original (λ = 4, Adam 0.05,
   * σ = 0.03, identity shaping, α = 1) with h = √(d/2); SV-CMA-ES defaults are the author's GMM
   * demo (λ = 4, σ₀ = 0.05, α = 1, h = √0.5), not evosax's optimisation defaults; override any of them.
   */
  strategy?: Partial<SVCMAESOptions> | Partial<SVOpenAIESOptions> | GFSVGDOptions;
  /** Called after every generation. */
  onStep?: (info: { step: number; evaluations: number; particles: () => Float64Array[] }) => void;
  /**
   * Failed batches in a row (the objective threw, or every value was NaN/±Inf) retried before the
   * run ends with a `ValueError` naming `negLogP` (default 2). A failed batch is never told (the
   * strategy is unchanged); its evaluations count.
   */
  batchRetries?: number;
}

/** One history entry of {@link sample}. */
export interface SampleHistoryEntry {
  /** Generations done. */
  step: number;
  /** Evaluations so far. */
  evaluations: number;
}

/** Result of {@link sample}: the shared {@link RunResult} fields plus the particles. */
export interface SampleResult extends RunResult<SampleHistoryEntry> {
  /** The n particles. */
  particles: Float64Array[];
  /** Evaluations that threw or were NaN/±Inf (every candidate of a failed batch included). */
  failedEvaluations: number;
  /** Batches that failed as a whole and were not told (the strategy stayed unchanged). */
  failedBatches: number;
  /** Generations run. */
  steps: number;
  /** Self-normalised importance weights of the particles (Σ = 1; with `weights: true`, the default). */
  weights?: Float64Array;
  /** U = −log p̃ at each particle (the values the weights use; +Infinity where it failed). */
  particleNegLogP?: Float64Array;
  /** Effective sample size 1/Σ w² of the weights. */
  ess?: number;
}

const schema = {
  method: option.oneOf(['sv-cma', 'sv-openai', 'gf-svgd'], { default: 'sv-openai' }),
  weights: option.boolean({ default: true }),
  n: option.integer({ min: 1 }),
  init: option.custom(
    (v, name): { lower: ArrayLike<number> | number; upper: ArrayLike<number> | number } => {
      if (v === null || typeof v !== 'object')
        throw new ValueError(`${name} must be a box {lower, upper}, got ${describe(v)}`, name);
      return v as { lower: ArrayLike<number> | number; upper: ArrayLike<number> | number };
    },
    { required: true },
  ),
  dim: option.integer({ min: 1 }),
  maxEvals: option.integer({ min: 1, allowInfinity: true, default: 400000 }),
  seed: option.seed(),
  strategy: option.custom(
    (v, name): Record<string, unknown> => {
      if (v === null || typeof v !== 'object' || Array.isArray(v))
        throw new ValueError(`${name} must be an options object, got ${describe(v)}`, name);
      return v as Record<string, unknown>;
    },
    { default: {} },
  ),
  onStep:
    option.func<(info: { step: number; evaluations: number; particles: () => Float64Array[] }) => void>(),
  batchRetries: option.integer({ min: 0, default: DEFAULT_BATCH_RETRIES }),
};

/**
 * The default RBF bandwidth of `sample`'s SV-OpenAI-ES in dimension d: h = √(d/2), i.e. the
 * author's h = 1 at d = 2, grown with the typical distance between two points of a mode
 * (‖x − y‖ ≈ s√(2d) for a mode of width s). With a fixed h the kernel between neighbours of one
 * mode vanishes as d grows (exp(−d s²/h²)), the repulsion that holds the particles apart acts
 * only at short range, and the particles settle too close together (SVGD's finite-n variance
 * collapse): within-mode spread ÷ true width 0.62 at d = 10, 0.55 at d = 16 with h = 1, against
 * 0.88–1.09 for d = 2–16 with h = √(d/2) (README "Honest sampler defaults", 10-D and beyond).
 */
export function dimensionScaledBandwidth(dim: number): number {
  return Math.sqrt(dim / 2);
}

/**
 * The default number of particles of `sample`'s SV-OpenAI-ES in dimension d: max(100, ⌈12.5·d⌉)
 * (100 up to d = 8, the author's n; 150 at d = 12, 200 at d = 16). With n = 100 in 16-D a mode
 * of half the width catches 5–10 particles and its spread collapses (mode-averaged spread ratio
 * 0.68–0.86 over five seeds at 400 000 evaluations); n = 200 gives 0.87–0.92.
 */
export function defaultParticleCount(dim: number): number {
  return Math.max(100, Math.ceil(12.5 * dim));
}

/** The dimension of `sample`'s initial box (`dim`, else the length of an array side; 2 if neither, which the strategy then rejects). */
function boxDimension(init: { lower: ArrayLike<number> | number; upper: ArrayLike<number> | number }, dim: number | undefined): number {
  if (dim !== undefined) return dim;
  for (const side of [init.lower, init.upper])
    if (side !== null && typeof side === 'object' && typeof side.length === 'number' && side.length > 0) return side.length;
  return 2;
}

/**
 * Draws n particles approximating p ∝ exp(−U) without gradients, within `maxEvals` evaluations
 * (never exceeded: the run stops when the next generation would not fit). An evaluation that
 * throws or returns NaN/±Infinity counts as failed (worst value / weight 0); a batch that fails
 * as a whole is not told (the strategy is unchanged) and is retried up to `batchRetries` times,
 * then the run stops with a `ValueError` naming `negLogP`. The result carries particle weights
 * (`weights`, see {@link SampleOptions.weights}) for weighted estimates.
 *
 * ```ts
 * const r = await sample((xs) => xs.map(negLogP), { init: { lower: -6, upper: 6 }, dim: 2, maxEvals: 4e5 });
 * ```
 */
export async function sample(negLogP: BatchObjective, options: SampleOptions): Promise<SampleResult> {
  const t0 = performance.now();
  if (typeof negLogP !== 'function')
    throw new ValueError(
      `negLogP must be a batch function (xs) => values, got ${describe(negLogP)}`,
      'negLogP',
    );
  const o = resolveOptions(options, schema, {
    name: 'sample options',
    renamed: { ...RENAMED_OPTIONS, onGeneration: 'onStep' },
  });
  const { method, maxEvals, seed } = o;
  const dim = boxDimension(o.init, o.dim);
  const n = o.n ?? (method === 'sv-openai' ? defaultParticleCount(dim) : 100);
  const means0 = { lower: o.init.lower, upper: o.init.upper, count: n, dim: o.dim };
  let es: AskTellStrategy;
  let particles: () => Float64Array[];
  if (method === 'sv-cma') {
    const sv = new SVCMAES({
      means0,
      popSize: 4,
      sigma0: 0.05,
      alpha: 1,
      kernel: { type: 'rbf', bandwidth: Math.SQRT1_2 },
      seed,
      ...(o.strategy as Partial<SVCMAESOptions>),
    });
    es = sv;
    particles = () => sv.means;
  } else if (method === 'sv-openai') {
    const sv = new SVOpenAIES({
      means0,
      popSize: 4,
      seed,
      shaping: 'identity',
      optimizer: 'adam',
      sigma0: 0.03,
      kernel: { type: 'rbf', bandwidth: dimensionScaledBandwidth(dim) },
      ...(o.strategy as Partial<SVOpenAIESOptions>),
    });
    es = sv;
    particles = () => sv.means;
  } else {
    const init = new SVCMAES({ means0, popSize: 2, seed }).means; // the same uniform draw of n points
    const gf = new GFSVGD(init, { learningRate: 0.05, ...(o.strategy as GFSVGDOptions) });
    es = gf;
    particles = () => gf.particles;
  }
  const history: SampleHistoryEntry[] = [];
  const ledger = new EvaluationLedger(maxEvals, o.batchRetries, 'negLogP');
  const reserve = o.weights ? n : 0; // the final evaluation of the particles for the weights
  let steps = 0;
  for (;;) {
    const xs = es.ask();
    if (!ledger.fits(xs.length + reserve) || es.stop() === 'maxEvals') break;
    const values = await ledger.evaluate(negLogP, xs);
    if (values === null) continue; // a failed batch: not told, the same batch is retried
    es.tell(xs, values);
    steps++;
    history.push({ step: steps, evaluations: ledger.evaluations });
    o.onStep?.({ step: steps, evaluations: ledger.evaluations, particles });
  }
  if (steps === 0)
    throw new ValueError(
      `maxEvals (${maxEvals}) is smaller than one generation (${es.ask().length} evaluations)${reserve ? ` plus the ${reserve} evaluations of the weights (weights: false skips them)` : ''}`,
      'maxEvals',
    );
  const final = particles();
  let weighted: Pick<SampleResult, 'weights' | 'particleNegLogP' | 'ess'> = {};
  if (o.weights) {
    let u: Float64Array | null = null;
    while (u === null && ledger.fits(n)) u = await ledger.evaluate(negLogP, final);
    if (u !== null) {
      const w = particleWeights(final, u);
      weighted = { weights: w.weights, particleNegLogP: u, ess: w.ess };
    }
  }
  return {
    particles: final,
    ...weighted,
    evaluations: ledger.evaluations,
    failedEvaluations: ledger.failedEvaluations,
    failedBatches: ledger.failedBatches,
    steps,
    history,
    timeMs: performance.now() - t0,
    stopReason: 'maxEvals',
  };
}
