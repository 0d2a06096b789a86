/**
 * Gradient-free SVGD (Han & Liu, ICML 2018, arXiv:1806.02775), a baseline of the SV-ES paper.
 * The true score is replaced by the score of a surrogate ρ and the bias corrected by importance
 * weights w_j = ρ(x_j)/p̃(x_j) (normalised in log space):
 *
 *   φ(x_i) = Σ_j ŵ_j [∇log ρ(x_j) k(x_j, x_i) + ∇_{x_j} k(x_j, x_i)],  ŵ_j = w_j / Σ_l w_l.
 *
 * Surrogate (the SV-ES paper's choice is not known, notes section 2.5): by default a Gaussian KDE
 * over the current particles with the kernel's bandwidth (analytic score, no extra evaluations),
 * so one iteration costs n evaluations of p̃. With ρ = p the weights are equal and the update is
 * plain SVGD.
 * @module
 */
import {
  type AskTellStrategy,
  type EncodedNumber,
  Matrix,
  type RbfKernelSpec,
  type Serializable,
  type StopReason,
  ValueError,
  describe,
  encodeNumber,
  makeBlob,
  openBlob,
  option,
  rbf,
  readInteger,
  readOptions,
  readRows,
  readVector,
  resolveOptions,
  validateState,
  vectorToJSON,
} from '@descent/tensor';
import { RENAMED_OPTIONS, readLimit } from './cmaOptions';
import type { BatchObjective } from './evaluate';
import { DEFAULT_BATCH_RETRIES, EvaluationLedger } from './evaluationLedger';
import { checkTell } from './fitness';
import { bandwidthOf, readRbfSpec } from './kernel';
import {
  PARTICLE_RENAMED,
  type ParticleResult,
  type ParticleStep,
  checkParticles,
  particleSchema,
  particleStepper,
} from './svgd';

/** A surrogate density ρ: log ρ and its gradient. */
export interface Surrogate {
  logDensity(x: Float64Array): number;
  gradLogDensity(x: Float64Array): ArrayLike<number>;
}

/** Options of {@link GFSVGD}. */
export interface GFSVGDOptions {
  /** Step size ε (default 1e-3, as SVGD's reference code). */
  learningRate?: number;
  /** Step rule (default `'adagrad'`, see {@link svgd}). */
  step?: ParticleStep;
  /** RBF kernel of the update (default `{ type: 'rbf', bandwidth: 'median' }`). */
  kernel?: RbfKernelSpec;
  /** `'kde'` (default) or a user surrogate ρ. */
  surrogate?: 'kde' | Surrogate;
  /** KDE bandwidth as a multiple of the kernel bandwidth h (default 1). */
  kdeScale?: number;
  /** Density-evaluation budget (default Infinity), never exceeded: `stop()` says `'maxEvals'` once one more iteration of n would go past it. */
  maxEvals?: number;
  /** Stop after this many iterations (default Infinity). */
  maxSteps?: number;
}

function readSurrogate(v: unknown, name: string): 'kde' | Surrogate {
  if (v === 'kde') return v;
  const s = v as Surrogate | null;
  if (
    s !== null &&
    typeof s === 'object' &&
    typeof s.logDensity === 'function' &&
    typeof s.gradLogDensity === 'function'
  )
    return s;
  throw new ValueError(`${name} must be 'kde' or {logDensity, gradLogDensity}, got ${describe(v)}`, name);
}

const gfSchema = {
  ...particleSchema,
  surrogate: option.custom(readSurrogate, { default: 'kde' as 'kde' | Surrogate }),
  kdeScale: option.number({ gt: 0, default: 1 }),
  maxEvals: option.integer({ min: 1, allowInfinity: true, default: Number.POSITIVE_INFINITY }),
  maxSteps: option.integer({ min: 1, allowInfinity: true, default: Number.POSITIVE_INFINITY }),
};

function resolveGf(options: unknown, name: string) {
  return resolveOptions(options, gfSchema, { name, renamed: { ...RENAMED_OPTIONS, ...PARTICLE_RENAMED } });
}

/** Weights, surrogate scores and direction of one GF-SVGD step (exposed for tests). */
export interface GfSvgdStep {
  /** Normalised importance weights ŵ (sum 1). */
  weights: Float64Array;
  /** φ(x_i), n × d. */
  phi: Matrix;
  /** Kernel bandwidth used. */
  bandwidth: number;
}

/** Score and log density of the KDE ρ(x) = (1/n) Σ_l N(x; x_l, s²I) at the particles themselves. */
function kdeAt(xs: Float64Array[], s: number): { logRho: Float64Array; scores: Float64Array[] } {
  const n = xs.length;
  const d = xs[0].length;
  const logRho = new Float64Array(n);
  const scores: Float64Array[] = [];
  const inv = 1 / (2 * s * s);
  const logNorm = -0.5 * d * Math.log(2 * Math.PI * s * s) - Math.log(n);
  for (let j = 0; j < n; j++) {
    const e = new Float64Array(n);
    let mx = -Infinity;
    for (let l = 0; l < n; l++) {
      let q = 0;
      for (let c = 0; c < d; c++) q += (xs[j][c] - xs[l][c]) ** 2;
      e[l] = -q * inv;
      if (e[l] > mx) mx = e[l];
    }
    let z = 0;
    const g = new Float64Array(d);
    for (let l = 0; l < n; l++) {
      const w = Math.exp(e[l] - mx);
      z += w;
      for (let c = 0; c < d; c++) g[c] += w * (xs[l][c] - xs[j][c]);
    }
    for (let c = 0; c < d; c++) g[c] /= z * s * s;
    logRho[j] = mx + Math.log(z) + logNorm;
    scores.push(g);
  }
  return { logRho, scores };
}

/**
 * The GF-SVGD direction at particles `xs` given U(x_j) = −log p̃(x_j) (non-finite U gets weight 0).
 */
export function gfSvgdDirection(
  xs: ArrayLike<ArrayLike<number>>,
  negLogP: ArrayLike<number>,
  options: Pick<GFSVGDOptions, 'kernel' | 'surrogate' | 'kdeScale'> = {},
): GfSvgdStep {
  const o = resolveOptions(
    options,
    { kernel: gfSchema.kernel, surrogate: gfSchema.surrogate, kdeScale: gfSchema.kdeScale },
    { name: 'gfSvgdDirection options', renamed: PARTICLE_RENAMED },
  );
  const pts = readRows(xs, 'xs');
  const n = pts.length;
  const d = pts[0].length;
  const U = Array.from(negLogP as ArrayLike<unknown>, (v, j) => {
    if (typeof v !== 'number')
      throw new ValueError(
        `negLogP must contain numbers (NaN/±Infinity: weight 0), got ${describe(v)} at index ${j}`,
        'negLogP',
      );
    return v;
  });
  if (U.length !== n)
    throw new ValueError(
      `negLogP must have length ${n} (one value per particle), got ${U.length}`,
      'negLogP',
    );
  const h = bandwidthOf(o.kernel, pts);
  const surrogate = o.surrogate;
  let logRho: Float64Array;
  let S: Float64Array[];
  if (surrogate === 'kde') {
    ({ logRho, scores: S } = kdeAt(pts, o.kdeScale * h));
  } else {
    logRho = Float64Array.from(pts, (x) => {
      const v = surrogate.logDensity(x.slice());
      if (typeof v !== 'number' || Number.isNaN(v))
        throw new ValueError(
          `surrogate.logDensity must return a number (−Infinity: density 0), got ${describe(v)}`,
          'surrogate',
        );
      return v;
    });
    S = pts.map((x) =>
      readVector(surrogate.gradLogDensity(x.slice()), 'surrogate.gradLogDensity(x)', {
        length: d,
        copy: true,
      }),
    );
  }
  // log w_j = log ρ(x_j) + U(x_j), normalised with log-sum-exp
  const lw = new Float64Array(n);
  let mx = -Infinity;
  for (let j = 0; j < n; j++) {
    const u = U[j];
    lw[j] = Number.isFinite(u) && Number.isFinite(logRho[j]) ? logRho[j] + u : -Infinity;
    if (lw[j] > mx) mx = lw[j];
  }
  if (mx === -Infinity)
    throw new ValueError(
      'every particle has a non-finite density or surrogate value; GF-SVGD cannot weight them',
      'negLogP',
    );
  let z = 0;
  for (let j = 0; j < n; j++) z += Math.exp(lw[j] - mx);
  const lse = mx + Math.log(z);
  const w = Float64Array.from(lw, (v) => Math.exp(v - lse));
  const k = rbf({ bandwidth: h });
  const X = Matrix.of(pts);
  const K = k.matrix(X).data;
  // Σ_j ŵ_j ∇_{x_j} k(x_j, x_i) = −Σ_j ŵ_j ∇_{x_i} k(x_i, x_j) = −gradX(X, X, W)_i with W_ij = ŵ_j
  const W = new Matrix(n, n);
  for (let i = 0; i < n; i++) W.data.set(w, i * n);
  const G = k.gradX(X, X, W).data;
  const phi = new Matrix(n, d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const c = w[j] * K[j * n + i];
      if (c === 0) continue;
      for (let a = 0; a < d; a++) phi.data[i * d + a] += c * S[j][a];
    }
    for (let a = 0; a < d; a++) phi.data[i * d + a] -= G[i * d + a];
  }
  return { weights: w, phi, bandwidth: h };
}

/** Serialised {@link GFSVGD} (version 1). */
export interface GFSVGDJSON {
  type: 'GFSVGD';
  version: 1;
  options: {
    learningRate: number;
    /** `'custom'`: a user transformation (pass it again to `fromJSON`; its state is saved). */
    step: 'adagrad' | 'plain' | 'custom';
    kernel: RbfKernelSpec;
    /** `'custom'`: a user surrogate (pass it again). */
    surrogate: 'kde' | 'custom';
    kdeScale: number;
    maxEvals: EncodedNumber;
    maxSteps: EncodedNumber;
  };
  particles: number[][];
  stepState: unknown;
  evaluations: number;
  step: number;
  nonFiniteEvaluations: number;
  bestF: EncodedNumber;
  bestX: number[] | null;
}

/**
 * GF-SVGD with ask/tell: `ask()` returns the n particles, `tell(xs, U)` takes U = −log p̃ at them
 * (the particles themselves: telling other points is a ValueError, GF-SVGD moves its particles).
 * `fBest`/`xBest` are the lowest U told and its particle.
 *
 * ```ts
 * const s = new GFSVGD(x0, { learningRate: 0.05 });
 * for (let t = 0; t < 500; t++) { const xs = s.ask(); s.tell(xs, xs.map(negLogP)); }
 * ```
 */
export class GFSVGD implements AskTellStrategy, Serializable<GFSVGDJSON> {
  /** Density evaluations told so far (n per iteration). */
  evaluations = 0;
  /** Iterations done. */
  step = 0;
  /** Told values that were NaN/±Inf (weight 0). */
  nonFiniteEvaluations = 0;
  private readonly xs: Float64Array[];
  private readonly opt: ReturnType<typeof particleStepper>;
  private state: unknown;
  private readonly o: ReturnType<typeof resolveGf>;
  private bestF = Infinity;
  private bestX: Float64Array | null = null;

  constructor(x0: ArrayLike<ArrayLike<number>>, options: GFSVGDOptions = {}) {
    this.o = resolveGf(options, 'GFSVGD options');
    this.xs = checkParticles(x0);
    bandwidthOf(this.o.kernel, this.xs);
    this.opt = particleStepper(this.o.step, this.o.learningRate);
    this.state = this.opt.init(new Float64Array(this.xs.length * this.xs[0].length));
  }

  /** The current particles (copies). */
  get particles(): Float64Array[] {
    return this.xs.map((x) => x.slice());
  }
  /** The lowest U = −log p̃ told so far. */
  get fBest(): number {
    return this.bestF;
  }
  /** The particle where {@link GFSVGD.fBest} was told. */
  get xBest(): Float64Array | null {
    return this.bestX ? this.bestX.slice() : null;
  }

  /** The full state as a versioned blob (a custom `step` transformation or surrogate must be passed again to `fromJSON`). */
  toJSON(): GFSVGDJSON {
    const o = this.o;
    return makeBlob('GFSVGD', 1, {
      options: {
        learningRate: o.learningRate,
        step: typeof o.step === 'string' ? o.step : ('custom' as const),
        kernel: o.kernel,
        surrogate: o.surrogate === 'kde' ? ('kde' as const) : ('custom' as const),
        kdeScale: o.kdeScale,
        maxEvals: encodeNumber(o.maxEvals),
        maxSteps: encodeNumber(o.maxSteps),
      },
      particles: this.xs.map(vectorToJSON),
      stepState: JSON.parse(JSON.stringify(this.state)),
      evaluations: this.evaluations,
      step: this.step,
      nonFiniteEvaluations: this.nonFiniteEvaluations,
      bestF: encodeNumber(this.bestF),
      bestX: this.bestX ? vectorToJSON(this.bestX) : null,
    }) as GFSVGDJSON;
  }

  /** Restores a sampler saved with {@link GFSVGD.toJSON} (validated; pass a custom `step` or `surrogate` again). */
  static fromJSON(json: unknown, extra: Pick<GFSVGDOptions, 'step' | 'surrogate'> = {}): GFSVGD {
    const r = openBlob(json, { type: 'GFSVGD', version: 1 });
    const particles = r.at('particles').asArray((p) => p.asVector({ minLength: 1 }), { minLength: 1 });
    const n = particles.length;
    const d = particles[0].length;
    for (let i = 1; i < n; i++)
      if (particles[i].length !== d)
        throw r.at('particles').at(i).shapeError(`length ${d}`, particles[i].length);
    const o = r.object('options');
    const step = o.oneOf('step', ['adagrad', 'plain', 'custom'] as const);
    const surrogate = o.oneOf('surrogate', ['kde', 'custom'] as const);
    if (step === 'custom' && extra.step === undefined)
      throw new ValueError(
        'GFSVGD.fromJSON: the saved sampler used a custom step transformation; pass it again in extra.step',
        'step',
      );
    if (surrogate === 'custom' && extra.surrogate === undefined)
      throw new ValueError(
        'GFSVGD.fromJSON: the saved sampler used a custom surrogate; pass it again in extra.surrogate',
        'surrogate',
      );
    const s = new GFSVGD(particles, {
      learningRate: o.number('learningRate', { gt: 0 }),
      step: step === 'custom' ? extra.step : (extra.step ?? step),
      kernel: readRbfSpec(o.at('kernel').asRaw(), 'options.kernel'),
      surrogate: surrogate === 'custom' ? extra.surrogate : (extra.surrogate ?? surrogate),
      kdeScale: o.number('kdeScale', { gt: 0 }),
      maxEvals: readLimit(o, 'maxEvals'),
      maxSteps: readLimit(o, 'maxSteps'),
    });
    s.state = validateState(s.opt, new Float64Array(n * d), r.at('stepState').asRaw(), 'stepState');
    s.step = r.integer('step', { min: 0 });
    s.evaluations = r.integer('evaluations', { min: s.step * n, max: s.step * n });
    s.nonFiniteEvaluations = r.integer('nonFiniteEvaluations', { min: 0, max: s.evaluations });
    s.bestX = r.nullable('bestX', (x) => x.asVector({ length: d }));
    s.bestF = r.extendedNumber('bestF');
    if ((s.bestX === null) !== (s.bestF === Infinity))
      throw r
        .at('bestF')
        .valueError(s.bestX === null ? "'Infinity' (bestX is null)" : 'a finite number (bestX is set)');
    return s;
  }

  /** The points to evaluate: the particles themselves. */
  ask(): Float64Array[] {
    return this.particles;
  }

  /** One GF-SVGD step from U(x_j) = −log p̃(x_j) at the asked particles. */
  tell(xs: ArrayLike<ArrayLike<number>>, negLogP: ArrayLike<number>): GfSvgdStep {
    const n = this.xs.length;
    const d = this.xs[0].length;
    const checked = checkTell(xs, negLogP, n, d);
    for (let j = 0; j < n; j++) {
      for (let c = 0; c < d; c++) {
        if (checked.xs[j][c] !== this.xs[j][c])
          throw new ValueError(
            `xs[${j}] must be the asked particle ${j} (GF-SVGD moves its particles; other points cannot be told)`,
            'xs',
          );
      }
    }
    const raw = Float64Array.from(negLogP as ArrayLike<number>);
    const { kernel, surrogate, kdeScale } = this.o;
    const step = gfSvgdDirection(this.xs, raw, { kernel, surrogate, kdeScale });
    for (let j = 0; j < n; j++) {
      if (checked.fitness[j] < this.bestF) {
        this.bestF = checked.fitness[j];
        this.bestX = this.xs[j].slice();
      }
    }
    const r = this.opt.update(step.phi.data, this.state);
    this.state = r.state;
    for (let i = 0; i < n; i++) for (let c = 0; c < d; c++) this.xs[i][c] += r.updates[i * d + c];
    this.evaluations += n;
    this.nonFiniteEvaluations += checked.nonFinite;
    this.step++;
    return step;
  }

  /** `'maxEvals'` once one more iteration would exceed the budget, `'maxSteps'` after `maxSteps` iterations, else null. */
  stop(): Extract<StopReason, 'maxEvals' | 'maxSteps'> | null {
    if (this.evaluations + this.xs.length > this.o.maxEvals) return 'maxEvals';
    if (this.step >= this.o.maxSteps) return 'maxSteps';
    return null;
  }
}

/** Options of {@link gfSvgd}. */
export interface GfSvgdRunOptions extends GFSVGDOptions {
  /**
   * Failed batches in a row (the density threw, or every value was NaN/±Inf) retried before the
   * run ends with a `ValueError` naming `negLogP` (default 2); a failed batch is never told.
   */
  batchRetries?: number;
}

/**
 * Runs GF-SVGD for a batch negative log-density (sync or async) and returns the particles
 * (default budget: 1000 iterations).
 */
export async function gfSvgd(
  negLogP: BatchObjective,
  x0: ArrayLike<ArrayLike<number>>,
  options: GfSvgdRunOptions = {},
): Promise<ParticleResult> {
  const t0 = performance.now();
  if (typeof negLogP !== 'function')
    throw new ValueError(
      `negLogP must be a batch function (xs) => values, got ${describe(negLogP)}`,
      'negLogP',
    );
  const { batchRetries = DEFAULT_BATCH_RETRIES, ...rest } = readOptions<GfSvgdRunOptions>(options);
  readInteger(batchRetries, 'batchRetries', { min: 0 });
  const s = new GFSVGD(x0, { maxSteps: 1000, ...rest });
  const ledger = new EvaluationLedger(rest.maxEvals ?? Infinity, batchRetries, 'negLogP');
  const history: ParticleResult['history'] = [];
  let maxPhi = Infinity;
  const n = s.particles.length;
  let stopReason: StopReason;
  for (;;) {
    const stop = s.stop();
    if (stop) {
      stopReason = stop;
      break;
    }
    if (!ledger.fits(n)) {
      stopReason = 'maxEvals';
      break;
    }
    const xs = s.ask();
    const values = await ledger.evaluate(negLogP, xs);
    if (values === null) continue; // a failed batch: not told, the same particles are retried
    const step = s.tell(xs, values);
    maxPhi = 0;
    for (let k = 0; k < step.phi.data.length; k++) maxPhi = Math.max(maxPhi, Math.abs(step.phi.data[k]));
    history.push({ step: s.step, maxPhi });
  }
  return {
    particles: s.particles,
    steps: s.step,
    gradientEvaluations: 0,
    evaluations: ledger.evaluations,
    lastStepNorm: maxPhi,
    history,
    timeMs: performance.now() - t0,
    stopReason,
  };
}
