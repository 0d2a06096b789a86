/**
 * SV-CMA-ES (Braun, Lange, Toussaint, "Stein Variational Evolution Strategies",
 * arXiv:2410.10390, UAI 2025), with the semantics of the first author's implementation in evosax
 * (`sv/sv_cma_es.py`; notes section 2.1): P CMA-ES populations of λ samples each; the mean of
 * population i moves by its own CMA step plus the RBF-kernel repulsion between the means,
 *
 *   ỹ_i = Δ_i + α r_i / σ_i,   r_i = (1/P) Σ_j ∇_{m_j} k(m_j, m_i),
 *   m_i ← m_i + c_m σ_i ỹ_i,
 *
 * and ỹ_i also drives p_σ and p_c while the rank-μ update uses the raw samples. α = 0 gives P
 * independent CMA-ES runs (the paper's "kernel-free multi-population CMA-ES").
 * @module
 */
import { Rng, ShapeError, ValueError, assertInteger, assertPositive } from '@descent/tensor';
import {
  type BoundHandling,
  type BoxBounds,
  type ResolvedBounds,
  boundViolation,
  checkVector,
  clipToBounds,
  resolveBounds,
} from './bounds';
import { type CmaParameters, type CmaPreset, cmaParameters } from './cmaParameters';
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
import { type RBFKernel, kernelMatrix, rbfRepulsion, resolveBandwidth } from './kernel';
import { tensorHooks } from './tensorHooks';

// Module-level alias: global lookups are slow inside jest's vm context (jest#5163).
const F64 = Float64Array;

/** Initial means: explicit P×d points, or P points uniform in a box. */
export type InitialMeans =
  | ArrayLike<ArrayLike<number>>
  | { lower: ArrayLike<number> | number; upper: ArrayLike<number> | number; count: number; dim?: number };

/** Options of {@link SVCMAES}. Defaults: evosax v0.3.1 `SV_CMA_ES` (notes section 2.1 table). */
export interface SVCMAESOptions {
  /** Initial means m_1..m_P (P×d), or `{lower, upper, count}` to draw P means uniformly in a box. */
  means0: InitialMeans;
  /** Samples per population λ ≥ 2 (user-set in evosax; the author's demo uses 4). */
  popSize: number;
  /** Initial step size σ₀ of every population (default 1, evosax `std_init`). */
  sigma0?: number;
  /** Repulsion strength α ≥ 0 (default 1, evosax). */
  alpha?: number;
  /** Optional schedule α_g of the generation g (overrides `alpha`; e.g. the PR example's T/(g+1)). */
  alphaSchedule?: (generation: number) => number;
  /** RBF kernel k(x,y) = exp(−‖x−y‖²/(2h²)) between means; `std` h (default 1, evosax `kernel_std`) or `'median'`. */
  kernel?: RBFKernel;
  /** Learning rate of the mean c_m (default 1). */
  cMean?: number;
  /**
   * `'own'` (default, the author's code): each mean moves by its own CMA step plus repulsion.
   * `'kernel-averaged'`: the driving term is the SVGD-like average (1/P) Σ_j k(m_j,m_i) σ_j Δ_j
   * (the derivation described by secondary sources; an option, not the reference).
   */
  driving?: 'own' | 'kernel-averaged';
  /**
   * Whether the repulsion also enters the evolution paths p_σ and p_c (default true: the
   * author's code, where a strong repulsion lengthens p_σ and grows σ). With false only the mean
   * moves by the repulsion and the paths use the CMA step Δ_i (an option, not the reference).
   */
  repulsionInPaths?: boolean;
  /**
   * Where the P×P kernel and repulsion are computed: `'float64'` (default, typed-array loops) or
   * `'tensor'` (float32 tfjs, wasm after `await ready()`; pays off for large P, see the bench).
   */
  kernelBackend?: 'float64' | 'tensor';
  /** Active CMA weights in the covariance update (default true). */
  active?: boolean;
  /** CMA constant set of each population: `'tutorial'` (default: evosax, the author's code) or `'pycma'`. */
  preset?: CmaPreset;
  /** Seed (default 0). Population i draws its samples in order from the stream `new Rng(seed).fold('population', i)`. */
  seed?: number | string;
  /** Box constraints (default none); see README for the two handlings. */
  bounds?: BoxBounds;
  /** `'repair'` (default) or `'penalty'`. */
  boundHandling?: BoundHandling;
  /** Weight of the bound penalty (default 1). */
  penaltyWeight?: number;
  /** σ clip (default [0, 1e8], evosax). */
  stdMin?: number;
  stdMax?: number;
  /** Stop after this many evaluations (default Infinity). */
  maxEvals?: number;
  /** Stop after this many generations (default Infinity). */
  maxIter?: number;
  /** Stop once the best fitness ≤ ftarget (default −Infinity). */
  ftarget?: number;
}

/** Why {@link SVCMAES.stop} ends a run. */
export type SVStopReason = 'ftarget' | 'maxEvals' | 'maxIter';

/** Serialised {@link SVCMAES} (the `alphaSchedule` function is not serialised). */
export interface SVCMAESJSON {
  options: Omit<SVCMAESOptions, 'alphaSchedule' | 'means0'>;
  seedKey: ReturnType<Rng['toJSON']>;
  streams: ReturnType<Rng['toJSON']>[];
  populations: CmaPopulationJSON[];
  evaluations: number;
  nonFiniteEvaluations: number;
  generation: number;
  bestX: number[] | null;
  bestF: number | null;
  popBestF: (number | null)[];
  popBestX: (number[] | null)[];
}

/**
 * SV-CMA-ES with explicit state and ask/tell (minimises f; for sampling use f = −log p̃):
 *
 * ```ts
 * const es = new SVCMAES({ means0: { lower: -6, upper: 6, count: 100, dim: 2 }, popSize: 4, sigma0: 0.05, seed: 1 });
 * for (let g = 0; g < 1000; g++) { const xs = es.ask(); es.tell(xs, xs.map(negLogP)); }
 * es.means; // the P particles
 * ```
 *
 * `ask()` returns P·λ candidates, population-major (candidate k of population i at index i·λ + k).
 */
export class SVCMAES {
  /** Strategy constants of each population (all populations share λ and d). */
  readonly params: CmaParameters;
  /** The P population states. */
  readonly populations: CmaPopulationState[];
  /** Evaluations told so far (P·λ per generation). */
  evaluations = 0;
  /** Told fitness values that were NaN/±Inf (treated as worst). */
  nonFiniteEvaluations = 0;
  /** Generations completed. */
  generation = 0;
  private readonly opts: SVCMAESOptions & {
    alpha: number;
    kernel: RBFKernel;
    driving: 'own' | 'kernel-averaged';
    stdMin: number;
    stdMax: number;
    boundHandling: BoundHandling;
    penaltyWeight: number;
    repulsionInPaths: boolean;
    kernelBackend: 'float64' | 'tensor';
  };
  private readonly root: Rng;
  private readonly streams: Rng[];
  private readonly box: ResolvedBounds | undefined;
  private pending: { raw: Float64Array[][]; xs: Float64Array[]; generation: number } | null = null;
  private bestX: Float64Array | null = null;
  private bestF = Infinity;
  private readonly popBestF: Float64Array;
  private readonly popBestX: (Float64Array | null)[];

  constructor(options: SVCMAESOptions) {
    if (options == null || typeof options !== 'object')
      throw new ValueError('options must be an object with means0 and popSize', 'options');
    const root = new Rng(options.seed ?? 0);
    const means = resolveMeans(options.means0, root.fold('init'));
    const P = means.length;
    const d = means[0].length;
    if (options.popSize === undefined)
      throw new ValueError(
        'popSize must be an integer >= 2 (samples per population λ), got undefined',
        'popSize',
      );
    assertInteger('popSize', options.popSize, 1);
    if (P * options.popSize < 2)
      throw new ValueError(`P·popSize must be >= 2, got P = ${P}, popSize = ${options.popSize}`, 'popSize');
    if (options.popSize < 2)
      throw new ValueError(
        `popSize must be an integer >= 2 (CMA-ES needs μ ≥ 1 and a ranking), got ${options.popSize}`,
        'popSize',
      );
    const sigma0 = options.sigma0 ?? 1;
    assertPositive('sigma0', sigma0);
    const alpha = options.alpha ?? 1;
    assertPositive('alpha', alpha, true);
    if (options.alphaSchedule !== undefined && typeof options.alphaSchedule !== 'function') {
      throw new ValueError('alphaSchedule must be a function of the generation', 'alphaSchedule');
    }
    const kernel = options.kernel ?? { std: 1 };
    resolveBandwidth(kernel, means); // validates
    const driving = options.driving ?? 'own';
    if (driving !== 'own' && driving !== 'kernel-averaged') {
      throw new ValueError(
        `driving must be 'own' or 'kernel-averaged', got ${JSON.stringify(driving)}`,
        'driving',
      );
    }
    const boundHandling = options.boundHandling ?? 'repair';
    if (boundHandling !== 'repair' && boundHandling !== 'penalty') {
      throw new ValueError(
        `boundHandling must be 'repair' or 'penalty', got ${JSON.stringify(boundHandling)}`,
        'boundHandling',
      );
    }
    const stdMin = options.stdMin ?? 0;
    const stdMax = options.stdMax ?? 1e8;
    assertPositive('stdMin', stdMin, true);
    assertPositive('stdMax', stdMax);
    const repulsionInPaths = options.repulsionInPaths ?? true;
    const kernelBackend = options.kernelBackend ?? 'float64';
    if (kernelBackend !== 'float64' && kernelBackend !== 'tensor') {
      throw new ValueError(
        `kernelBackend must be 'float64' or 'tensor', got ${JSON.stringify(kernelBackend)}`,
        'kernelBackend',
      );
    }
    const penaltyWeight = options.penaltyWeight ?? 1;
    assertPositive('penaltyWeight', penaltyWeight, true);
    if (options.maxEvals !== undefined) assertLimit('maxEvals', options.maxEvals);
    if (options.maxIter !== undefined) assertLimit('maxIter', options.maxIter);
    this.params = cmaParameters(d, options.popSize, {
      cm: options.cMean,
      active: options.active,
      preset: options.preset ?? 'tutorial',
    });
    this.opts = {
      ...options,
      sigma0,
      alpha,
      kernel,
      driving,
      stdMin,
      stdMax,
      boundHandling,
      penaltyWeight,
      repulsionInPaths,
      kernelBackend,
    };
    this.box = resolveBounds(options.bounds, d);
    this.root = root;
    this.streams = root.split(P, 'population');
    this.populations = means.map((m) => createPopulation(m, sigma0));
    this.popBestF = new F64(P).fill(Infinity);
    this.popBestX = new Array(P).fill(null);
  }

  /** Number of particles (populations) P. */
  get numPopulations(): number {
    return this.populations.length;
  }
  /** Samples per population λ. */
  get popSize(): number {
    return this.params.lambda;
  }
  /** Dimension d. */
  get dim(): number {
    return this.params.dim;
  }
  /** The P means (copies): the particles of the sampler. */
  get means(): Float64Array[] {
    return this.populations.map((p) => p.mean.slice());
  }
  /** The P step sizes σ_i. */
  get sigmas(): Float64Array {
    return F64.from(this.populations, (p) => p.sigma);
  }
  /** Best fitness told so far over all populations. */
  get fBest(): number {
    return this.bestF;
  }
  /** Best candidate told so far (copy), null before the first `tell`. */
  get xBest(): Float64Array | null {
    return this.bestX ? this.bestX.slice() : null;
  }
  /** Best fitness of each population (one optimum per particle for diverse optimisation). */
  get populationBestF(): Float64Array {
    return this.popBestF.slice();
  }
  /** Best candidate of each population. */
  get populationBestX(): (Float64Array | null)[] {
    return this.popBestX.map((x) => (x ? x.slice() : null));
  }
  /** The repulsion strength α used at the current generation. */
  get currentAlpha(): number {
    return this.opts.alphaSchedule ? this.opts.alphaSchedule(this.generation) : this.opts.alpha;
  }

  /** P·λ candidates, population-major (clipped into the bounds if any). */
  ask(): Float64Array[] {
    const g = this.generation;
    if (this.pending && this.pending.generation === g) return this.pending.xs.map((x) => x.slice());
    const lam = this.params.lambda;
    const raw: Float64Array[][] = [];
    const xs: Float64Array[] = [];
    for (let i = 0; i < this.populations.length; i++) {
      const s = samplePopulation(this.populations[i], lam, this.streams[i]);
      raw.push(s.xs);
      for (const x of s.xs) xs.push(this.box ? clipToBounds(x, this.box) : x);
    }
    this.pending = { raw, xs, generation: g };
    return xs.map((x) => x.slice());
  }

  /** One SV-CMA-ES generation from the fitness (to minimise) of the P·λ candidates `xs`. */
  tell(xs: ArrayLike<ArrayLike<number>>, fitness: ArrayLike<number>): void {
    const P = this.populations.length;
    const lam = this.params.lambda;
    const d = this.params.dim;
    const checked = checkTell(xs, fitness, P * lam, d);
    const f = checked.fitness;
    const alpha = this.currentAlpha;
    if (!(alpha >= 0) || !Number.isFinite(alpha))
      throw new ValueError(
        `alphaSchedule(${this.generation}) must be a finite number >= 0, got ${alpha}`,
        'alphaSchedule',
      );
    const penalise =
      this.box !== undefined &&
      this.opts.boundHandling === 'penalty' &&
      this.pending?.generation === this.generation;
    // 1. per-population ranking, steps and recombination Δ_i (on the old means)
    const ysRanked: Float64Array[][] = [];
    const deltas: Float64Array[] = [];
    for (let i = 0; i < P; i++) {
      const pop = this.populations[i];
      const fi = new F64(lam);
      for (let k = 0; k < lam; k++) {
        const idx = i * lam + k;
        fi[k] = f[idx];
        if (f[idx] < this.popBestF[i]) {
          this.popBestF[i] = f[idx];
          this.popBestX[i] = F64.from(xs[idx]);
        }
        if (f[idx] < this.bestF) {
          this.bestF = f[idx];
          this.bestX = F64.from(xs[idx]);
        }
        if (penalise)
          fi[k] +=
            this.opts.penaltyWeight *
            boundViolation((this.pending as { raw: Float64Array[][] }).raw[i][k], this.box as ResolvedBounds);
      }
      const order = argsortFitness(fi);
      const ys = order.map((k) => {
        const x = penalise ? (this.pending as { raw: Float64Array[][] }).raw[i][k] : xs[i * lam + k];
        const y = new F64(d);
        for (let c = 0; c < d; c++) y[c] = (x[c] - pop.mean[c]) / pop.sigma;
        return y;
      });
      ysRanked.push(ys);
      deltas.push(recombine(this.params, ys));
    }
    // 2. combined steps ỹ_i
    const yTilde = this.combinedSteps(deltas, alpha);
    // 3. CMA updates with ỹ_i (mean, paths, σ) and the raw y (rank-μ)
    const bounds = { stdMin: this.opts.stdMin, stdMax: this.opts.stdMax };
    for (let i = 0; i < P; i++) {
      if (this.opts.repulsionInPaths || yTilde[i] === deltas[i]) {
        updatePopulation(this.populations[i], this.params, ysRanked[i], yTilde[i], bounds);
      } else {
        // paths driven by Δ_i only; the mean takes the full combined step c_m σ ỹ_i
        const pop = this.populations[i];
        const shift = new F64(d);
        for (let c = 0; c < d; c++) shift[c] = this.params.cm * pop.sigma * (yTilde[i][c] - deltas[i][c]);
        updatePopulation(pop, this.params, ysRanked[i], deltas[i], bounds);
        for (let c = 0; c < d; c++) pop.mean[c] += shift[c];
      }
    }
    this.evaluations += P * lam;
    this.nonFiniteEvaluations += checked.nonFinite;
    this.generation++;
    this.pending = null;
  }

  /** ỹ_i = D_i + α r_i / σ_i with D_i the own step Δ_i or the kernel-averaged one. */
  private combinedSteps(deltas: Float64Array[], alpha: number): Float64Array[] {
    const P = this.populations.length;
    const d = this.params.dim;
    const kernelNeeded = alpha > 0 || this.opts.driving === 'kernel-averaged';
    if (!kernelNeeded || P === 1) return deltas;
    const means = this.populations.map((p) => p.mean);
    const h = resolveBandwidth(this.opts.kernel, means);
    const out: Float64Array[] = [];
    let driving = deltas;
    if (this.opts.driving === 'kernel-averaged') {
      const K = kernelMatrix(means, h);
      driving = [];
      for (let i = 0; i < P; i++) {
        const v = new F64(d);
        for (let j = 0; j < P; j++) {
          const w = (K[j * P + i] * this.populations[j].sigma) / P;
          for (let c = 0; c < d; c++) v[c] += w * deltas[j][c];
        }
        for (let c = 0; c < d; c++) v[c] /= this.populations[i].sigma;
        driving.push(v);
      }
    }
    const r =
      alpha > 0
        ? this.opts.kernelBackend === 'tensor'
          ? tensorHooks('kernelBackend').rbfRepulsion(means, h)
          : rbfRepulsion(means, h)
        : null;
    for (let i = 0; i < P; i++) {
      const y = driving[i].slice();
      if (r) {
        const s = alpha / this.populations[i].sigma;
        for (let c = 0; c < d; c++) y[c] += s * r[i][c];
      }
      out.push(y);
    }
    return out;
  }

  /** Stops on `ftarget`, `maxEvals` or `maxIter` (per-population CMA criteria are not applied). */
  stop(): SVStopReason | null {
    if (this.opts.ftarget !== undefined && this.bestF <= this.opts.ftarget) return 'ftarget';
    if (this.opts.maxEvals !== undefined && this.evaluations >= this.opts.maxEvals) return 'maxEvals';
    if (this.opts.maxIter !== undefined && this.generation >= this.opts.maxIter) return 'maxIter';
    return null;
  }

  /** The full state as plain JSON (without `alphaSchedule`); {@link SVCMAES.fromJSON} resumes bit-for-bit. */
  toJSON(): SVCMAESJSON {
    const { alphaSchedule: _s, means0: _m, ...options } = this.opts;
    return {
      options,
      seedKey: this.root.toJSON(),
      streams: this.streams.map((r) => r.toJSON()),
      populations: this.populations.map(populationToJSON),
      evaluations: this.evaluations,
      nonFiniteEvaluations: this.nonFiniteEvaluations,
      generation: this.generation,
      bestX: this.bestX ? Array.from(this.bestX) : null,
      bestF: Number.isFinite(this.bestF) ? this.bestF : null,
      popBestF: Array.from(this.popBestF, (v) => (Number.isFinite(v) ? v : null)),
      popBestX: this.popBestX.map((x) => (x ? Array.from(x) : null)),
    };
  }

  /** Restores a strategy saved with {@link SVCMAES.toJSON} (pass `alphaSchedule` again if one was used). */
  static fromJSON(
    json: SVCMAESJSON,
    extra: { alphaSchedule?: (generation: number) => number } = {},
  ): SVCMAES {
    const means0 = json.populations.map((p) => p.mean);
    const es = new SVCMAES({ ...json.options, means0, alphaSchedule: extra.alphaSchedule });
    const root = Rng.fromJSON(json.seedKey);
    (es as unknown as { root: Rng }).root = root;
    (es as unknown as { streams: Rng[] }).streams = json.streams.map((r) => Rng.fromJSON(r));
    json.populations.forEach((p, i) => {
      Object.assign(es.populations[i], populationFromJSON(p));
    });
    es.evaluations = json.evaluations;
    es.nonFiniteEvaluations = json.nonFiniteEvaluations;
    es.generation = json.generation;
    es.bestX = json.bestX ? F64.from(json.bestX) : null;
    es.bestF = json.bestF ?? Infinity;
    json.popBestF.forEach((v, i) => {
      es.popBestF[i] = v ?? Infinity;
    });
    json.popBestX.forEach((x, i) => {
      es.popBestX[i] = x ? F64.from(x) : null;
    });
    return es;
  }
}

/** Resolves {@link InitialMeans} to P float64 vectors of a common length d. */
export function resolveMeans(means0: InitialMeans, rng: Rng): Float64Array[] {
  if (means0 == null)
    throw new ValueError(
      'means0 must be P×d initial means or {lower, upper, count}, got undefined',
      'means0',
    );
  if (!('length' in means0) || typeof (means0 as ArrayLike<unknown>).length !== 'number') {
    const box = means0 as {
      lower: ArrayLike<number> | number;
      upper: ArrayLike<number> | number;
      count: number;
      dim?: number;
    };
    assertInteger('means0.count', box.count, 1);
    const dim =
      box.dim ??
      (typeof box.lower !== 'number'
        ? box.lower.length
        : typeof box.upper !== 'number'
          ? box.upper.length
          : undefined);
    if (dim === undefined)
      throw new ValueError('means0.dim is required when lower and upper are numbers', 'means0.dim');
    assertInteger('means0.dim', dim, 1);
    const b = resolveBounds({ lower: box.lower, upper: box.upper }, dim) as ResolvedBounds;
    for (let c = 0; c < dim; c++) {
      if (!Number.isFinite(b.lower[c]) || !Number.isFinite(b.upper[c]))
        throw new ValueError('means0.lower/upper must be finite', 'means0');
    }
    return Array.from({ length: box.count }, () => {
      const m = new F64(dim);
      for (let c = 0; c < dim; c++) m[c] = rng.uniformIn(b.lower[c], b.upper[c]);
      return m;
    });
  }
  const arr = means0 as ArrayLike<ArrayLike<number>>;
  if (arr.length < 1)
    throw new ValueError('means0 must hold at least one mean (P >= 1), got an empty array', 'means0');
  const first = arr[0];
  if (first == null || typeof first.length !== 'number' || first.length < 1)
    throw new ShapeError('means0[0] must be a non-empty vector', 'means0');
  const d = first.length;
  return Array.from({ length: arr.length }, (_, i) => checkVector(`means0[${i}]`, arr[i], d));
}
