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
import { Matrix, ValueError, assertPositive, rbf } from '@descent/tensor';
import { checkTell } from './fitness';
import { type RBFKernel, resolveBandwidth } from './kernel';
import { type ParticleResult, type ParticleStep, checkParticles, particleStepper } from './svgd';
import type { BatchObjective } from './evaluate';
import { evaluateBatch } from './evaluate';

/** A surrogate density ρ: log ρ and its gradient. */
export interface Surrogate {
  logDensity(x: Float64Array): number;
  gradLogDensity(x: Float64Array): ArrayLike<number>;
}

/** Options of {@link GFSVGD}. */
export interface GFSVGDOptions {
  /** Step size ε (default 1e-3, as SVGD's reference code). */
  stepSize?: number;
  /** Step rule (default `'adagrad'`, see {@link svgd}). */
  step?: ParticleStep;
  /** RBF kernel of the update (default `{ std: 'median' }`). */
  kernel?: RBFKernel;
  /** `'kde'` (default) or a user surrogate ρ. */
  surrogate?: 'kde' | Surrogate;
  /** KDE bandwidth as a multiple of the kernel bandwidth h (default 1). */
  kdeScale?: number;
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
  xs: Float64Array[],
  negLogP: ArrayLike<number>,
  options: Pick<GFSVGDOptions, 'kernel' | 'surrogate' | 'kdeScale'> = {},
): GfSvgdStep {
  const n = xs.length;
  const d = xs[0].length;
  const h = resolveBandwidth(options.kernel ?? { std: 'median' }, xs);
  const surrogate = options.surrogate ?? 'kde';
  let logRho: Float64Array;
  let S: Float64Array[];
  if (surrogate === 'kde') {
    const kdeScale = options.kdeScale ?? 1;
    assertPositive('kdeScale', kdeScale);
    ({ logRho, scores: S } = kdeAt(xs, kdeScale * h));
  } else {
    if (typeof surrogate.logDensity !== 'function' || typeof surrogate.gradLogDensity !== 'function') {
      throw new ValueError("surrogate must be 'kde' or {logDensity, gradLogDensity}", 'surrogate');
    }
    logRho = Float64Array.from(xs, (x) => surrogate.logDensity(x));
    S = xs.map((x) => Float64Array.from(surrogate.gradLogDensity(x)));
  }
  // log w_j = log ρ(x_j) + U(x_j), normalised with log-sum-exp
  const lw = new Float64Array(n);
  let mx = -Infinity;
  for (let j = 0; j < n; j++) {
    const u = negLogP[j];
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
  const X = Matrix.of(xs);
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

/** Serialised {@link GFSVGD}. */
export interface GFSVGDJSON {
  options: Omit<GFSVGDOptions, 'step' | 'surrogate'> & { step?: 'adagrad' | 'plain'; surrogate?: 'kde' };
  particles: number[][];
  stepState: unknown;
  evaluations: number;
  iteration: number;
  nonFiniteEvaluations: number;
}

/**
 * GF-SVGD with ask/tell: `ask()` returns the n particles, `tell(xs, U)` takes U = −log p̃ at them.
 *
 * ```ts
 * const s = new GFSVGD(x0, { stepSize: 0.05 });
 * for (let t = 0; t < 500; t++) { const xs = s.ask(); s.tell(xs, xs.map(negLogP)); }
 * ```
 */
export class GFSVGD {
  /** Density evaluations told so far (n per iteration). */
  evaluations = 0;
  /** Iterations done. */
  iteration = 0;
  /** Told values that were NaN/±Inf (weight 0). */
  nonFiniteEvaluations = 0;
  private readonly xs: Float64Array[];
  private readonly opt: ReturnType<typeof particleStepper>;
  private state: unknown;
  private readonly options: GFSVGDOptions;

  constructor(x0: ArrayLike<ArrayLike<number>>, options: GFSVGDOptions = {}) {
    this.xs = checkParticles(x0);
    const stepSize = options.stepSize ?? 1e-3;
    assertPositive('stepSize', stepSize);
    if (options.kdeScale !== undefined) assertPositive('kdeScale', options.kdeScale);
    resolveBandwidth(options.kernel ?? { std: 'median' }, this.xs);
    this.opt = particleStepper(options.step ?? 'adagrad', stepSize);
    this.state = this.opt.init(new Float64Array(this.xs.length * this.xs[0].length));
    this.options = options;
  }

  /** The current particles (copies). */
  get particles(): Float64Array[] {
    return this.xs.map((x) => x.slice());
  }

  /** The full state as plain JSON (a custom `step` transformation or surrogate must be passed again). */
  toJSON(): GFSVGDJSON {
    const { step, surrogate, ...rest } = this.options;
    return {
      options: {
        ...rest,
        step: typeof step === 'string' ? step : undefined,
        surrogate: surrogate === 'kde' || surrogate === undefined ? 'kde' : undefined,
      },
      particles: this.xs.map((x) => Array.from(x)),
      stepState: JSON.parse(JSON.stringify(this.state)),
      evaluations: this.evaluations,
      iteration: this.iteration,
      nonFiniteEvaluations: this.nonFiniteEvaluations,
    };
  }

  /** Restores a sampler saved with {@link GFSVGD.toJSON}. */
  static fromJSON(json: GFSVGDJSON, extra: Pick<GFSVGDOptions, 'step' | 'surrogate'> = {}): GFSVGD {
    const s = new GFSVGD(json.particles, {
      ...json.options,
      step: extra.step ?? json.options.step,
      surrogate: extra.surrogate ?? json.options.surrogate,
    });
    s.state = json.stepState;
    s.evaluations = json.evaluations;
    s.iteration = json.iteration;
    s.nonFiniteEvaluations = json.nonFiniteEvaluations;
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
    const raw = Float64Array.from(negLogP as ArrayLike<number>);
    checkTell(xs, raw, n, d);
    let bad = 0;
    for (let j = 0; j < n; j++) if (!Number.isFinite(raw[j])) bad++;
    const step = gfSvgdDirection(this.xs, raw, this.options);
    const r = this.opt.update(step.phi.data, this.state);
    this.state = r.state;
    for (let i = 0; i < n; i++) for (let c = 0; c < d; c++) this.xs[i][c] += r.updates[i * d + c];
    this.evaluations += n;
    this.nonFiniteEvaluations += bad;
    this.iteration++;
    return step;
  }
}

/** Options of {@link gfSvgd}. */
export interface GfSvgdRunOptions extends GFSVGDOptions {
  /** Iterations (default 1000). */
  iterations?: number;
  /** Stop after this many density evaluations (default Infinity). */
  maxEvals?: number;
}

/** Runs GF-SVGD for a batch negative log-density (sync or async) and returns the particles. */
export async function gfSvgd(
  negLogP: BatchObjective,
  x0: ArrayLike<ArrayLike<number>>,
  options: GfSvgdRunOptions = {},
): Promise<ParticleResult> {
  const t0 = performance.now();
  const s = new GFSVGD(x0, options);
  const iterations = options.iterations ?? 1000;
  const maxEvals = options.maxEvals ?? Infinity;
  const history: ParticleResult['history'] = [];
  let maxPhi = Infinity;
  while (s.iteration < iterations && s.evaluations + x0.length <= maxEvals) {
    const xs = s.ask();
    const { values } = await evaluateBatch(negLogP, xs);
    const step = s.tell(xs, values);
    maxPhi = 0;
    for (let k = 0; k < step.phi.data.length; k++) maxPhi = Math.max(maxPhi, Math.abs(step.phi.data[k]));
  }
  return {
    particles: s.particles,
    iterations: s.iteration,
    gradientEvaluations: 0,
    evaluations: s.evaluations,
    lastStepNorm: maxPhi,
    history,
    timeMs: performance.now() - t0,
  };
}
