/**
 * One-call optimisation: runs CMA-ES, SV-CMA-ES or SV-OpenAI-ES on a (sync or async) batch
 * objective until the budget, the target or a stopping criterion, counting evaluations.
 * @module
 */
import { Rng, ValueError, assertInteger, assertPositive } from '@descent/tensor';
import type { BoxBounds } from './bounds';
import { CMAES, type CMAESOptions } from './cmaEs';
import { defaultPopSize } from './cmaParameters';
import { type BatchObjective, evaluateBatch } from './evaluate';
import { SVCMAES, type SVCMAESOptions } from './svCmaEs';
import { SVOpenAIES, type SVOpenAIESOptions } from './svOpenAiEs';
import { assertLimit } from './validate';

/** Options of {@link minimize}. */
export interface MinimizeOptions {
  /** `'cma'` (default), `'sv-cma'` (diverse optima, one per particle) or `'sv-openai'`. */
  method?: 'cma' | 'sv-cma' | 'sv-openai';
  /** Start point (CMA-ES mean; centre of the particles otherwise). Required unless `bounds` are given. */
  x0?: ArrayLike<number>;
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
  /** Extra options passed to the strategy (CMAES, SVCMAES or SVOpenAIES). */
  strategy?: Partial<CMAESOptions> | Partial<SVCMAESOptions> | Partial<SVOpenAIESOptions>;
  /** Called after every generation with the evaluations so far and the best f. */
  onGeneration?: (info: { generation: number; evaluations: number; fBest: number }) => void;
}

/** Result of {@link minimize}. */
export interface MinimizeResult {
  /** Best point found. */
  x: Float64Array;
  /** Its value. */
  f: number;
  /** Evaluations used. */
  evaluations: number;
  /** Evaluations that threw or were NaN/±Inf (treated as worst). */
  failedEvaluations: number;
  generations: number;
  /** Why the run ended. */
  stop: string;
  /** Best f after each generation, with the evaluations so far. */
  history: { evaluations: number; fBest: number }[];
  /** For the SV methods: the best point of each particle (diverse optima). */
  solutions?: Float64Array[];
  timeMs: number;
}

interface Strategy {
  ask(): Float64Array[];
  tell(xs: Float64Array[], f: ArrayLike<number>): void;
  stop(): string | null;
  readonly fBest: number;
  readonly xBest: Float64Array | null;
  readonly evaluations: number;
}

/**
 * Minimises a batch objective.
 *
 * ```ts
 * const r = await minimize((xs) => xs.map(rosenbrock), { x0: [0, 0, 0, 0], sigma0: 0.5, ftarget: 1e-10 });
 * ```
 */
export async function minimize(f: BatchObjective, options: MinimizeOptions): Promise<MinimizeResult> {
  const t0 = performance.now();
  if (typeof f !== 'function') throw new ValueError('f must be a batch objective (xs) => values', 'f');
  if (options == null) throw new ValueError('options must give x0 or bounds', 'options');
  const method = options.method ?? 'cma';
  if (method !== 'cma' && method !== 'sv-cma' && method !== 'sv-openai') {
    throw new ValueError(
      `method must be 'cma', 'sv-cma' or 'sv-openai', got ${JSON.stringify(method)}`,
      'method',
    );
  }
  const { x0, bounds } = options;
  let d: number;
  if (x0 !== undefined) d = x0.length;
  else if (bounds && typeof bounds.lower !== 'number') d = bounds.lower.length;
  else if (bounds && typeof bounds.upper !== 'number') d = bounds.upper.length;
  else throw new ValueError('x0 (or array bounds) is required to know the dimension', 'x0');
  assertInteger('dimension', d, 1);
  const lower = bounds
    ? typeof bounds.lower === 'number'
      ? new Array(d).fill(bounds.lower)
      : Array.from(bounds.lower)
    : null;
  const upper = bounds
    ? typeof bounds.upper === 'number'
      ? new Array(d).fill(bounds.upper)
      : Array.from(bounds.upper)
    : null;
  const finiteBox =
    lower !== null && upper !== null && lower.every(Number.isFinite) && upper.every(Number.isFinite);
  const center =
    x0 !== undefined
      ? Array.from(x0)
      : finiteBox
        ? (lower as number[]).map((l, i) => 0.5 * (l + (upper as number[])[i]))
        : null;
  if (center === null) throw new ValueError('x0 is required when the bounds are not finite', 'x0');
  const width = finiteBox ? Math.max(...(upper as number[]).map((u, i) => u - (lower as number[])[i])) : 0;
  const sigma0 = options.sigma0 ?? (finiteBox ? 0.3 * width : 1);
  assertPositive('sigma0', sigma0);
  const maxEvals = options.maxEvals ?? 1e4 * d;
  assertLimit('maxEvals', maxEvals);
  const ftarget = options.ftarget ?? -Infinity;
  const popSize = options.popSize ?? defaultPopSize(d);
  const P = options.numPopulations ?? 8;
  assertInteger('numPopulations', P, 1);
  const seed = options.seed ?? 0;
  const means0 = finiteBox
    ? { lower: lower as number[], upper: upper as number[], count: P }
    : Array.from({ length: P }, (_, i) => {
        // particles around x0: x0 + σ₀·N(0, I) (x0 itself for P = 1)
        const z = new Rng(seed).fold('minimize-init', i).normalArray(d);
        return center.map((c, k) => c + (P === 1 ? 0 : sigma0 * z[k]));
      });
  let es: Strategy;
  if (method === 'cma') {
    es = new CMAES({
      mean0: center,
      sigma0,
      popSize,
      bounds,
      seed,
      maxEvals,
      ftarget,
      ...(options.strategy as Partial<CMAESOptions>),
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
      ...(options.strategy as Partial<SVCMAESOptions>),
    });
  } else {
    es = new SVOpenAIES({
      means0,
      popSize: popSize + (popSize % 2),
      sigma0,
      bounds,
      seed,
      maxEvals,
      ...(options.strategy as Partial<SVOpenAIESOptions>),
    });
  }
  const history: MinimizeResult['history'] = [];
  let failed = 0;
  let generations = 0;
  let stop: string | null = null;
  for (;;) {
    stop = es.stop();
    if (!stop && es.fBest <= ftarget) stop = 'ftarget';
    if (stop) break;
    const xs = es.ask();
    if (es.evaluations + xs.length > maxEvals) {
      stop = 'maxEvals';
      break;
    }
    const { values, failed: bad } = await evaluateBatch(f, xs);
    failed += bad;
    es.tell(xs, values);
    generations++;
    history.push({ evaluations: es.evaluations, fBest: es.fBest });
    options.onGeneration?.({ generation: generations, evaluations: es.evaluations, fBest: es.fBest });
  }
  if (es.xBest === null)
    throw new ValueError(`maxEvals (${maxEvals}) is smaller than one generation`, 'maxEvals');
  const result: MinimizeResult = {
    x: es.xBest,
    f: es.fBest,
    evaluations: es.evaluations,
    failedEvaluations: failed,
    generations,
    stop,
    history,
    timeMs: performance.now() - t0,
  };
  if (es instanceof SVCMAES)
    result.solutions = es.populationBestX.filter((x): x is Float64Array => x !== null);
  if (es instanceof SVOpenAIES) result.solutions = es.means;
  return result;
}
