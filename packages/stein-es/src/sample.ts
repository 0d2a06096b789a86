/**
 * One-call gradient-free sampling from an unnormalised density given U = −log p̃ as a (sync or
 * async) batch function: SV-CMA-ES (default), SV-OpenAI-ES or GF-SVGD, at a fixed evaluation budget.
 * @module
 */
import { ValueError, assertInteger } from '@descent/tensor';
import { type BatchObjective, evaluateBatch } from './evaluate';
import { GFSVGD, type GFSVGDOptions } from './gfSvgd';
import { SVCMAES, type SVCMAESOptions } from './svCmaEs';
import { SVOpenAIES, type SVOpenAIESOptions } from './svOpenAiEs';
import { assertLimit } from './validate';

/** Options of {@link sample}. */
export interface SampleOptions {
  /** `'sv-cma'` (default), `'sv-openai'` or `'gf-svgd'`. */
  method?: 'sv-cma' | 'sv-openai' | 'gf-svgd';
  /** Number of particles n = P (default 100, the author's demo). */
  n?: number;
  /** Box of the initial particles (uniform), e.g. `{ lower: -6, upper: 6 }` with `dim`. */
  init: { lower: ArrayLike<number> | number; upper: ArrayLike<number> | number };
  /** Dimension (needed when `init` bounds are numbers). */
  dim?: number;
  /** Evaluation budget of U (default 400 000 = the demo's 1000 generations of 100 × 4). */
  maxEvals?: number;
  /** Seed (default 0). */
  seed?: number | string;
  /**
   * Strategy options. SV-CMA-ES defaults here are the author's GMM demo (λ = 4, σ₀ = 0.05, α = 1,
   * h = √0.5), not evosax's optimisation defaults; override any of them.
   */
  strategy?: Partial<SVCMAESOptions> | Partial<SVOpenAIESOptions> | GFSVGDOptions;
  /** Called after every generation. */
  onGeneration?: (info: { generation: number; evaluations: number; particles: () => Float64Array[] }) => void;
}

/** Result of {@link sample}. */
export interface SampleResult {
  /** The n particles. */
  particles: Float64Array[];
  evaluations: number;
  /** Evaluations that threw or were NaN/±Inf. */
  failedEvaluations: number;
  generations: number;
  /** Evaluations after each generation (for plotting against a metric computed in `onGeneration`). */
  history: { evaluations: number }[];
  timeMs: number;
}

/**
 * Draws n particles approximating p ∝ exp(−U) without gradients.
 *
 * ```ts
 * const r = await sample((xs) => xs.map(negLogP), { init: { lower: -6, upper: 6 }, dim: 2, maxEvals: 4e5 });
 * ```
 */
export async function sample(negLogP: BatchObjective, options: SampleOptions): Promise<SampleResult> {
  const t0 = performance.now();
  if (typeof negLogP !== 'function')
    throw new ValueError('negLogP must be a batch function (xs) => values', 'negLogP');
  if (options == null || options.init == null)
    throw new ValueError('options.init {lower, upper} is required', 'init');
  const method = options.method ?? 'sv-cma';
  if (method !== 'sv-cma' && method !== 'sv-openai' && method !== 'gf-svgd') {
    throw new ValueError(
      `method must be 'sv-cma', 'sv-openai' or 'gf-svgd', got ${JSON.stringify(method)}`,
      'method',
    );
  }
  const n = options.n ?? 100;
  assertInteger('n', n, 1);
  const maxEvals = options.maxEvals ?? 400000;
  assertLimit('maxEvals', maxEvals);
  const seed = options.seed ?? 0;
  const means0 = { lower: options.init.lower, upper: options.init.upper, count: n, dim: options.dim };
  let ask: () => Float64Array[];
  let tell: (xs: Float64Array[], v: Float64Array) => void;
  let particles: () => Float64Array[];
  let evals: () => number;
  if (method === 'sv-cma') {
    const es = new SVCMAES({
      means0,
      popSize: 4,
      sigma0: 0.05,
      alpha: 1,
      kernel: { std: Math.SQRT1_2 },
      seed,
      ...(options.strategy as Partial<SVCMAESOptions>),
    });
    ask = () => es.ask();
    tell = (xs, v) => es.tell(xs, v);
    particles = () => es.means;
    evals = () => es.evaluations;
  } else if (method === 'sv-openai') {
    const es = new SVOpenAIES({
      means0,
      popSize: 4,
      seed,
      shaping: 'identity',
      optimizer: 'adam',
      sigma0: 0.03,
      ...(options.strategy as Partial<SVOpenAIESOptions>),
    });
    ask = () => es.ask();
    tell = (xs, v) => es.tell(xs, v);
    particles = () => es.means;
    evals = () => es.evaluations;
  } else {
    const init = new SVCMAES({ means0, popSize: 2, seed }).means; // the same uniform draw of n points
    const s = new GFSVGD(init, { stepSize: 0.05, ...(options.strategy as GFSVGDOptions) });
    ask = () => s.ask();
    tell = (xs, v) => {
      s.tell(xs, v);
    };
    particles = () => s.particles;
    evals = () => s.evaluations;
  }
  const history: SampleResult['history'] = [];
  let failed = 0;
  let generations = 0;
  for (;;) {
    const xs = ask();
    if (evals() + xs.length > maxEvals) break;
    const { values, failed: bad } = await evaluateBatch(negLogP, xs);
    failed += bad;
    tell(xs, values);
    generations++;
    history.push({ evaluations: evals() });
    options.onGeneration?.({ generation: generations, evaluations: evals(), particles });
  }
  return {
    particles: particles(),
    evaluations: evals(),
    failedEvaluations: failed,
    generations,
    history,
    timeMs: performance.now() - t0,
  };
}
