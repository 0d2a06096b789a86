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
import {
  type AskTellStrategy,
  type RbfKernelSpec,
  Rng,
  type RngState,
  type Serializable,
  type StopReason,
  type TensorLike,
  ValueError,
  describe,
  encodeNumber,
  makeBlob,
  openBlob,
  option,
  readInteger,
  readRows,
  resolveOptions,
  vectorToJSON,
  type EncodedNumber,
} from '@descent/tensor';
import { type ResolvedBounds, clipToBounds, resolveBounds } from './bounds';
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
import { bandwidthOf, kernelMatrix, rbfRepulsion, readRbfSpec } from './kernel';
import { tensorHooks } from './tensorHooks';

// Module-level alias: global lookups are slow inside jest's vm context (jest#5163).
const F64 = Float64Array;

/** Initial means: explicit P×d points (arrays, typed arrays or a rank-2 tensor), or P points uniform in a box. */
export type InitialMeans =
  | ArrayLike<ArrayLike<number>>
  | TensorLike
  | { lower: ArrayLike<number> | number; upper: ArrayLike<number> | number; count: number; dim?: number };

/** The driving terms of {@link SVCMAESOptions.driving}. */
export const DRIVINGS = ['own', 'kernel-averaged'] as const;
/** Where the P×P kernel runs. */
export const KERNEL_BACKENDS = ['float64', 'tensor'] as const;

/**
 * Options of {@link SVCMAES}. SV-ES defaults: evosax v0.3.1 `SV_CMA_ES` (notes section 2.1
 * table); the CMA options and their defaults are those of {@link CMAES} (so P = 1, α = 0 is
 * `CMAES` with default options).
 */
export interface SVCMAESOptions extends CmaCommonOptions {
  /** Initial means m_1..m_P (P×d), or `{lower, upper, count}` to draw P means uniformly in a box. */
  means0: InitialMeans;
  /** Initial step size σ₀ of every population (default 1, evosax `std_init`). */
  sigma0?: number;
  /** Repulsion strength α ≥ 0 (default 1, evosax). */
  alpha?: number;
  /** Optional schedule α_g of the generation g (overrides `alpha`; e.g. the PR example's T/(g+1)). */
  alphaSchedule?: (generation: number) => number;
  /** RBF kernel between means (default `{ type: 'rbf', bandwidth: 1 }`: evosax `kernel_std` h = 1; or `bandwidth: 'median'`). */
  kernel?: RbfKernelSpec;
  /**
   * `'own'` (default, the author's code): each mean moves by its own CMA step plus repulsion.
   * `'kernel-averaged'`: the driving term is the kernel-weighted average of the particles' steps,
   * Σ_j k(m_j,m_i) σ_j Δ_j / Σ_j k(m_j,m_i) (the derivation described by secondary sources; an
   * option, not the reference). Normalised by the kernel degree Σ_j k(m_j,m_i) ≥ 1, not by P:
   * the SVGD-style 1/P average shrank the driving step by degree/P (≈ 0.03 for P = 100 isolated
   * particles) and the means never converged (issue 16).
   */
  driving?: (typeof DRIVINGS)[number];
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
  kernelBackend?: (typeof KERNEL_BACKENDS)[number];
  /** Stop after this many generations (default Infinity). */
  maxSteps?: number;
}

const svcmaesSchema = {
  ...cmaCommonSchema,
  means0: option.custom<unknown>((v) => v, { required: true }),
  sigma0: option.number({ gt: 0, default: 1 }),
  alpha: option.number({ min: 0, default: 1 }),
  alphaSchedule: option.func<(generation: number) => number>(),
  kernel: option.custom((v, name) => readRbfSpec(v, name), {
    default: { type: 'rbf', bandwidth: 1 } as RbfKernelSpec,
  }),
  driving: option.oneOf(DRIVINGS, { default: 'own' }),
  repulsionInPaths: option.boolean({ default: true }),
  kernelBackend: option.oneOf(KERNEL_BACKENDS, { default: 'float64' }),
  maxSteps: option.integer({ min: 1, allowInfinity: true, default: Number.POSITIVE_INFINITY }),
};

/** The resolved options of an {@link SVCMAES}. */
interface ResolvedSVCMAES extends ResolvedCmaCommon {
  sigma0: number;
  alpha: number;
  alphaSchedule: ((generation: number) => number) | undefined;
  kernel: RbfKernelSpec;
  driving: (typeof DRIVINGS)[number];
  repulsionInPaths: boolean;
  kernelBackend: (typeof KERNEL_BACKENDS)[number];
  maxSteps: number;
}

/** Why {@link SVCMAES.stop} ends a run. */
export type SVStopReason = Extract<StopReason, 'ftarget' | 'maxEvals' | 'maxSteps'>;

/** Serialised {@link SVCMAES} (version 1; the `alphaSchedule` function is not serialised: pass it again). */
export interface SVCMAESJSON {
  type: 'SVCMAES';
  version: 1;
  options: CmaCommonJSON & {
    sigma0: number;
    alpha: number;
    kernel: RbfKernelSpec;
    driving: (typeof DRIVINGS)[number];
    repulsionInPaths: boolean;
    kernelBackend: (typeof KERNEL_BACKENDS)[number];
    maxSteps: EncodedNumber;
    /** Whether an alphaSchedule was used (then `fromJSON` needs it again). */
    alphaSchedule: boolean;
  };
  streams: RngState[];
  populations: CmaPopulationJSON[];
  evaluations: number;
  nonFiniteEvaluations: number;
  generation: number;
  bestX: number[] | null;
  bestF: EncodedNumber;
  popBestF: EncodedNumber[];
  popBestX: (number[] | null)[];
  /** The unclipped samples of an asked batch not yet told, per population (null if none). */
  pending: number[][][] | null;
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
 * Candidates other than the asked ones may be told (injection): steps are (x − m_i)/σ_i.
 */
export class SVCMAES implements AskTellStrategy, Serializable<SVCMAESJSON> {
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
  private readonly opts: ResolvedSVCMAES;
  private readonly streams: Rng[];
  private readonly box: ResolvedBounds | undefined;
  private pending: { raw: Float64Array[][]; xs: Float64Array[]; generation: number } | null = null;
  private bestX: Float64Array | null = null;
  private bestF = Infinity;
  private readonly popBestF: Float64Array;
  private readonly popBestX: (Float64Array | null)[];

  constructor(options: SVCMAESOptions) {
    const o = resolveOptions(options, svcmaesSchema, { name: 'SVCMAES options', renamed: RENAMED_OPTIONS });
    const root = new Rng(o.seed);
    const means = resolveMeans(o.means0, root.fold('init'));
    const P = means.length;
    const d = means[0].length;
    const common = completeCmaCommon(o, d);
    this.params = cmaParameters(d, common.popSize, {
      cm: common.cMean,
      active: common.active,
      mu: common.mu,
      preset: common.preset,
    });
    bandwidthOf(o.kernel, means); // 'median' over P means must work
    this.opts = {
      ...common,
      sigma0: o.sigma0,
      alpha: o.alpha,
      alphaSchedule: o.alphaSchedule,
      kernel: o.kernel,
      driving: o.driving,
      repulsionInPaths: o.repulsionInPaths,
      kernelBackend: o.kernelBackend,
      maxSteps: o.maxSteps,
    };
    this.box = common.bounds;
    this.streams = root.split(P, 'population');
    this.populations = means.map((m) => createPopulation(m, o.sigma0));
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
    if (typeof alpha !== 'number' || !(alpha >= 0) || !Number.isFinite(alpha))
      throw new ValueError(
        `alphaSchedule(${this.generation}) must return a finite number >= 0, got ${describe(alpha)}`,
        'alphaSchedule',
      );
    const pending = this.pending?.generation === this.generation ? this.pending : null;
    const penalise = this.box !== undefined && this.opts.boundHandling === 'penalty' && pending !== null;
    // 1. per-population ranking, steps and recombination Δ_i (on the old means)
    const ysRanked: Float64Array[][] = [];
    const deltas: Float64Array[] = [];
    for (let i = 0; i < P; i++) {
      const fi = f.slice(i * lam, (i + 1) * lam);
      const xi = checked.xs.slice(i * lam, (i + 1) * lam);
      for (let k = 0; k < lam; k++) {
        if (fi[k] < this.popBestF[i]) {
          this.popBestF[i] = fi[k];
          this.popBestX[i] = xi[k];
        }
        if (fi[k] < this.bestF) {
          this.bestF = fi[k];
          this.bestX = xi[k];
        }
      }
      const penalty = penalise
        ? {
            raw: (pending as { raw: Float64Array[][] }).raw[i],
            box: this.box as ResolvedBounds,
            weight: this.opts.penaltyWeight,
          }
        : undefined;
      const { ys, delta } = rankedSteps(this.populations[i], this.params, xi, fi, penalty);
      ysRanked.push(ys);
      deltas.push(delta);
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
    const h = bandwidthOf(this.opts.kernel, means);
    const out: Float64Array[] = [];
    let driving = deltas;
    if (this.opts.driving === 'kernel-averaged') {
      const K = kernelMatrix(means, h);
      driving = [];
      for (let i = 0; i < P; i++) {
        // degree-normalised (Nadaraya–Watson) average Σ_j k_ji σ_j Δ_j / Σ_j k_ji, in units of σ_i
        const v = new F64(d);
        let degree = 0;
        for (let j = 0; j < P; j++) {
          const kji = K[j * P + i];
          degree += kji;
          const w = kji * this.populations[j].sigma;
          for (let c = 0; c < d; c++) v[c] += w * deltas[j][c];
        }
        const scale = 1 / (degree * this.populations[i].sigma);
        for (let c = 0; c < d; c++) v[c] *= scale;
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

  /** Stops on `ftarget`, `maxEvals` (one more generation of P·λ would exceed it) or `maxSteps` (per-population CMA criteria are not applied). */
  stop(): SVStopReason | null {
    if (this.bestF <= this.opts.ftarget) return 'ftarget';
    if (this.evaluations + this.populations.length * this.params.lambda > this.opts.maxEvals)
      return 'maxEvals';
    if (this.generation >= this.opts.maxSteps) return 'maxSteps';
    return null;
  }

  /** The full state as a versioned blob (pending batch included); {@link SVCMAES.fromJSON} resumes bit for bit. */
  toJSON(): SVCMAESJSON {
    const o = this.opts;
    const pending = this.pending?.generation === this.generation ? this.pending : null;
    return makeBlob('SVCMAES', 1, {
      options: {
        ...cmaCommonToJSON(o),
        sigma0: o.sigma0,
        alpha: o.alpha,
        kernel: o.kernel,
        driving: o.driving,
        repulsionInPaths: o.repulsionInPaths,
        kernelBackend: o.kernelBackend,
        maxSteps: encodeNumber(o.maxSteps),
        alphaSchedule: o.alphaSchedule !== undefined,
      },
      streams: this.streams.map((r) => r.toJSON()),
      populations: this.populations.map(populationToJSON),
      evaluations: this.evaluations,
      nonFiniteEvaluations: this.nonFiniteEvaluations,
      generation: this.generation,
      bestX: this.bestX ? vectorToJSON(this.bestX) : null,
      bestF: encodeNumber(this.bestF),
      popBestF: Array.from(this.popBestF, encodeNumber),
      popBestX: this.popBestX.map((x) => (x ? vectorToJSON(x) : null)),
      pending: pending ? pending.raw.map((xs) => xs.map(vectorToJSON)) : null,
    }) as SVCMAESJSON;
  }

  /**
   * Restores a strategy saved with {@link SVCMAES.toJSON} (the blob or its JSON text; pass
   * `alphaSchedule` again if one was used). Every field is validated: a damaged blob is a
   * `ValueError`/`ShapeError` naming the field.
   */
  static fromJSON(json: unknown, extra: { alphaSchedule?: (generation: number) => number } = {}): SVCMAES {
    const r = openBlob(json, { type: 'SVCMAES', version: 1 });
    const pops = r.at('populations').asArrayValue();
    if (pops.length < 1) throw r.at('populations').shapeError('length >= 1', 0);
    const d = r.at('populations').at(0).vector('mean', { minLength: 1 }).length;
    const P = pops.length;
    const populations = r.array('populations', (p) => readPopulation(p, d));
    const o = r.object('options');
    const usedSchedule = o.boolean('alphaSchedule');
    if (usedSchedule && extra.alphaSchedule === undefined)
      throw new ValueError(
        'SVCMAES.fromJSON: the saved strategy used an alphaSchedule; pass it again in extra.alphaSchedule',
        'alphaSchedule',
      );
    const es = new SVCMAES({
      ...readCmaCommon(o, d),
      means0: populations.map((p) => p.mean),
      sigma0: o.number('sigma0', { gt: 0 }),
      alpha: o.number('alpha', { min: 0 }),
      alphaSchedule: extra.alphaSchedule,
      kernel: readRbfSpec(o.at('kernel').asRaw(), 'options.kernel'),
      driving: o.oneOf('driving', DRIVINGS),
      repulsionInPaths: o.boolean('repulsionInPaths'),
      kernelBackend: o.oneOf('kernelBackend', KERNEL_BACKENDS),
      maxSteps: readLimit(o, 'maxSteps'),
    });
    const mut = es as unknown as { streams: Rng[] };
    mut.streams = r.array('streams', (s) => s.asRng(), { length: P });
    populations.forEach((p, i) => {
      Object.assign(es.populations[i], p);
    });
    const g = r.integer('generation', { min: 0 });
    for (let i = 0; i < P; i++) {
      if (populations[i].generation !== g)
        throw r.at('populations').at(i).at('generation').valueError(`${g} (the strategy's generation)`);
    }
    es.generation = g;
    const lam = es.params.lambda;
    es.evaluations = r.integer('evaluations', { min: g * P * lam, max: g * P * lam });
    es.nonFiniteEvaluations = r.integer('nonFiniteEvaluations', { min: 0, max: es.evaluations });
    es.bestX = r.nullable('bestX', (x) => x.asVector({ length: d }));
    es.bestF = r.extendedNumber('bestF');
    if ((es.bestX === null) !== (es.bestF === Infinity))
      throw r
        .at('bestF')
        .valueError(es.bestX === null ? "'Infinity' (bestX is null)" : 'a finite number (bestX is set)');
    const popBestF = r.at('popBestF').asExtendedNumbers({ length: P });
    const popBestX = r.array('popBestX', (x) => x.asNullable((v) => v.asVector({ length: d })), {
      length: P,
    });
    for (let i = 0; i < P; i++) {
      if ((popBestX[i] === null) !== (popBestF[i] === Infinity))
        throw r
          .at('popBestF')
          .at(i)
          .valueError(popBestX[i] === null ? "'Infinity' (popBestX is null)" : 'a finite number');
      es.popBestF[i] = popBestF[i];
      es.popBestX[i] = popBestX[i];
    }
    const raw = r.nullable('pending', (p) =>
      p.asArray((pop) => pop.asArray((x) => x.asVector({ length: d }), { length: lam }), { length: P }),
    );
    if (raw) {
      const box = es.box;
      const xs = raw.flatMap((pop) => (box ? pop.map((x) => clipToBounds(x, box)) : pop));
      es.pending = { raw, xs, generation: g };
    }
    return es;
  }
}

/** Resolves {@link InitialMeans} to P float64 vectors of a common length d (box draws from `rng`). */
export function resolveMeans(means0: unknown, rng: Rng, name = 'means0'): Float64Array[] {
  if (means0 === null || means0 === undefined || typeof means0 !== 'object')
    throw new ValueError(
      `${name} must be P×d initial means or {lower, upper, count}, got ${describe(means0)}`,
      name,
    );
  if (!('length' in means0) && !('rank' in means0)) {
    const box = means0 as { lower?: unknown; upper?: unknown; count?: unknown; dim?: unknown };
    const count = readInteger(box.count, `${name}.count`, { min: 1 });
    const fromSide = (v: unknown) =>
      v != null && typeof v === 'object' && typeof (v as ArrayLike<number>).length === 'number'
        ? (v as ArrayLike<number>).length
        : undefined;
    const dim =
      box.dim !== undefined
        ? readInteger(box.dim, `${name}.dim`, { min: 1 })
        : (fromSide(box.lower) ?? fromSide(box.upper));
    if (dim === undefined)
      throw new ValueError(`${name}.dim is required when lower and upper are numbers`, `${name}.dim`);
    const b = resolveBounds({ lower: box.lower, upper: box.upper }, dim, name) as ResolvedBounds;
    for (let c = 0; c < dim; c++) {
      if (!Number.isFinite(b.lower[c]) || !Number.isFinite(b.upper[c]))
        throw new ValueError(
          `${name}.lower and ${name}.upper must be finite, got ${b.lower[c]}, ${b.upper[c]} at index ${c}`,
          name,
        );
    }
    return Array.from({ length: count }, () => {
      const m = new F64(dim);
      for (let c = 0; c < dim; c++) m[c] = rng.uniformIn(b.lower[c], b.upper[c]);
      return m;
    });
  }
  return readRows(means0, name);
}
