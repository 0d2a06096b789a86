/**
 * CMA-ES with active covariance update (Hansen, "The CMA Evolution Strategy: A Tutorial",
 * arXiv:1604.00772; defaults as pycma 4.x): weighted recombination with negative weights,
 * cumulative step-size adaptation, rank-one and rank-μ updates, lazy eigendecomposition and
 * pycma's stopping criteria. All state is float64 and serialisable.
 * @module
 */
import {
  type AskTellStrategy,
  type EncodedNumber,
  Rng,
  type RngState,
  type Serializable,
  type StopReason,
  type VectorLike,
  ValueError,
  describe,
  encodeNumber,
  makeBlob,
  median,
  openBlob,
  option,
  resolveOptions,
  vectorToJSON,
} from '@descent/tensor';
import { type ResolvedBounds, clipToBounds } from './bounds';
import {
  type CmaCommonJSON,
  type CmaCommonOptions,
  RENAMED_OPTIONS,
  type ResolvedCmaCommon,
  cmaCommonSchema,
  cmaCommonToJSON,
  completeCmaCommon,
  readCmaCommon,
  readLimit,
} from './cmaOptions';
import { type CmaParameters, cmaParameters } from './cmaParameters';
import {
  type CmaPopulationJSON,
  type CmaPopulationState,
  createPopulation,
  populationToJSON,
  rankedSteps,
  readPopulation,
  samplePopulation,
  updatePopulation,
} from './cmaPopulation';
import { checkTell } from './fitness';

// Module-level aliases: global lookups are slow inside jest's vm context (jest#5163).
const { abs, ceil, floor, max, min, sqrt } = Math;

/** Why {@link CMAES.stop} says the run is over (pycma's termination criteria, in the shared vocabulary). */
export type CmaStopReason = Extract<
  StopReason,
  | 'ftarget'
  | 'maxEvals'
  | 'maxSteps'
  | 'tolFun'
  | 'tolX'
  | 'tolUpSigma'
  | 'conditionCov'
  | 'noEffectAxis'
  | 'noEffectCoord'
  | 'tolStagnation'
>;

/** Options of {@link CMAES}. Defaults are pycma 4.x's (shared with {@link SVCMAES}). */
export interface CMAESOptions extends CmaCommonOptions {
  /** Initial mean m₀ (pycma `x0`), length d: an array, a typed array or a rank-1 tensor. */
  mean0: VectorLike;
  /** Initial step size σ₀ > 0. */
  sigma0: number;
  /** The sampling stream itself (overrides `seed`); each `ask` draws λ·d normals from it in order. */
  rng?: Rng;
  /** Stop after this many generations (default 100 + 150 (d+3)² / √λ, pycma's `maxiter`). */
  maxSteps?: number;
  /** Stop when the range of recent best fitnesses and of the current population is < tolFun (default 1e-11). */
  tolFun?: number;
  /** Stop when σ·max(|p_c,i|, √C_ii) < tolX for every i (default 1e-11). */
  tolX?: number;
  /** Stop when σ/σ₀ > tolUpSigma·√max eig(C) (default 1e20; Infinity: never). */
  tolUpSigma?: number;
  /** Stop when cond(C) > conditionCov (default 1e14; Infinity: never). */
  conditionCov?: number;
  /** Generations after which stagnation is checked (default 100 + 100 d^1.5 / λ, pycma). */
  tolStagnation?: number;
}

const cmaesSchema = {
  ...cmaCommonSchema,
  mean0: option.vector({ required: true }),
  sigma0: option.number({ gt: 0, required: true }),
  rng: option.custom<Rng>((v, name) => {
    if (!(v instanceof Rng))
      throw new ValueError(`${name} must be an Rng of @descent/tensor, got ${describe(v)}`, name);
    return v;
  }),
  maxSteps: option.integer({ min: 1, allowInfinity: true }),
  tolFun: option.number({ min: 0, default: 1e-11 }),
  tolX: option.number({ min: 0, default: 1e-11 }),
  tolUpSigma: option.number({ gt: 0, allowInfinity: true, default: 1e20 }),
  conditionCov: option.number({ gt: 0, allowInfinity: true, default: 1e14 }),
  tolStagnation: option.integer({ min: 1, allowInfinity: true }),
};

/** The resolved options of a {@link CMAES}. */
interface ResolvedCMAES extends ResolvedCmaCommon {
  mean0: Float64Array;
  sigma0: number;
  maxSteps: number;
  tolFun: number;
  tolX: number;
  tolUpSigma: number;
  conditionCov: number;
  tolStagnation: number;
}

/** Serialised {@link CMAES} (version 1). */
export interface CMAESJSON {
  type: 'CMAES';
  version: 1;
  options: CmaCommonJSON & {
    mean0: number[];
    sigma0: number;
    maxSteps: EncodedNumber;
    tolFun: number;
    tolX: number;
    tolUpSigma: EncodedNumber;
    conditionCov: EncodedNumber;
    tolStagnation: EncodedNumber;
  };
  rng: RngState;
  population: CmaPopulationJSON;
  evaluations: number;
  nonFiniteEvaluations: number;
  bestX: number[] | null;
  bestF: EncodedNumber;
  bestHistory: EncodedNumber[];
  medianHistory: EncodedNumber[];
  lastRange: EncodedNumber;
  /** The unclipped samples of an asked batch not yet told (null if none). */
  pending: number[][] | null;
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
 * `ask()` returns λ fresh candidates (the same ones until `tell` is called; a pending batch is
 * saved by `toJSON`); `tell(xs, f)` takes their fitness (NaN/±Inf are ranked worst and counted
 * in `nonFiniteEvaluations`). Candidates other than the asked ones may be told (injection, also
 * without `ask`): the step is taken as (x − m)/σ.
 */
export class CMAES implements AskTellStrategy, Serializable<CMAESJSON> {
  /** Strategy constants (λ, μ, weights, learning rates). */
  readonly params: CmaParameters;
  /** The search distribution state (mean, σ, C, paths, eigendecomposition). */
  readonly state: CmaPopulationState;
  /** Number of fitness values told so far. */
  evaluations = 0;
  /** Number of told fitness values that were NaN/±Inf (treated as worst). */
  nonFiniteEvaluations = 0;
  private readonly opts: ResolvedCMAES;
  private readonly rng: Rng;
  private readonly box: ResolvedBounds | undefined;
  private pending: { xs: Float64Array[]; raw: Float64Array[]; generation: number } | null = null;
  private bestX: Float64Array | null = null;
  private bestF = Infinity;
  private readonly bestHistory: number[] = [];
  private readonly medianHistory: number[] = [];
  private lastRange = Infinity;

  constructor(options: CMAESOptions) {
    const o = resolveOptions(options, cmaesSchema, { name: 'CMAES options', renamed: RENAMED_OPTIONS });
    const d = o.mean0.length;
    const common = completeCmaCommon(o, d);
    this.params = cmaParameters(d, common.popSize, {
      cm: common.cMean,
      active: common.active,
      mu: common.mu,
      preset: common.preset,
    });
    const lam = this.params.lambda;
    this.opts = {
      ...common,
      mean0: o.mean0,
      sigma0: o.sigma0,
      maxSteps: o.maxSteps ?? floor(100 + (150 * (d + 3) ** 2) / sqrt(lam)),
      tolFun: o.tolFun,
      tolX: o.tolX,
      tolUpSigma: o.tolUpSigma,
      conditionCov: o.conditionCov,
      tolStagnation: o.tolStagnation ?? floor(100 + (100 * d ** 1.5) / lam),
    };
    this.box = common.bounds;
    this.rng = o.rng ?? new Rng(common.seed).fold('population', 0);
    this.state = createPopulation(o.mean0, o.sigma0);
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

  /** Updates the distribution from the fitness (to minimise) of the candidates `xs` (λ of them). */
  tell(xs: ArrayLike<ArrayLike<number>>, fitness: ArrayLike<number>): void {
    const { lambda, dim: d } = this.params;
    const checked = checkTell(xs, fitness, lambda, d);
    const f = checked.fitness;
    const pending = this.pending && this.pending.generation === this.state.generation ? this.pending : null;
    const penalty =
      this.box && this.opts.boundHandling === 'penalty' && pending
        ? { raw: pending.raw, box: this.box, weight: this.opts.penaltyWeight }
        : undefined;
    const { ys, delta, order } = rankedSteps(this.state, this.params, checked.xs, f, penalty);
    // best-ever (on the true fitness of the evaluated points)
    for (let k = 0; k < lambda; k++) {
      if (f[k] < this.bestF) {
        this.bestF = f[k];
        this.bestX = checked.xs[k];
      }
    }
    this.nonFiniteEvaluations += checked.nonFinite;
    this.evaluations += lambda;
    this.bestHistory.push(f[order[0]]);
    this.medianHistory.push(median(f));
    this.lastRange = f[order[lambda - 1]] - f[order[0]];
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
    if (this.evaluations + this.params.lambda > o.maxEvals) return 'maxEvals'; // the next generation would overshoot
    if (s.generation >= o.maxSteps) return 'maxSteps';
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

  /** The full state as a versioned blob (pending batch included); {@link CMAES.fromJSON} resumes bit for bit. */
  toJSON(): CMAESJSON {
    const o = this.opts;
    const pending = this.pending && this.pending.generation === this.state.generation ? this.pending : null;
    return makeBlob('CMAES', 1, {
      options: {
        ...cmaCommonToJSON(o),
        mean0: vectorToJSON(o.mean0),
        sigma0: o.sigma0,
        maxSteps: encodeNumber(o.maxSteps),
        tolFun: o.tolFun,
        tolX: o.tolX,
        tolUpSigma: encodeNumber(o.tolUpSigma),
        conditionCov: encodeNumber(o.conditionCov),
        tolStagnation: encodeNumber(o.tolStagnation),
      },
      rng: this.rng.toJSON(),
      population: populationToJSON(this.state),
      evaluations: this.evaluations,
      nonFiniteEvaluations: this.nonFiniteEvaluations,
      bestX: this.bestX ? vectorToJSON(this.bestX) : null,
      bestF: encodeNumber(this.bestF),
      bestHistory: this.bestHistory.map(encodeNumber),
      medianHistory: this.medianHistory.map(encodeNumber),
      lastRange: encodeNumber(this.lastRange),
      pending: pending ? pending.raw.map(vectorToJSON) : null,
    }) as CMAESJSON;
  }

  /**
   * Restores a strategy saved with {@link CMAES.toJSON} (the blob or its JSON text). Every field
   * is validated: a damaged blob is a `ValueError`/`ShapeError` naming the field.
   */
  static fromJSON(json: unknown): CMAES {
    const r = openBlob(json, { type: 'CMAES', version: 1 });
    const o = r.object('options');
    const mean0 = o.vector('mean0', { minLength: 1 });
    const d = mean0.length;
    const es = new CMAES({
      ...readCmaCommon(o, d),
      mean0,
      sigma0: o.number('sigma0', { gt: 0 }),
      maxSteps: readLimit(o, 'maxSteps'),
      tolFun: o.number('tolFun', { min: 0 }),
      tolX: o.number('tolX', { min: 0 }),
      tolUpSigma: o.extendedNumber('tolUpSigma', { gt: 0 }),
      conditionCov: o.extendedNumber('conditionCov', { gt: 0 }),
      tolStagnation: readLimit(o, 'tolStagnation'),
      rng: r.rng('rng'),
    });
    Object.assign(es.state, readPopulation(r.object('population'), d));
    const g = es.state.generation;
    es.evaluations = r.integer('evaluations', { min: g * es.params.lambda, max: g * es.params.lambda });
    es.nonFiniteEvaluations = r.integer('nonFiniteEvaluations', { min: 0, max: es.evaluations });
    es.bestX = r.nullable('bestX', (x) => x.asVector({ length: d }));
    es.bestF = r.extendedNumber('bestF');
    if ((es.bestX === null) !== (es.bestF === Infinity)) {
      throw r
        .at('bestF')
        .valueError(es.bestX === null ? "'Infinity' (bestX is null)" : 'a finite number (bestX is set)');
    }
    es.bestHistory.push(...r.at('bestHistory').asExtendedNumbers({ length: g }));
    es.medianHistory.push(...r.at('medianHistory').asExtendedNumbers({ length: g }));
    es.lastRange = r.extendedNumber('lastRange', { allowNaN: true });
    const raw = r.nullable('pending', (p) =>
      p.asArray((x) => x.asVector({ length: d }), { length: es.params.lambda }),
    );
    if (raw)
      es.pending = {
        raw,
        xs: es.box ? raw.map((x) => clipToBounds(x, es.box as ResolvedBounds)) : raw,
        generation: g,
      };
    return es;
  }
}
