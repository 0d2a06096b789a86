/**
 * Orthogonal multi-index targets f*(x) = Σ_{k=1}^P φ(v_k*·x), x ~ N(0, I_d), with orthonormal
 * directions V* = [v_1* … v_P*] ∈ R^{d×P} and a link φ given by its Hermite expansion
 * (Ren & Lee 2024, arXiv 2410.09678: φ = φ̂₂h₂ + φ̂_{2L}h_{2L}; default h₂ + h₄).
 * @module
 */
import {
  hermiteNetworkForward,
  Matrix,
  type MatrixLike,
  Rng,
  ShapeError,
  ValueError,
  assertInteger,
  type Seed,
  describe,
  randomOrthonormal,
  readInteger,
  readNumber,
  readSeed,
  readMatrix,
  type MatrixInput,
} from '@descent/tensor';
import { type HermiteCoeffs, HermiteSeries, evalSeries } from './hermiteSeries';

/** Options of {@link MultiIndexTarget}. */
export interface MultiIndexTargetOptions {
  /** Ambient dimension d ≥ 1. */
  d: number;
  /** Number of directions P, 1 ≤ P ≤ d. */
  P: number;
  /**
   * The link φ: Hermite coefficients (`{ 2: 1, 4: 1 }`, the default h₂ + h₄), a {@link HermiteSeries},
   * or a function of one variable (its Hermite series up to `linkDegree` is then computed by
   * quadrature and used for the closed forms; samples use the function itself).
   */
  link?: HermiteCoeffs | HermiteSeries | ((z: number) => number);
  /** Truncation degree for a function link (default 12). */
  linkDegree?: number;
  /** Directions as a d×P matrix with orthonormal columns; random (QR of a Gaussian matrix) when omitted. */
  directions?: MatrixLike;
  /** Standard deviation of additive Gaussian label noise (default 0: the paper's noiseless setting). */
  noiseStd?: number;
  /** Seed of the random directions (default 0): a number or a string. */
  seed?: Seed;
}

/** A batch of samples: `X` is n×d (one sample per row), `y` the n labels. */
export interface Sample {
  X: Matrix;
  y: Float64Array;
}

/**
 * An orthogonal multi-index target.
 *
 * ```ts
 * const target = new MultiIndexTarget({ d: 32, P: 4, link: { 2: 1, 4: 1 }, seed: 1 });
 * const { X, y } = target.sample(1000, new Rng(7));
 * target.variance(); // = P (φ̂₂² + φ̂₄²) = 8
 * ```
 */
export class MultiIndexTarget {
  /** Ambient dimension. */
  readonly d: number;
  /** Number of directions. */
  readonly P: number;
  /** Hermite expansion of the link (exact for coefficient links, truncated for function links). */
  readonly link: HermiteSeries;
  /** d×P matrix with orthonormal columns v_k*. */
  readonly directions: Matrix;
  /** Label-noise standard deviation. */
  readonly noiseStd: number;
  /** The link as a function when given as one. */
  private readonly linkFn: ((z: number) => number) | undefined;
  /** Directions stored row-wise (P×d) for fast projections. */
  private readonly vRows: Float64Array;

  constructor(options: MultiIndexTargetOptions) {
    if (options == null || typeof options !== 'object') {
      throw new ValueError(`options must be an object, got ${describe(options)}`, 'options');
    }
    const { link = { 2: 1, 4: 1 }, directions } = options;
    const d = readInteger(options.d, 'd', { min: 1 });
    const P = readInteger(options.P, 'P', { min: 1 });
    if (P > d) throw new ValueError(`P must be <= d = ${d} (orthonormal directions), got ${P}`, 'P');
    const noiseStd = readNumber(options.noiseStd ?? 0, 'noiseStd', { min: 0 });
    const linkDegree = readInteger(options.linkDegree ?? 12, 'linkDegree', { min: 0 });
    const seed = readSeed(options.seed ?? 0);
    this.d = d;
    this.P = P;
    this.noiseStd = noiseStd;
    if (typeof link === 'function') {
      this.linkFn = link;
      this.link = HermiteSeries.fromFunction(link, linkDegree);
    } else {
      this.link = HermiteSeries.of(link, 'link');
    }
    if (directions === undefined) {
      this.directions = randomOrthonormal(d, P, new Rng(seed).fold('directions'));
    } else {
      const V = Matrix.of(directions, 'directions');
      if (V.rows !== d || V.cols !== P) {
        throw new ShapeError(`directions must be ${d}×${P} (d×P), got ${V.rows}×${V.cols}`, 'directions');
      }
      assertOrthonormalColumns(V, 'directions');
      this.directions = V.clone();
    }
    this.vRows = this.directions.transpose().data;
    if (!this.linkFn) SERIES_TEACHERS.set(this, this.vRows);
  }

  /** φ(z) (the function link if given, else the Hermite series). */
  linkValue(z: number): number {
    readNumber(z, 'z');
    return this.linkFn ? this.linkFn(z) : evalSeries(this.link.coeffs, z);
  }

  /** The noiseless label f*(x) = Σ_k φ(v_k*·x) of one input of length d. */
  evaluate(x: ArrayLike<number>): number {
    if (x == null || x.length !== this.d) {
      throw new ShapeError(`x must have length d = ${this.d}, got ${describe(x)}`, 'x');
    }
    return this.evaluateRow(x, 0);
  }

  /** f*(X[i]) for every row of an n×d row-major buffer, into `out` (noiseless). */
  evaluateRows(X: Float64Array, n: number, out: Float64Array = new Float64Array(n)): Float64Array {
    // series links: @descent/tensor's fused forward kernel (wasm SIMD), Σ_k φ(v_k·x) per row
    if (!this.linkFn) return hermiteNetworkForward(this.vRows, this.P, this.d, X, n, this.link.coeffs, out);
    for (let i = 0; i < n; i++) out[i] = this.evaluateRow(X, i * this.d);
    return out;
  }

  private evaluateRow(x: ArrayLike<number>, offset: number): number {
    const { d, P, vRows } = this;
    let y = 0;
    for (let k = 0; k < P; k++) {
      let z = 0;
      const o = k * d;
      for (let j = 0; j < d; j++) z += vRows[o + j] * x[offset + j];
      y += this.linkValue(z);
    }
    return y;
  }

  /**
   * n fresh samples: x ~ N(0, I_d) and y = f*(x) + noiseStd·ε, all drawn from `rng`
   * (inputs first, then noise).
   */
  sample(n: number, rng: Rng): Sample {
    assertInteger('n', n, 0);
    if (!(rng instanceof Rng)) throw new ValueError(`rng must be an Rng, got ${describe(rng)}`, 'rng');
    const data = rng.normalArray(n * this.d);
    const y = this.evaluateRows(data, n);
    if (this.noiseStd > 0) for (let i = 0; i < n; i++) y[i] += this.noiseStd * rng.normal();
    return { X: new Matrix(n, this.d, data), y };
  }

  /** E[y] = P·φ̂₀ (0 for the paper's links). */
  mean(): number {
    return this.P * this.link.coeff(0);
  }

  /** Var(y) = P Σ_{j≥1} φ̂_j² + noiseStd² (exact for orthonormal directions). */
  variance(): number {
    return this.P * (this.link.squaredNorm() - this.link.coeff(0) ** 2) + this.noiseStd ** 2;
  }
}

/** Directions (P×d rows) of the targets whose link is a Hermite series (package-internal). */
const SERIES_TEACHERS = new WeakMap<MultiIndexTarget, Float64Array>();

/**
 * The P×d direction rows of a target whose labels are Σ_k φ(v_k·x) with φ its Hermite series
 * (no function link), or undefined: what the learner's fused step needs (package-internal, not
 * exported from the package).
 */
export function seriesTeacherRows(target: MultiIndexTarget): Float64Array | undefined {
  return SERIES_TEACHERS.get(target);
}

/** Throws {@link ValueError} unless VᵀV = I to `tol` (default 1e-8). */
export function assertOrthonormalColumns(V: MatrixInput, name: string, tol = 1e-8): void {
  if (typeof name !== 'string') throw new ValueError(`name must be a string, got ${describe(name)}`, 'name');
  readNumber(tol, 'tol', { min: 0 });
  const { rows, cols, data } = readMatrix(V, name);
  for (let a = 0; a < cols; a++) {
    for (let b = a; b < cols; b++) {
      let s = 0;
      for (let i = 0; i < rows; i++) s += data[i * cols + a] * data[i * cols + b];
      const target = a === b ? 1 : 0;
      if (!(Math.abs(s - target) <= tol)) {
        throw new ValueError(
          `${name} must have orthonormal columns (VᵀV = I), got (VᵀV)[${a}][${b}] = ${describe(s)}`,
          name,
        );
      }
    }
  }
}
