/**
 * CMA-ES with active covariance update (Hansen, "The CMA Evolution Strategy: A Tutorial",
 * arXiv:1604.00772; defaults as pycma 4.x): weighted recombination with negative weights,
 * cumulative step-size adaptation, rank-one and rank-μ updates, lazy eigendecomposition and
 * pycma's stopping criteria. All state is float64 and serialisable.
 * @module
 */
import { Rng, ValueError, assertInteger, assertPositive } from '@descent/tensor';
import {
  type BoundHandling,
  type BoxBounds,
  type ResolvedBounds,
  boundViolation,
  checkVector,
  clipToBounds,
  resolveBounds,
} from './bounds';
import { type CmaParameters, type CmaPreset, cmaParameters, defaultPopSize } from './cmaParameters';
import {
  type CmaPopulationJSON,
  type CmaPopulationState,
  argsortFitness,
  createPopulation,
  populationFromJSON,
  populationToJSON,
  recombine,
  samplePopulation,
  updatePopulation,
} from './cmaPopulation';
import { checkTell } from './fitness';
import { assertLimit } from './validate';

// Module-level aliases: global lookups are slow inside jest's vm context (jest#5163).
const { abs, ceil, floor, max, min, sqrt } = Math;
const F64 = Float64Array;

/** Why {@link CMAES.stop} says the run is over (pycma's termination criteria). */
export type CmaStopReason =
  | 'ftarget'
  | 'maxEvals'
  | 'maxIter'
  | 'tolFun'
  | 'tolX'
  | 'tolUpSigma'
  | 'conditionCov'
  | 'noEffectAxis'
  | 'noEffectCoord'
  | 'tolStagnation';

/** Options of {@link CMAES}. Defaults are pycma 4.x's. */
export interface CMAESOptions {
  /** Initial mean m₀ (pycma `x0`), length d. */
  mean0: ArrayLike<number>;
  /** Initial step size σ₀ > 0. */
  sigma0: number;
  /** Population size λ ≥ 2 (default 4 + ⌊3 ln d⌋). */
  popSize?: number;
  /** Parent number μ (default ⌊λ/2⌋). */
  mu?: number;
  /** Learning rate of the mean c_m (default 1). */
  cMean?: number;
  /** Active CMA: negative weights in the covariance update (default true). */
  active?: boolean;
  /** Constant set: `'pycma'` (default, pycma 4.5.0) or `'tutorial'` (Hansen 2016, evosax). */
  preset?: CmaPreset;
  /** Seed of the sampling stream (default 0). */
  seed?: number | string;
  /** The sampling stream itself (overrides `seed`); each `ask` draws λ·d normals from it in order. */
  rng?: Rng;
  /** Box constraints (default none). */
  bounds?: BoxBounds;
  /** `'repair'` (default) or `'penalty'`, see the README. */
  boundHandling?: BoundHandling;
  /** Weight w of the penalty w·‖x − clip(x)‖² (default 1). */
  penaltyWeight?: number;
  /** Lower clip of σ (default 0). */
  stdMin?: number;
  /** Upper clip of σ (default 1e8, evosax). */
  stdMax?: number;
  /** Stop once the best fitness is ≤ ftarget (default −Infinity: never). */
  ftarget?: number;
  /** Stop after this many evaluations (default Infinity). */
  maxEvals?: number;
  /** Stop after this many generations (default 100 + 150 (d+3)² / √λ, pycma). */
  maxIter?: number;
  /** Stop when the range of recent best fitnesses and of the current population is < tolFun (default 1e-11). */
  tolFun?: number;
  /** Stop when σ·max(|p_c,i|, √C_ii) < tolX for every i (default 1e-11). */
  tolX?: number;
  /** Stop when σ/σ₀ > tolUpSigma·√max eig(C) (default 1e20). */
  tolUpSigma?: number;
  /** Stop when cond(C) > conditionCov (default 1e14). */
  conditionCov?: number;
  /** Generations after which stagnation is checked (default 100 + 100 d^1.5 / λ, pycma). */
  tolStagnation?: number;
}

/** Serialised {@link CMAES}. */
export interface CMAESJSON {
  options: Omit<CMAESOptions, 'rng' | 'mean0'> & { mean0: number[] };
  rng: ReturnType<Rng['toJSON']>;
  population: CmaPopulationJSON;
  evaluations: number;
  nonFiniteEvaluations: number;
  bestX: number[] | null;
  bestF: number;
  bestHistory: number[];
  medianHistory: number[];
  lastRange: number;
}

/** The result summary of a CMA-ES run. */
export interface CmaResult {
  /** Best candidate evaluated so far (null before the first `tell`). */
  xBest: Float64Array | null;
  /** Its fitness (Infinity before the first `tell`). */
  fBest: number;
  /** The current mean (pycma's `xfavorite`). */
  mean: Float64Array;
  sigma: number;
  evaluations: number;
  generations: number;
  stop: CmaStopReason | null;
}

/**
 * CMA-ES (minimisation) with explicit state and ask/tell, as pycma:
 *
 * ```ts
 * const es = new CMAES({ mean0: [0, 0, 0], sigma0: 0.5, seed: 1 });
 * while (!es.stop()) { const xs = es.ask(); es.tell(xs, xs.map(rosenbrock)); }
 * es.result().xBest;
 * ```
 *
 * `ask()` returns λ fresh candidates (the same ones until `tell` is called); `tell(xs, f)` takes
 * their fitness (NaN/±Inf are ranked worst and counted in `nonFiniteEvaluations`). Candidates
 * other than the asked ones may be told (injection): the step is taken as (x − m)/σ.
 */
export class CMAES {
  /** Strategy constants (λ, μ, weights, learning rates). */
  readonly params: CmaParameters;
  /** The search distribution state (mean, σ, C, paths, eigendecomposition). */
  readonly state: CmaPopulationState;
  /** Number of fitness values told so far. */
  evaluations = 0;
  /** Number of told fitness values that were NaN/±Inf (treated as worst). */
  nonFiniteEvaluations = 0;
  private readonly opts: Required<Omit<CMAESOptions, 'rng' | 'bounds' | 'mu' | 'seed'>> &
    Pick<CMAESOptions, 'bounds' | 'mu' | 'seed'>;
  private readonly rng: Rng;
  private readonly box: ResolvedBounds | undefined;
  private pending: { xs: Float64Array[]; raw: Float64Array[]; generation: number } | null = null;
  private bestX: Float64Array | null = null;
  private bestF = Infinity;
  private readonly bestHistory: number[] = [];
  private readonly medianHistory: number[] = [];
  private lastRange = Infinity;

  constructor(options: CMAESOptions) {
    if (options == null || typeof options !== 'object')
      throw new ValueError('options must be an object with mean0 and sigma0', 'options');
    const m0 = options.mean0;
    if (m0 == null || typeof m0.length !== 'number' || m0.length < 1) {
      throw new ValueError(`mean0 must be a non-empty array, got ${String(m0)}`, 'mean0');
    }
    const d = m0.length;
    const mean0 = checkVector('mean0', m0, d);
    assertPositive('sigma0', options.sigma0);
    const popSize = options.popSize ?? defaultPopSize(d);
    assertInteger('popSize', popSize, 2);
    const stdMin = options.stdMin ?? 0;
    const stdMax = options.stdMax ?? 1e8;
    assertPositive('stdMin', stdMin, true);
    assertPositive('stdMax', stdMax);
    const boundHandling = options.boundHandling ?? 'repair';
    if (boundHandling !== 'repair' && boundHandling !== 'penalty') {
      throw new ValueError(
        `boundHandling must be 'repair' or 'penalty', got ${JSON.stringify(boundHandling)}`,
        'boundHandling',
      );
    }
    this.params = cmaParameters(d, popSize, {
      cm: options.cMean,
      active: options.active,
      mu: options.mu,
      preset: options.preset,
    });
    const lam = this.params.lambda;
    this.opts = {
      mean0,
      sigma0: options.sigma0,
      popSize,
      mu: options.mu,
      cMean: options.cMean ?? 1,
      active: options.active ?? true,
      preset: options.preset ?? 'pycma',
      seed: options.seed,
      bounds: options.bounds,
      boundHandling,
      penaltyWeight: options.penaltyWeight ?? 1,
      stdMin,
      stdMax,
      ftarget: options.ftarget ?? -Infinity,
      maxEvals: options.maxEvals ?? Infinity,
      maxIter: options.maxIter ?? floor(100 + (150 * (d + 3) ** 2) / sqrt(lam)),
      tolFun: options.tolFun ?? 1e-11,
      tolX: options.tolX ?? 1e-11,
      tolUpSigma: options.tolUpSigma ?? 1e20,
      conditionCov: options.conditionCov ?? 1e14,
      tolStagnation: options.tolStagnation ?? floor(100 + (100 * d ** 1.5) / lam),
    };
    assertPositive('penaltyWeight', this.opts.penaltyWeight, true);
    if (Number.isNaN(this.opts.ftarget)) throw new ValueError('ftarget must be a number, got NaN', 'ftarget');
    assertLimit('maxEvals', this.opts.maxEvals);
    assertLimit('maxIter', this.opts.maxIter);
    this.box = resolveBounds(options.bounds, d);
    this.rng = options.rng ?? new Rng(options.seed ?? 0).fold('population', 0);
    this.state = createPopulation(mean0, options.sigma0);
  }

  /** Dimension d. */
  get dim(): number {
    return this.params.dim;
  }
  /** Population size λ. */
  get popSize(): number {
    return this.params.lambda;
  }
  /** Current mean m (a copy). */
  get mean(): Float64Array {
    return this.state.mean.slice();
  }
  /** Current step size σ. */
  get sigma(): number {
    return this.state.sigma;
  }
  /** Generations completed. */
  get generation(): number {
    return this.state.generation;
  }
  /** Best fitness told so far. */
  get fBest(): number {
    return this.bestF;
  }
  /** Best candidate told so far (a copy), null before the first `tell`. */
  get xBest(): Float64Array | null {
    return this.bestX ? this.bestX.slice() : null;
  }

  /** λ candidates of the current generation (clipped into the bounds if any). */
  ask(): Float64Array[] {
    const g = this.state.generation;
    if (this.pending && this.pending.generation === g) return this.pending.xs.map((x) => x.slice());
    const { xs } = samplePopulation(this.state, this.params.lambda, this.rng);
    const out = this.box ? xs.map((x) => clipToBounds(x, this.box as ResolvedBounds)) : xs;
    this.pending = { xs: out, raw: xs, generation: g };
    return out.map((x) => x.slice());
  }

  /** Updates the distribution from the fitness (to minimise) of the candidates `xs`. */
  tell(xs: ArrayLike<ArrayLike<number>>, fitness: ArrayLike<number>): void {
    const { lambda, dim: d } = this.params;
    const checked = checkTell(xs, fitness, lambda, d);
    const f = checked.fitness;
    this.nonFiniteEvaluations += checked.nonFinite;
    this.evaluations += lambda;
    const { mean, sigma } = this.state;
    let learnFrom: ArrayLike<ArrayLike<number>> = xs;
    let fLearn = f;
    if (
      this.box &&
      this.opts.boundHandling === 'penalty' &&
      this.pending &&
      this.pending.generation === this.state.generation
    ) {
      const raw = this.pending.raw;
      learnFrom = raw;
      fLearn = new F64(lambda);
      for (let k = 0; k < lambda; k++)
        fLearn[k] = f[k] + this.opts.penaltyWeight * boundViolation(raw[k], this.box);
    }
    // best-ever (on the true fitness of the evaluated points)
    for (let k = 0; k < lambda; k++) {
      if (f[k] < this.bestF) {
        this.bestF = f[k];
        this.bestX = F64.from(xs[k]);
      }
    }
    const order = argsortFitness(fLearn);
    const ys = order.map((k) => {
      const x = learnFrom[k];
      const y = new F64(d);
      for (let i = 0; i < d; i++) y[i] = (x[i] - mean[i]) / sigma;
      return y;
    });
    this.bestHistory.push(f[order[0]]);
    this.medianHistory.push(median(f));
    this.lastRange = f[order[lambda - 1]] - f[order[0]];
    const delta = recombine(this.params, ys);
    updatePopulation(this.state, this.params, ys, delta, {
      stdMin: this.opts.stdMin,
      stdMax: this.opts.stdMax,
    });
    this.pending = null;
  }

  /** The first termination criterion that holds, or null to continue. */
  stop(): CmaStopReason | null {
    const o = this.opts;
    const s = this.state;
    const d = this.params.dim;
    const lam = this.params.lambda;
    if (this.bestF <= o.ftarget) return 'ftarget';
    if (this.evaluations >= o.maxEvals) return 'maxEvals';
    if (s.generation >= o.maxIter) return 'maxIter';
    if (s.generation === 0) return null;
    // tolFun: range of the best of the last 10 + ⌈30d/λ⌉ generations and of the current population
    const histLen = 10 + ceil((30 * d) / lam);
    if (this.bestHistory.length >= histLen) {
      const recent = this.bestHistory.slice(-histLen);
      const range = max(...recent) - min(...recent);
      if (max(range, this.lastRange) < o.tolFun) return 'tolFun';
    }
    let tolX = true;
    for (let i = 0; i < d; i++) {
      if (s.sigma * max(abs(s.pC[i]), sqrt(s.C[i * d + i])) >= o.tolX) {
        tolX = false;
        break;
      }
    }
    if (tolX) return 'tolX';
    const maxD = max(...s.D);
    const minD = min(...s.D);
    if (s.sigma / o.sigma0 > o.tolUpSigma * maxD) return 'tolUpSigma';
    if ((maxD / minD) ** 2 > o.conditionCov) return 'conditionCov';
    // noEffectAxis: adding 0.1 σ D_i b_i to m does not change m (axis i = g mod d)
    const ax = s.generation % d;
    let noAxis = true;
    for (let i = 0; i < d; i++) {
      const m = s.mean[i];
      if (m + 0.1 * s.sigma * s.D[ax] * s.B[i * d + ax] !== m) {
        noAxis = false;
        break;
      }
    }
    if (noAxis) return 'noEffectAxis';
    for (let i = 0; i < d; i++) {
      const m = s.mean[i];
      if (m + 0.2 * s.sigma * sqrt(s.C[i * d + i]) === m) return 'noEffectCoord';
    }
    // tolStagnation: medians of the last 20% of best and median fitness not better than the first 20%
    const g = this.bestHistory.length;
    if (g > o.tolStagnation) {
      const window = min(g, max(o.tolStagnation, ceil(0.2 * g)));
      const k = max(1, ceil(0.2 * window));
      const firstBest = median(this.bestHistory.slice(g - window, g - window + k));
      const lastBest = median(this.bestHistory.slice(g - k));
      const firstMed = median(this.medianHistory.slice(g - window, g - window + k));
      const lastMed = median(this.medianHistory.slice(g - k));
      if (lastBest >= firstBest && lastMed >= firstMed) return 'tolStagnation';
    }
    return null;
  }

  /** A summary of the run so far. */
  result(): CmaResult {
    return {
      xBest: this.xBest,
      fBest: this.bestF,
      mean: this.mean,
      sigma: this.state.sigma,
      evaluations: this.evaluations,
      generations: this.state.generation,
      stop: this.stop(),
    };
  }

  /** The full state as plain JSON; {@link CMAES.fromJSON} resumes bit-for-bit. */
  toJSON(): CMAESJSON {
    const { mean0, ...rest } = this.opts;
    return {
      options: { ...rest, mean0: Array.from(mean0 as Float64Array) },
      rng: this.rng.toJSON(),
      population: populationToJSON(this.state),
      evaluations: this.evaluations,
      nonFiniteEvaluations: this.nonFiniteEvaluations,
      bestX: this.bestX ? Array.from(this.bestX) : null,
      bestF: this.bestF,
      bestHistory: this.bestHistory.slice(),
      medianHistory: this.medianHistory.slice(),
      lastRange: this.lastRange,
    };
  }

  /** Restores a strategy saved with {@link CMAES.toJSON}. */
  static fromJSON(json: CMAESJSON): CMAES {
    const es = new CMAES({ ...json.options, rng: Rng.fromJSON(json.rng) });
    Object.assign(es.state, populationFromJSON(json.population));
    es.evaluations = json.evaluations;
    es.nonFiniteEvaluations = json.nonFiniteEvaluations;
    es.bestX = json.bestX ? F64.from(json.bestX) : null;
    es.bestF = json.bestF ?? Infinity;
    es.bestHistory.push(...json.bestHistory);
    es.medianHistory.push(...json.medianHistory);
    es.lastRange = json.lastRange ?? Infinity;
    return es;
  }
}

function median(v: ArrayLike<number>): number {
  const s = Array.from(v).sort((a, b) => a - b);
  const n = s.length;
  if (n === 0) return Number.NaN;
  return n % 2 ? s[n >> 1] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
}
