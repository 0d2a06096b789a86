/**
 * SV-OpenAI-ES (Braun, Lange, Toussaint, arXiv:2410.10390; evosax `sv/sv_open_es.py`, notes
 * section 2.2): Stein variational policy gradient (Liu et al. 2017, arXiv:1704.02399) with the
 * gradient replaced by an OpenAI-ES estimate. Per particle i and generation:
 *
 *   x_{i,k} = m_i ± σ ε_k (antithetic),  s_k = shaped fitness,
 *   g_i = −(1/(λσ)) Σ_k s_k ε_k           (points to lower f, i.e. ∇log p for f = −log p̃),
 *   φ_i = (1/P) Σ_j [k(m_j, m_i) g_j + α ∇_{m_j} k(m_j, m_i)]   (kernel-averaged, unlike SV-CMA-ES),
 *   m_i ← m_i + optimiser step on −φ_i (one optimiser state per particle).
 * @module
 */
import {
  type AskTellStrategy,
  type EncodedNumber,
  type GradientTransformation,
  type RbfKernelSpec,
  Rng,
  type RngState,
  type Serializable,
  type StopReason,
  ValueError,
  adam,
  describe,
  encodeNumber,
  makeBlob,
  openBlob,
  option,
  resolveOptions,
  sgd,
  validateState,
  vectorToJSON,
} from '@descent/tensor';
import { type ResolvedBounds, boundsToJSON, clipToBounds, readBounds, resolveBounds } from './bounds';
import { MAX_POP_SIZE, RENAMED_OPTIONS, readLimit } from './cmaOptions';
import { centeredRanks, checkTell } from './fitness';
import { bandwidthOf, kernelMatrix, rbfRepulsion, readRbfSpec } from './kernel';
import { type InitialMeans, resolveMeans } from './svCmaEs';

/** Fitness shapings of {@link SVOpenAIES}. */
export const SHAPINGS = ['centered-rank', 'identity'] as const;

/** Options of {@link SVOpenAIES}. Defaults: evosax v0.3.1 (the author's original in brackets in the README). */
export interface SVOpenAIESOptions {
  /** Initial means m_1..m_P, or `{lower, upper, count}`. */
  means0: InitialMeans;
  /** Samples per particle λ (even when antithetic). */
  popSize: number;
  /** Perturbation scale σ (default 1, evosax; author's original 0.03). */
  sigma0?: number;
  /** Multiplicative decay of σ per generation (default 1: constant, evosax). */
  sigmaDecay?: number;
  /** Floor of σ under decay (default 0; author's original 0.01). */
  sigmaMin?: number;
  /** `'sgd'` (default, evosax), `'adam'` (author's original) or any @descent/tensor GradientTransformation (minimiser). */
  optimizer?: 'sgd' | 'adam' | GradientTransformation<unknown>;
  /** Learning rate of `'sgd'`/`'adam'` (default 1e-3 for sgd, 0.05 for adam). */
  learningRate?: number;
  /** `'centered-rank'` (default, evosax) or `'identity'` (raw f, the author's original; keeps |∇log p|). */
  shaping?: (typeof SHAPINGS)[number];
  /** Antithetic sampling ±ε (default true). */
  antithetic?: boolean;
  /** Repulsion strength α (default 1). */
  alpha?: number;
  /** RBF kernel (default `{ type: 'rbf', bandwidth: 1 }`). */
  kernel?: RbfKernelSpec;
  /** Seed (default 0); particle i samples from `new Rng(seed).fold('population', i)`. */
  seed?: number | string;
  /** Box: candidates are clipped for evaluation (the gradient uses the unclipped ε). */
  bounds?: { lower: ArrayLike<number> | number; upper: ArrayLike<number> | number };
  /** Evaluation budget (default Infinity), never exceeded: `stop()` says `'maxEvals'` once one more generation of P·λ would go past it. */
  maxEvals?: number;
  /** Stop after this many generations (default Infinity). */
  maxSteps?: number;
}

const schema = {
  means0: option.custom<unknown>((v) => v, { required: true }),
  popSize: option.integer({ min: 1, max: MAX_POP_SIZE, required: true }),
  sigma0: option.number({ gt: 0, default: 1 }),
  sigmaDecay: option.number({ gt: 0, default: 1 }),
  sigmaMin: option.number({ min: 0, default: 0 }),
  optimizer: option.custom(
    (v, name): 'sgd' | 'adam' | GradientTransformation<unknown> => {
      if (v === 'sgd' || v === 'adam') return v;
      const t = v as GradientTransformation<unknown> | null;
      if (
        t !== null &&
        typeof t === 'object' &&
        typeof t.init === 'function' &&
        typeof t.update === 'function'
      )
        return t;
      throw new ValueError(
        `${name} must be 'sgd', 'adam' or a GradientTransformation, got ${describe(v)}`,
        name,
      );
    },
    { default: 'sgd' as 'sgd' | 'adam' | GradientTransformation<unknown> },
  ),
  learningRate: option.number({ gt: 0 }),
  shaping: option.oneOf(SHAPINGS, { default: 'centered-rank' }),
  antithetic: option.boolean({ default: true }),
  alpha: option.number({ min: 0, default: 1 }),
  kernel: option.custom((v, name) => readRbfSpec(v, name), {
    default: { type: 'rbf', bandwidth: 1 } as RbfKernelSpec,
  }),
  seed: option.seed(),
  bounds: option.custom<unknown>((v) => v),
  maxEvals: option.integer({ min: 1, allowInfinity: true, default: Number.POSITIVE_INFINITY }),
  maxSteps: option.integer({ min: 1, allowInfinity: true, default: Number.POSITIVE_INFINITY }),
};

/** Serialised {@link SVOpenAIES} (version 1). */
export interface SVOpenAIESJSON {
  type: 'SVOpenAIES';
  version: 1;
  options: {
    popSize: number;
    sigmaDecay: number;
    sigmaMin: number;
    /** `'custom'`: a user transformation (pass it again to `fromJSON`; its state is saved). */
    optimizer: 'sgd' | 'adam' | 'custom';
    /** The optimizer's learning rate (null for a custom optimizer). */
    learningRate: number | null;
    shaping: (typeof SHAPINGS)[number];
    antithetic: boolean;
    alpha: number;
    kernel: RbfKernelSpec;
    bounds: { lower: EncodedNumber[]; upper: EncodedNumber[] } | null;
    maxEvals: EncodedNumber;
    maxSteps: EncodedNumber;
  };
  means: number[][];
  optStates: unknown[];
  streams: RngState[];
  sigma: number;
  generation: number;
  evaluations: number;
  nonFiniteEvaluations: number;
  bestF: EncodedNumber;
  bestX: number[] | null;
  /** The perturbations ε of an asked batch not yet told (null if none). */
  pending: number[][] | null;
}

/**
 * SV-OpenAI-ES with explicit state and ask/tell (minimises f; for sampling f = −log p̃, with
 * `shaping: 'identity'` for a magnitude-aware score estimate).
 *
 * `tell` estimates each particle's gradient from the candidates it is given: for a candidate
 * equal to the asked one the (unclipped) perturbation ε is used, for any other candidate
 * ε = (x − m_i)/σ (injection, as pycma). A `tell` without a pending `ask` is a ValueError.
 */
export class SVOpenAIES implements AskTellStrategy, Serializable<SVOpenAIESJSON> {
  /** Evaluations told so far (P·λ per generation). */
  evaluations = 0;
  /** Told values that were NaN/±Inf (ranked worst; for identity shaping replaced by the worst finite value). */
  nonFiniteEvaluations = 0;
  /** Generations done. */
  generation = 0;
  /** Current σ. */
  sigma: number;
  private readonly P: number;
  private readonly lam: number;
  private readonly d: number;
  private readonly ms: Float64Array[];
  private readonly optStates: unknown[];
  private readonly opt: GradientTransformation<unknown>;
  private readonly streams: Rng[];
  private readonly box: ResolvedBounds | undefined;
  private readonly o: ReturnType<typeof resolveSVOpenAIES>;
  private pending: { eps: Float64Array[]; xs: Float64Array[]; generation: number } | null = null;
  private bestF = Infinity;
  private bestX: Float64Array | null = null;

  constructor(options: SVOpenAIESOptions) {
    const o = resolveSVOpenAIES(options);
    const root = new Rng(o.seed);
    this.ms = resolveMeans(o.means0, root.fold('init'));
    this.P = this.ms.length;
    this.d = this.ms[0].length;
    if (this.P * o.popSize < 2)
      throw new ValueError(`P·popSize must be >= 2, got P = ${this.P}, popSize = ${o.popSize}`, 'popSize');
    if (o.antithetic && o.popSize % 2 !== 0)
      throw new ValueError(`popSize must be even with antithetic sampling, got ${o.popSize}`, 'popSize');
    this.lam = o.popSize;
    this.sigma = o.sigma0;
    bandwidthOf(o.kernel, this.ms);
    if (o.optimizer === 'sgd') this.opt = sgd({ learningRate: o.learningRate ?? 1e-3 });
    else if (o.optimizer === 'adam') this.opt = adam({ learningRate: o.learningRate ?? 0.05 });
    else this.opt = o.optimizer;
    this.optStates = this.ms.map((m) => this.opt.init(m));
    this.streams = root.split(this.P, 'population');
    this.box = resolveBounds(o.bounds, this.d);
    this.o = o;
  }

  /**
   * The full state as a versioned blob (pending batch included); {@link SVOpenAIES.fromJSON}
   * resumes bit for bit. A custom `optimizer` transformation is not serialised (its state is):
   * pass it again to `fromJSON`.
   */
  toJSON(): SVOpenAIESJSON {
    const o = this.o;
    const pending = this.pending?.generation === this.generation ? this.pending : null;
    return makeBlob('SVOpenAIES', 1, {
      options: {
        popSize: o.popSize,
        sigmaDecay: o.sigmaDecay,
        sigmaMin: o.sigmaMin,
        optimizer: typeof o.optimizer === 'string' ? o.optimizer : ('custom' as const),
        learningRate:
          o.optimizer === 'sgd'
            ? (o.learningRate ?? 1e-3)
            : o.optimizer === 'adam'
              ? (o.learningRate ?? 0.05)
              : null,
        shaping: o.shaping,
        antithetic: o.antithetic,
        alpha: o.alpha,
        kernel: o.kernel,
        bounds: this.box ? boundsToJSON(this.box) : null,
        maxEvals: encodeNumber(o.maxEvals),
        maxSteps: encodeNumber(o.maxSteps),
      },
      means: this.ms.map(vectorToJSON),
      optStates: JSON.parse(JSON.stringify(this.optStates)),
      streams: this.streams.map((r) => r.toJSON()),
      sigma: this.sigma,
      generation: this.generation,
      evaluations: this.evaluations,
      nonFiniteEvaluations: this.nonFiniteEvaluations,
      bestF: encodeNumber(this.bestF),
      bestX: this.bestX ? vectorToJSON(this.bestX) : null,
      pending: pending ? pending.eps.map(vectorToJSON) : null,
    }) as SVOpenAIESJSON;
  }

  /**
   * Restores a strategy saved with {@link SVOpenAIES.toJSON} (the blob or its JSON text; pass a
   * custom optimizer again in `extra.optimizer`). Every field is validated, the optimizer states
   * included: a damaged blob is a `ValueError`/`ShapeError` naming the field.
   */
  static fromJSON(json: unknown, extra: { optimizer?: GradientTransformation<unknown> } = {}): SVOpenAIES {
    const r = openBlob(json, { type: 'SVOpenAIES', version: 1 });
    const means = r.array('means', (m) => m.asVector({ minLength: 1 }), { minLength: 1 });
    const d = means[0].length;
    const P = means.length;
    for (let i = 1; i < P; i++)
      if (means[i].length !== d) throw r.at('means').at(i).shapeError(`length ${d}`, means[i].length);
    const o = r.object('options');
    const saved = o.oneOf('optimizer', ['sgd', 'adam', 'custom'] as const);
    if (saved === 'custom' && extra.optimizer === undefined)
      throw new ValueError(
        'SVOpenAIES.fromJSON: the saved strategy used a custom optimizer; pass it again in extra.optimizer',
        'optimizer',
      );
    const es = new SVOpenAIES({
      means0: means,
      popSize: o.integer('popSize', { min: 1, max: MAX_POP_SIZE }),
      sigma0: r.number('sigma', { gt: 0 }),
      sigmaDecay: o.number('sigmaDecay', { gt: 0 }),
      sigmaMin: o.number('sigmaMin', { min: 0 }),
      optimizer:
        saved === 'custom'
          ? (extra.optimizer as GradientTransformation<unknown>)
          : (extra.optimizer ?? saved),
      learningRate: saved === 'custom' ? undefined : o.number('learningRate', { gt: 0 }),
      shaping: o.oneOf('shaping', SHAPINGS),
      antithetic: o.boolean('antithetic'),
      alpha: o.number('alpha', { min: 0 }),
      kernel: readRbfSpec(o.at('kernel').asRaw(), 'options.kernel'),
      bounds: o.nullable('bounds', (b) => readBounds(b, d)) ?? undefined,
      maxEvals: readLimit(o, 'maxEvals'),
      maxSteps: readLimit(o, 'maxSteps'),
    });
    const states = r.at('optStates').asArray((s) => s.asRaw(), { length: P });
    states.forEach((s, i) => {
      es.optStates[i] = validateState(es.opt, means[i], s, `optStates[${i}]`);
    });
    const mut = es as unknown as { streams: Rng[] };
    mut.streams = r.array('streams', (s) => s.asRng(), { length: P });
    es.generation = r.integer('generation', { min: 0 });
    es.evaluations = r.integer('evaluations', {
      min: es.generation * P * es.lam,
      max: es.generation * P * es.lam,
    });
    es.nonFiniteEvaluations = r.integer('nonFiniteEvaluations', { min: 0, max: es.evaluations });
    es.bestX = r.nullable('bestX', (x) => x.asVector({ length: d }));
    es.bestF = r.extendedNumber('bestF');
    if ((es.bestX === null) !== (es.bestF === Infinity))
      throw r
        .at('bestF')
        .valueError(es.bestX === null ? "'Infinity' (bestX is null)" : 'a finite number (bestX is set)');
    const eps = r.nullable('pending', (p) =>
      p.asArray((e) => e.asVector({ length: d }), { length: P * es.lam }),
    );
    if (eps) es.pending = { eps, xs: es.candidates(eps), generation: es.generation };
    return es;
  }

  /** The P particles (copies). */
  get means(): Float64Array[] {
    return this.ms.map((m) => m.slice());
  }
  /** Best fitness told so far. */
  get fBest(): number {
    return this.bestF;
  }
  /** Best candidate told so far. */
  get xBest(): Float64Array | null {
    return this.bestX ? this.bestX.slice() : null;
  }

  /** The candidates m_i + σ ε (clipped into the box) of perturbations ε, particle-major. */
  private candidates(eps: Float64Array[]): Float64Array[] {
    const { lam, d } = this;
    return eps.map((e, idx) => {
      const m = this.ms[Math.floor(idx / lam)];
      const x = new Float64Array(d);
      for (let c = 0; c < d; c++) x[c] = m[c] + this.sigma * e[c];
      return this.box ? clipToBounds(x, this.box) : x;
    });
  }

  /** P·λ candidates, particle-major; with antithetic sampling [m + σε_1..λ/2, m − σε_1..λ/2] per particle. */
  ask(): Float64Array[] {
    if (this.pending && this.pending.generation === this.generation)
      return this.pending.xs.map((x) => x.slice());
    const eps: Float64Array[] = [];
    const half = this.o.antithetic ? this.lam / 2 : this.lam;
    for (let i = 0; i < this.P; i++) {
      const base: Float64Array[] = [];
      for (let k = 0; k < half; k++) base.push(this.streams[i].normalArray(this.d));
      const all = this.o.antithetic ? [...base, ...base.map((e) => e.map((v) => -v))] : base;
      eps.push(...all);
    }
    this.pending = { eps, xs: this.candidates(eps), generation: this.generation };
    return this.pending.xs.map((x) => x.slice());
  }

  /** One generation from the fitness (to minimise) of the candidates `xs` (the asked ones, or injected ones). */
  tell(xs: ArrayLike<ArrayLike<number>>, fitness: ArrayLike<number>): void {
    const { P, lam, d } = this;
    const checked = checkTell(xs, fitness, P * lam, d);
    const { fitness: f, nonFinite } = checked;
    if (!this.pending || this.pending.generation !== this.generation)
      throw new ValueError(
        'tell needs a pending batch: call ask() first (SV-OpenAI-ES estimates gradients from the asked perturbations)',
        'xs',
      );
    const { eps: asked, xs: askedXs } = this.pending;
    // ε of each told candidate: the asked (unclipped) ε where the candidate is the asked one, else (x − m)/σ
    const eps = checked.xs.map((x, idx) => {
      const a = askedXs[idx];
      let same = true;
      for (let c = 0; c < d && same; c++) same = x[c] === a[c];
      if (same) return asked[idx];
      const m = this.ms[Math.floor(idx / lam)];
      return x.map((v, c) => (v - m[c]) / this.sigma);
    });
    const g: Float64Array[] = [];
    for (let i = 0; i < P; i++) {
      const fi = f.subarray(i * lam, (i + 1) * lam);
      for (let k = 0; k < lam; k++) {
        if (fi[k] < this.bestF) {
          this.bestF = fi[k];
          this.bestX = checked.xs[i * lam + k];
        }
      }
      let s: Float64Array;
      if (this.o.shaping === 'centered-rank') s = centeredRanks(fi);
      else {
        let worst = -Infinity;
        for (const v of fi) if (Number.isFinite(v) && v > worst) worst = v;
        s = Float64Array.from(fi, (v) => (Number.isFinite(v) ? v : worst === -Infinity ? 0 : worst));
      }
      const gi = new Float64Array(d);
      for (let k = 0; k < lam; k++) {
        const e = eps[i * lam + k];
        for (let c = 0; c < d; c++) gi[c] -= s[k] * e[c];
      }
      for (let c = 0; c < d; c++) gi[c] /= lam * this.sigma;
      g.push(gi);
    }
    // φ_i = (1/P) Σ_j k_ji g_j + α r_i
    const h = bandwidthOf(this.o.kernel, this.ms);
    const K = kernelMatrix(this.ms, h);
    const r = this.o.alpha > 0 ? rbfRepulsion(this.ms, h) : null;
    for (let i = 0; i < P; i++) {
      const phi = new Float64Array(d);
      for (let j = 0; j < P; j++) {
        const kji = K[j * P + i] / P;
        for (let c = 0; c < d; c++) phi[c] += kji * g[j][c];
      }
      if (r) for (let c = 0; c < d; c++) phi[c] += this.o.alpha * r[i][c];
      const grads = phi.map((v) => -v);
      const u = this.opt.update(grads, this.optStates[i], this.ms[i]);
      this.optStates[i] = u.state;
      for (let c = 0; c < d; c++) this.ms[i][c] += u.updates[c];
    }
    this.sigma = Math.max(this.sigma * this.o.sigmaDecay, this.o.sigmaMin);
    this.evaluations += P * lam;
    this.nonFiniteEvaluations += nonFinite;
    this.generation++;
    this.pending = null;
  }

  /** `'maxEvals'` once one more generation would exceed the budget, `'maxSteps'` after `maxSteps` generations, else null. */
  stop(): Extract<StopReason, 'maxEvals' | 'maxSteps'> | null {
    if (this.evaluations + this.P * this.lam > this.o.maxEvals) return 'maxEvals';
    if (this.generation >= this.o.maxSteps) return 'maxSteps';
    return null;
  }
}

function resolveSVOpenAIES(options: SVOpenAIESOptions) {
  return resolveOptions(options, schema, { name: 'SVOpenAIES options', renamed: RENAMED_OPTIONS });
}
