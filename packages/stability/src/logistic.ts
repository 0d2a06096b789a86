/**
 * Regularised logistic regression on a symmetric Gaussian mixture, with an accurate population
 * risk:
 *
 *   y ~ Unif{−1, +1},   x = y·m + ξ,  ξ ~ N(0, I_d),  ‖m‖ = r (the separation),
 *   f(w; x, y) = log(1 + e^{−y⟨w, x⟩}) + (λ/2)‖w − c‖².
 *
 * The model is well specified: P(y = 1 | x) = σ(⟨2m, x⟩), so the unregularised population
 * minimiser is w₀ = 2m. Given y, t = y⟨w, x⟩ = ⟨w, m⟩ + ⟨w, yξ⟩ ~ N(⟨w, m⟩, ‖w‖²), so
 *
 *   F(w)  = E_{t ~ N(⟨w,m⟩, ‖w‖²)} softplus(−t) + (λ/2)‖w − c‖²,
 *   ∇F(w) = −E[σ(−t)]·m + E[σ(t)σ(−t)]·w + λ(w − c)        (Stein's lemma),
 *
 * one-dimensional Gaussian expectations computed by {@link normalExpectation} to ~1e-16
 * relative. With c = w₀ (default) w* = w₀ and F(w*) is the mixture's Bayes-calibrated log-loss,
 * which falls like e^{−r²/2}: growing r with n is how the experiments reach F(w*) = O(1/n).
 * With c = 0, w* = α*·m with α* found by bisection on the directional derivative.
 * @module
 */
import {
  type Rng,
  ShapeError,
  ValueError,
  assertInteger,
  assertPositive,
  option,
  resolveOptions,
} from '@descent/tensor';
import { normalExpectation } from './normalExpectation';
import { type Dataset, type RiskProblem, checkScalar, readRng, readWeights } from './problem';

/** Options of {@link LogisticProblem}. */
export interface LogisticOptions {
  /** Dimension d (default 5). */
  d?: number;
  /** Regularisation λ > 0 = strong convexity μ (default 0.1). */
  lambda?: number;
  /** Separation r = ‖m‖ ≥ 0 of the class means ±m (default 1). */
  separation?: number;
  /** Direction of m (normalised; default e₁). */
  direction?: ArrayLike<number>;
  /** Regularisation centre: `'truth'` (c = w₀ = 2m, default) or `'zero'`. */
  center?: 'truth' | 'zero';
}

/** softplus(z) = log(1 + eᶻ), without overflow or cancellation; `z` must be finite. */
export function softplus(z: number): number {
  checkScalar(z, 'z');
  return softplusOf(z);
}

/** The logistic function σ(z) = 1/(1 + e^{−z}), without overflow; `z` must be finite. */
export function sigmoid(z: number): number {
  checkScalar(z, 'z');
  return sigmoidOf(z);
}

function softplusOf(z: number): number {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
}

function sigmoidOf(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

const lossOfMargin = (t: number) => softplusOf(-t);
const sigmaOfNegMargin = (t: number) => sigmoidOf(-t);
const curvatureOfMargin = (t: number) => sigmoidOf(t) * sigmoidOf(-t);

/**
 * Logistic regression on ±m + N(0, I) with quadrature-exact population quantities.
 *
 * ```ts
 * const p = new LogisticProblem({ separation: 2 });
 * p.minimizer;    // 2m = [4, 0, 0, 0, 0]
 * p.optimalRisk;  // ≈ 0.0604: E softplus(−t), t ~ N(8, 16)
 * ```
 */
export class LogisticProblem implements RiskProblem {
  readonly name = 'logistic';
  readonly d: number;
  readonly lambda: number;
  /** r = ‖m‖. */
  readonly separation: number;
  /** The class mean m (x = y·m + ξ). */
  readonly mean: Float64Array;
  /** w₀ = 2m, the Bayes log-odds direction. */
  readonly truth: Float64Array;
  readonly center: Float64Array;
  readonly minimizer: Float64Array;
  readonly optimalRisk: number;
  readonly curvatureBound = 0.25;

  constructor(options: LogisticOptions = {}) {
    const { d, lambda, separation, center, direction } = resolveOptions(
      options,
      {
        d: option.integer({ min: 1, default: 5 }),
        lambda: option.number({ gt: 0, default: 0.1 }),
        separation: option.number({ min: 0, default: 1 }),
        direction: option.vector(),
        center: option.oneOf(['truth', 'zero'], { default: 'truth' }),
      },
      { name: 'LogisticProblem options' },
    );
    this.d = d;
    this.lambda = lambda;
    this.separation = separation;
    if (direction !== undefined && direction.length !== d) {
      throw new ShapeError(
        `direction must have length d = ${d}, got length ${direction.length}`,
        'direction',
      );
    }
    const u = direction ?? unit(d);
    let nu = 0;
    for (let j = 0; j < d; j++) nu += u[j] * u[j];
    if (!(nu > 0)) throw new ValueError('direction must be non-zero', 'direction');
    nu = Math.sqrt(nu);
    this.mean = u.map((v) => (separation * v) / nu);
    this.truth = this.mean.map((v) => 2 * v);
    this.center = center === 'truth' ? this.truth.slice() : new Float64Array(d);
    this.minimizer =
      center === 'truth' ? this.truth.slice() : this.mean.map((v) => this.zeroCenterAlpha() * v);
    this.optimalRisk = this.populationRisk(this.minimizer);
  }

  /**
   * The separation r at which the Bayes-calibrated risk E softplus(−t), t ~ N(2r², 4r²)
   * (= F(w*) with the default centre) equals `target` ∈ (0, log 2). Bisection to 1e-13.
   */
  static separationForOptimalRisk(target: number): number {
    assertPositive('target', target);
    if (!(target < Math.LN2))
      throw new ValueError(`target must be < log 2 (the risk at r = 0), got ${target}`, 'target');
    const risk = (r: number) => normalExpectation(lossOfMargin, 2 * r * r, 2 * r);
    let lo = 0;
    let hi = 1;
    while (risk(hi) > target) hi *= 2;
    for (let it = 0; it < 200 && hi - lo > 1e-13 * hi; it++) {
      const mid = 0.5 * (lo + hi);
      if (risk(mid) > target) lo = mid;
      else hi = mid;
    }
    return 0.5 * (lo + hi);
  }

  phi(u: number, y: number): number {
    checkScalar(u, 'u');
    checkScalar(y, 'y');
    return softplusOf(-y * u);
  }

  dphi(u: number, y: number): number {
    checkScalar(u, 'u');
    checkScalar(y, 'y');
    return -y * sigmoidOf(-y * u);
  }

  d2phi(u: number): number {
    checkScalar(u, 'u');
    return sigmoidOf(u) * sigmoidOf(-u);
  }

  sample(n: number, rng: Rng): Dataset {
    assertInteger('n', n, 1);
    readRng(rng);
    const d = this.d;
    const X = new Float64Array(n * d);
    const y = new Float64Array(n);
    const m = this.mean;
    for (let i = 0; i < n; i++) {
      const label = rng.nextUint32() & 1 ? 1 : -1;
      y[i] = label;
      for (let j = 0; j < d; j++) X[i * d + j] = label * m[j] + rng.normal();
    }
    return { n, d, X, y };
  }

  /** E softplus(−t) at w: the unregularised population log-loss. */
  private lossPart(w: Float64Array): number {
    const [a, s] = this.marginMoments(w);
    return normalExpectation(lossOfMargin, a, s);
  }

  /** Mean ⟨w, m⟩ and standard deviation ‖w‖ of the margin t = y⟨w, x⟩. */
  private marginMoments(w: Float64Array): [number, number] {
    let a = 0;
    let s = 0;
    for (let j = 0; j < this.d; j++) {
      a += w[j] * this.mean[j];
      s += w[j] * w[j];
    }
    return [a, Math.sqrt(s)];
  }

  populationRisk(w: ArrayLike<number>): number {
    const v = readWeights(w, this.d);
    let reg = 0;
    for (let j = 0; j < this.d; j++) reg += (v[j] - this.center[j]) ** 2;
    return this.lossPart(v) + 0.5 * this.lambda * reg;
  }

  populationGradient(w: ArrayLike<number>): Float64Array {
    const v = readWeights(w, this.d);
    const [a, s] = this.marginMoments(v);
    const e1 = normalExpectation(sigmaOfNegMargin, a, s);
    const e2 = normalExpectation(curvatureOfMargin, a, s);
    return v.map((vj, j) => -e1 * this.mean[j] + e2 * vj + this.lambda * (vj - this.center[j]));
  }

  /**
   * F(w) − F(w*): the log-loss parts by quadrature (each ~1e-16 relative) and the regulariser
   * difference in the factored form (λ/2)(w − w*)ᵀ(w + w* − 2c).
   */
  excessRisk(w: ArrayLike<number>): number {
    const v = readWeights(w, this.d);
    let reg = 0;
    for (let j = 0; j < this.d; j++) {
      reg += (v[j] - this.minimizer[j]) * (v[j] + this.minimizer[j] - 2 * this.center[j]);
    }
    const diff = this.lossPart(v) - this.lossPart(this.minimizer) + 0.5 * this.lambda * reg;
    return Math.max(0, diff);
  }

  /** α* with w* = α*·m when c = 0: the root of α ↦ ⟨∇F(αm), m⟩ in (0, 2). */
  private zeroCenterAlpha(): number {
    const r2 = this.separation * this.separation;
    if (r2 === 0) return 0;
    const slope = (alpha: number) => {
      const a = alpha * r2;
      const s = alpha * this.separation;
      return (
        -normalExpectation(sigmaOfNegMargin, a, s) +
        alpha * normalExpectation(curvatureOfMargin, a, s) +
        this.lambda * alpha
      );
    };
    let lo = 0;
    let hi = 2;
    for (let it = 0; it < 200 && hi - lo > 1e-15; it++) {
      const mid = 0.5 * (lo + hi);
      if (slope(mid) < 0) lo = mid;
      else hi = mid;
    }
    return 0.5 * (lo + hi);
  }
}

function unit(d: number): Float64Array {
  const u = new Float64Array(d);
  u[0] = 1;
  return u;
}
