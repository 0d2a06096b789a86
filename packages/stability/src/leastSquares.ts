/**
 * Regularised least squares with an exact population risk (the notes' rate illustration):
 *
 *   f(w; x, y) = ½(⟨w, x⟩ − y)² + (λ/2)‖w − c‖²,   y = ⟨w₀, x⟩ + ε,
 *
 * x with independent symmetric coordinates of scales s_j (Rademacher or Gaussian), so
 * Σ = E[xxᵀ] = diag(s²); ε independent, mean 0, variance σ². Then
 *
 *   F(w)    = ½(w − w₀)ᵀΣ(w − w₀) + σ²/2 + (λ/2)‖w − c‖²,
 *   w*      = (Σ + λI)⁻¹(Σw₀ + λc),
 *   F(w) − F(w*) = ½(w − w*)ᵀ(Σ + λI)(w − w*)   (exact, no cancellation).
 *
 * With c = w₀ (the default, "centre at the truth") w* = w₀ and F(w*) = σ²/2, so the noise
 * variance alone sets the paper's quantity F(w*). With c = 0 the regulariser biases w* away
 * from w₀ and F(w*) stays Θ(λ) however small σ² is.
 * @module
 */
import {
  type Rng,
  ShapeError,
  ValueError,
  assertInteger,
  assertPositive,
  option,
  readVector,
  resolveOptions,
} from '@descent/tensor';
import { type Dataset, type RiskProblem, checkScalar, readRng, readWeights } from './problem';

/** Distribution of the coordinates of x (before scaling by `scales`). */
export type InputDistribution = 'rademacher' | 'gaussian';
/** Distribution of the label noise ε (scaled to variance σ²). */
export type NoiseDistribution = 'uniform' | 'gaussian' | 'rademacher';

/** Options of {@link LeastSquaresProblem}. */
export interface LeastSquaresOptions {
  /** Dimension d (default 5, the notes' illustration). */
  d?: number;
  /** Regularisation λ > 0 = strong convexity μ (default 0.1, the notes' illustration). */
  lambda?: number;
  /** Label-noise variance σ² ≥ 0 (default 0.25, the notes' "fixed noise"). */
  noiseVariance?: number;
  /** Label-noise distribution (default `'uniform'`, the notes' illustration). */
  noise?: NoiseDistribution;
  /** Coordinates of x (default `'rademacher'`, so E[xxᵀ] = I as in the notes). */
  inputs?: InputDistribution;
  /** Per-coordinate scales s_j > 0 of x, Σ = diag(s²) (default all 1). */
  scales?: ArrayLike<number>;
  /** The true weights w₀ (default (1, …, 1)/√d, unit norm). */
  truth?: ArrayLike<number>;
  /** Regularisation centre c: `'truth'` (= w₀, default), `'zero'`, or a vector. */
  center?: 'truth' | 'zero' | ArrayLike<number>;
}

const NOISES = ['uniform', 'gaussian', 'rademacher'] as const satisfies readonly NoiseDistribution[];
const INPUTS = ['rademacher', 'gaussian'] as const satisfies readonly InputDistribution[];

/**
 * Regularised least squares on ℝ^d with closed-form population quantities.
 *
 * ```ts
 * const p = new LeastSquaresProblem({ d: 5, lambda: 0.1, noiseVariance: 0.25 });
 * p.optimalRisk;                 // 0.125 = σ²/2
 * p.excessRisk(new Float64Array(5)); // ½(1 + λ)‖w₀‖² = 0.55
 * ```
 */
export class LeastSquaresProblem implements RiskProblem {
  readonly name = 'least squares';
  readonly d: number;
  readonly lambda: number;
  /** σ². */
  readonly noiseVariance: number;
  readonly noise: NoiseDistribution;
  readonly inputs: InputDistribution;
  /** s_j (Σ = diag(s²)). */
  readonly scales: Float64Array;
  /** w₀. */
  readonly truth: Float64Array;
  readonly center: Float64Array;
  readonly minimizer: Float64Array;
  readonly optimalRisk: number;
  readonly curvatureBound = 1;

  constructor(options: LeastSquaresOptions = {}) {
    const o = resolveOptions(
      options,
      {
        d: option.integer({ min: 1, default: 5 }),
        lambda: option.number({ gt: 0, default: 0.1 }),
        noiseVariance: option.number({ min: 0, default: 0.25 }),
        noise: option.oneOf(NOISES, { default: 'uniform' }),
        inputs: option.oneOf(INPUTS, { default: 'rademacher' }),
        scales: option.vector(),
        truth: option.vector(),
        center: option.custom((v, name) =>
          v === 'truth' || v === 'zero' ? v : readVector(v, name, { copy: true }),
        ),
      },
      { name: 'LeastSquaresProblem options' },
    );
    const { d, lambda } = o;
    this.d = d;
    this.lambda = lambda;
    this.noiseVariance = o.noiseVariance;
    this.noise = o.noise;
    this.inputs = o.inputs;
    this.scales = lengthD(o.scales, 'scales', d) ?? new Float64Array(d).fill(1);
    for (let j = 0; j < d; j++) {
      if (!(this.scales[j] > 0))
        throw new ValueError(`scales must be > 0, got ${this.scales[j]} at index ${j}`, 'scales');
    }
    this.truth = lengthD(o.truth, 'truth', d) ?? new Float64Array(d).fill(1 / Math.sqrt(d));
    const c = o.center ?? 'truth';
    if (c === 'truth') this.center = this.truth.slice();
    else if (c === 'zero') this.center = new Float64Array(d);
    else this.center = lengthD(c, 'center', d) as Float64Array;
    const s2 = this.scales.map((s) => s * s);
    this.minimizer = new Float64Array(d);
    for (let j = 0; j < d; j++) {
      // w* = w₀ + λ(c − w₀)/(s² + λ): exactly w₀ when c = w₀
      this.minimizer[j] = this.truth[j] + (lambda * (this.center[j] - this.truth[j])) / (s2[j] + lambda);
    }
    this.optimalRisk = this.populationRisk(this.minimizer);
  }

  phi(u: number, y: number): number {
    checkScalar(u, 'u');
    checkScalar(y, 'y');
    const r = u - y;
    return 0.5 * r * r;
  }

  dphi(u: number, y: number): number {
    checkScalar(u, 'u');
    checkScalar(y, 'y');
    return u - y;
  }

  d2phi(): number {
    return 1;
  }

  sample(n: number, rng: Rng): Dataset {
    assertInteger('n', n, 1);
    readRng(rng);
    const d = this.d;
    const X = new Float64Array(n * d);
    const y = new Float64Array(n);
    const s = this.scales;
    const w0 = this.truth;
    const sigma = Math.sqrt(this.noiseVariance);
    const halfWidth = Math.sqrt(3) * sigma; // U(−a, a) has variance a²/3
    const gaussianInputs = this.inputs === 'gaussian';
    for (let i = 0; i < n; i++) {
      const o = i * d;
      let u = 0;
      for (let j = 0; j < d; j++) {
        const z = gaussianInputs ? rng.normal() : rng.nextUint32() & 1 ? 1 : -1;
        const x = s[j] * z;
        X[o + j] = x;
        u += w0[j] * x;
      }
      let eps: number;
      if (this.noise === 'uniform') eps = halfWidth * (2 * rng.uniform() - 1);
      else if (this.noise === 'gaussian') eps = sigma * rng.normal();
      else eps = rng.nextUint32() & 1 ? sigma : -sigma;
      y[i] = u + eps;
    }
    return { n, d, X, y };
  }

  populationRisk(w: ArrayLike<number>): number {
    const v = readWeights(w, this.d);
    let fit = 0;
    let reg = 0;
    for (let j = 0; j < this.d; j++) {
      const a = v[j] - this.truth[j];
      const b = v[j] - this.center[j];
      fit += this.scales[j] * this.scales[j] * a * a;
      reg += b * b;
    }
    return 0.5 * (fit + this.noiseVariance) + 0.5 * this.lambda * reg;
  }

  populationGradient(w: ArrayLike<number>): Float64Array {
    const v = readWeights(w, this.d);
    const g = new Float64Array(this.d);
    for (let j = 0; j < this.d; j++) {
      g[j] = this.scales[j] * this.scales[j] * (v[j] - this.truth[j]) + this.lambda * (v[j] - this.center[j]);
    }
    return g;
  }

  excessRisk(w: ArrayLike<number>): number {
    const v = readWeights(w, this.d);
    let s = 0;
    for (let j = 0; j < this.d; j++) {
      const t = v[j] - this.minimizer[j];
      s += (this.scales[j] * this.scales[j] + this.lambda) * t * t;
    }
    return 0.5 * s;
  }

  /**
   * The first-order asymptotics of ERM's expected excess risk, tr(H⁻¹Σ_g)/(2n), with
   * H = Σ + λI and Σ_g = Cov ∇f(w*; z) the gradient noise at the optimum (exact fourth moments
   * of Rademacher or Gaussian inputs). The classical E[F(ŵ) − F(w*)] = tr(H⁻¹Σ_g)/(2n) + O(n⁻²):
   * Θ(1/n) unless Σ_g itself shrinks with n, which is the paper's F(w*) = O(1/n) condition.
   */
  asymptoticErmExcess(n: number): number {
    assertPositive('n', n);
    const d = this.d;
    const kurt = this.inputs === 'gaussian' ? 3 : 1; // E z⁴
    const v = this.minimizer.map((m, j) => m - this.truth[j]);
    let sv2 = 0; // Σ_b s_b² v_b²
    for (let b = 0; b < d; b++) sv2 += this.scales[b] ** 2 * v[b] ** 2;
    let tr = 0;
    for (let a = 0; a < d; a++) {
      const s2 = this.scales[a] ** 2;
      const a4 = s2 * s2 * v[a] * v[a];
      // E[x_a² (xᵀv)²] − (Σv)_a² + σ² s_a²
      const cov = kurt * a4 + s2 * (sv2 - s2 * v[a] * v[a]) - a4 + this.noiseVariance * s2;
      tr += cov / (s2 + this.lambda);
    }
    return tr / (2 * n);
  }
}

/** `v` if it has length d (ShapeError naming `name` otherwise); undefined stays undefined. */
function lengthD(v: Float64Array | undefined, name: string, d: number): Float64Array | undefined {
  if (v !== undefined && v.length !== d)
    throw new ShapeError(`${name} must have length d = ${d}, got length ${v.length}`, name);
  return v;
}
