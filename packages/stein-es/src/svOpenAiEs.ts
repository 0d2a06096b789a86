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
  type GradientTransformation,
  Rng,
  ValueError,
  adam,
  assertInteger,
  assertPositive,
  sgd,
} from '@descent/tensor';
import { type BoxBounds, type ResolvedBounds, clipToBounds, resolveBounds } from './bounds';
import { centeredRanks, checkTell } from './fitness';
import { type RBFKernel, kernelMatrix, rbfRepulsion, resolveBandwidth } from './kernel';
import { type InitialMeans, resolveMeans } from './svCmaEs';
import { assertLimit } from './validate';

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
  shaping?: 'centered-rank' | 'identity';
  /** Antithetic sampling ±ε (default true). */
  antithetic?: boolean;
  /** Repulsion strength α (default 1). */
  alpha?: number;
  /** RBF kernel (default `{ std: 1 }`). */
  kernel?: RBFKernel;
  /** Seed (default 0); particle i samples from `new Rng(seed).fold('population', i)`. */
  seed?: number | string;
  /** Box: candidates are clipped for evaluation (the gradient uses the unclipped ε). */
  bounds?: BoxBounds;
  /** Stop after this many evaluations (default Infinity). */
  maxEvals?: number;
}

/** Serialised {@link SVOpenAIES}. */
export interface SVOpenAIESJSON {
  options: Omit<SVOpenAIESOptions, 'means0' | 'optimizer'> & { optimizer?: 'sgd' | 'adam' };
  means: number[][];
  optStates: unknown[];
  streams: ReturnType<Rng['toJSON']>[];
  sigma: number;
  generation: number;
  evaluations: number;
  nonFiniteEvaluations: number;
  bestF: number | null;
  bestX: number[] | null;
}

/**
 * SV-OpenAI-ES with explicit state and ask/tell (minimises f; for sampling f = −log p̃, with
 * `shaping: 'identity'` for a magnitude-aware score estimate).
 */
export class SVOpenAIES {
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
  private readonly o: Required<
    Pick<
      SVOpenAIESOptions,
      'sigmaDecay' | 'sigmaMin' | 'shaping' | 'antithetic' | 'alpha' | 'kernel' | 'maxEvals'
    >
  >;
  private pending: { eps: Float64Array[]; xs: Float64Array[]; generation: number } | null = null;
  private bestF = Infinity;
  private bestX: Float64Array | null = null;

  private readonly options: SVOpenAIESOptions;

  constructor(options: SVOpenAIESOptions) {
    if (options == null || typeof options !== 'object')
      throw new ValueError('options must be an object with means0 and popSize', 'options');
    const root = new Rng(options.seed ?? 0);
    this.ms = resolveMeans(options.means0, root.fold('init'));
    this.P = this.ms.length;
    this.d = this.ms[0].length;
    assertInteger('popSize', options.popSize, 1);
    const antithetic = options.antithetic ?? true;
    if (this.P * options.popSize < 2)
      throw new ValueError(
        `P·popSize must be >= 2, got P = ${this.P}, popSize = ${options.popSize}`,
        'popSize',
      );
    if (antithetic && options.popSize % 2 !== 0)
      throw new ValueError(
        `popSize must be even with antithetic sampling, got ${options.popSize}`,
        'popSize',
      );
    this.lam = options.popSize;
    this.sigma = options.sigma0 ?? 1;
    assertPositive('sigma0', this.sigma);
    const sigmaDecay = options.sigmaDecay ?? 1;
    assertPositive('sigmaDecay', sigmaDecay);
    const sigmaMin = options.sigmaMin ?? 0;
    assertPositive('sigmaMin', sigmaMin, true);
    const shaping = options.shaping ?? 'centered-rank';
    if (shaping !== 'centered-rank' && shaping !== 'identity')
      throw new ValueError(
        `shaping must be 'centered-rank' or 'identity', got ${JSON.stringify(shaping)}`,
        'shaping',
      );
    const alpha = options.alpha ?? 1;
    assertPositive('alpha', alpha, true);
    const kernel = options.kernel ?? { std: 1 };
    resolveBandwidth(kernel, this.ms);
    const maxEvals = options.maxEvals ?? Infinity;
    assertLimit('maxEvals', maxEvals);
    const optimizer = options.optimizer ?? 'sgd';
    if (optimizer === 'sgd') this.opt = sgd({ learningRate: options.learningRate ?? 1e-3 });
    else if (optimizer === 'adam') this.opt = adam({ learningRate: options.learningRate ?? 0.05 });
    else if (optimizer && typeof optimizer.init === 'function' && typeof optimizer.update === 'function')
      this.opt = optimizer;
    else
      throw new ValueError(
        `optimizer must be 'sgd', 'adam' or a GradientTransformation, got ${String(optimizer)}`,
        'optimizer',
      );
    this.optStates = this.ms.map((m) => this.opt.init(m));
    this.streams = root.split(this.P, 'population');
    this.box = resolveBounds(options.bounds, this.d);
    this.o = { sigmaDecay, sigmaMin, shaping, antithetic, alpha, kernel, maxEvals };
    this.options = options;
  }

  /**
   * The full state as plain JSON; {@link SVOpenAIES.fromJSON} resumes bit-for-bit. A custom
   * `optimizer` transformation is not serialised (its state is): pass it again to `fromJSON`.
   */
  toJSON(): SVOpenAIESJSON {
    const { optimizer, means0: _m, ...rest } = this.options;
    return {
      options: { ...rest, optimizer: typeof optimizer === 'string' ? optimizer : undefined },
      means: this.ms.map((m) => Array.from(m)),
      optStates: JSON.parse(JSON.stringify(this.optStates)),
      streams: this.streams.map((r) => r.toJSON()),
      sigma: this.sigma,
      generation: this.generation,
      evaluations: this.evaluations,
      nonFiniteEvaluations: this.nonFiniteEvaluations,
      bestF: Number.isFinite(this.bestF) ? this.bestF : null,
      bestX: this.bestX ? Array.from(this.bestX) : null,
    };
  }

  /** Restores a strategy saved with {@link SVOpenAIES.toJSON}. */
  static fromJSON(
    json: SVOpenAIESJSON,
    extra: { optimizer?: GradientTransformation<unknown> } = {},
  ): SVOpenAIES {
    const es = new SVOpenAIES({
      ...json.options,
      means0: json.means,
      optimizer: extra.optimizer ?? json.options.optimizer,
    });
    const mut = es as unknown as {
      optStates: unknown[];
      streams: Rng[];
      bestF: number;
      bestX: Float64Array | null;
    };
    mut.optStates.splice(0, mut.optStates.length, ...json.optStates);
    mut.streams.splice(0, mut.streams.length, ...json.streams.map((r) => Rng.fromJSON(r)));
    es.sigma = json.sigma;
    es.generation = json.generation;
    es.evaluations = json.evaluations;
    es.nonFiniteEvaluations = json.nonFiniteEvaluations;
    mut.bestF = json.bestF ?? Infinity;
    mut.bestX = json.bestX ? Float64Array.from(json.bestX) : null;
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

  /** P·λ candidates, particle-major; with antithetic sampling [m + σε_1..λ/2, m − σε_1..λ/2] per particle. */
  ask(): Float64Array[] {
    if (this.pending && this.pending.generation === this.generation)
      return this.pending.xs.map((x) => x.slice());
    const eps: Float64Array[] = [];
    const xs: Float64Array[] = [];
    const half = this.o.antithetic ? this.lam / 2 : this.lam;
    for (let i = 0; i < this.P; i++) {
      const base: Float64Array[] = [];
      for (let k = 0; k < half; k++) base.push(this.streams[i].normalArray(this.d));
      const all = this.o.antithetic ? [...base, ...base.map((e) => e.map((v) => -v))] : base;
      for (const e of all) {
        eps.push(e);
        const x = new Float64Array(this.d);
        for (let c = 0; c < this.d; c++) x[c] = this.ms[i][c] + this.sigma * e[c];
        xs.push(this.box ? clipToBounds(x, this.box) : x);
      }
    }
    this.pending = { eps, xs, generation: this.generation };
    return xs.map((x) => x.slice());
  }

  /** One generation from the fitness (to minimise) of the asked candidates. */
  tell(xs: ArrayLike<ArrayLike<number>>, fitness: ArrayLike<number>): void {
    const { P, lam, d } = this;
    const { fitness: f, nonFinite } = checkTell(xs, fitness, P * lam, d);
    if (!this.pending || this.pending.generation !== this.generation) this.ask();
    const eps = (this.pending as { eps: Float64Array[] }).eps;
    const g: Float64Array[] = [];
    for (let i = 0; i < P; i++) {
      const fi = f.subarray(i * lam, (i + 1) * lam);
      for (let k = 0; k < lam; k++) {
        if (fi[k] < this.bestF) {
          this.bestF = fi[k];
          this.bestX = Float64Array.from(xs[i * lam + k]);
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
    const h = resolveBandwidth(this.o.kernel, this.ms);
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

  /** `'maxEvals'` once the budget is spent, else null. */
  stop(): 'maxEvals' | null {
    return this.evaluations >= this.o.maxEvals ? 'maxEvals' : null;
  }
}
