/**
 * Radial kernels k(x, y) = φ(‖x − y‖²) on float64 matrices (rows = points): pairwise squared
 * distances, the RBF and IMQ kernels with their gradients, the SVGD driving terms, and the
 * median-heuristic bandwidth. Their tensor versions (`kernelMatrixTensor`, `svgdTermsTensor`,
 * `pairwiseSqDistancesTensor`) are in `@descent/tensor/tf`.
 *
 * Conventions: K[i][j] = k(X_i, Y_j). For a radial kernel ∇ₓk(x, y) = 2φ'(‖x−y‖²)(x − y).
 * @module
 */
import { ShapeError, ValueError, assertFiniteNumber, assertPositive, describe } from './errors';
import { Matrix, type MatrixLike } from './matrix';
import { readMatrix } from './input';
import { readOptions } from './options/read';
import { median } from './robustStats';

function sameCols(X: Matrix, Y: Matrix): void {
  if (X.cols !== Y.cols) throw new ShapeError(`Y must have ${X.cols} columns (like X), got ${Y.cols}`, 'Y');
}

/**
 * D[i][j] = ‖X_i − Y_j‖² in float64 (Y defaults to X; then D is exactly symmetric with a zero
 * diagonal). Direct differences, no cancellation.
 */
export function pairwiseSqDistances(X: MatrixLike, Y?: MatrixLike): Matrix {
  const A = readMatrix(X, 'X');
  const B = Y === undefined ? A : readMatrix(Y, 'Y');
  sameCols(A, B);
  const n = A.rows;
  const m = B.rows;
  const d = A.cols;
  const D = new Matrix(n, m);
  const a = A.data;
  const b = B.data;
  const sym = B === A;
  for (let i = 0; i < n; i++) {
    for (let j = sym ? i + 1 : 0; j < m; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) {
        const t = a[i * d + k] - b[j * d + k];
        s += t * t;
      }
      D.data[i * m + j] = s;
      if (sym) D.data[j * m + i] = s;
    }
  }
  return D;
}

/** The SVGD driving terms of a kernel at particles X (n × d). */
export interface SvgdTerms {
  /** K[i][j] = k(x_j, x_i) (symmetric for radial kernels). */
  K: Matrix;
  /** Repulsion R_i = Σ_j ∇_{x_j} k(x_j, x_i), an n × d matrix (rows sum to zero over i). */
  repulsion: Matrix;
}

/** A radial kernel k(x, y) = φ(‖x − y‖²). */
export interface Kernel {
  /** `'rbf'` or `'imq'`. */
  readonly kind: 'rbf' | 'imq';
  /** φ(s) at squared distance s. */
  phi(s: number): number;
  /** φ'(s). */
  dphi(s: number): number;
  /** k(x, y) for two points. */
  value(x: ArrayLike<number>, y: ArrayLike<number>): number;
  /** K[i][j] = k(X_i, Y_j) (Y defaults to X: symmetric PSD). */
  matrix(X: MatrixLike, Y?: MatrixLike): Matrix;
  /**
   * ∇ₓ k(x, y) summed against weights: G_i = Σ_j W_ij ∇_{x} k(X_i, Y_j) (W defaults to all ones),
   * an n × d matrix. With Y = X and W = 1, −G is the SVGD repulsion.
   */
  gradX(X: MatrixLike, Y?: MatrixLike, W?: MatrixLike): Matrix;
  /** ∇ₓ k(x, y) for one pair. */
  gradXPair(x: ArrayLike<number>, y: ArrayLike<number>): Float64Array;
  /** K and the repulsion R_i = Σ_j ∇_{x_j} k(x_j, x_i) at particles X (what SVGD and SV-CMA-ES need). */
  svgdTerms(X: MatrixLike): SvgdTerms;
}

function pairDist2(name: string, x: ArrayLike<number>, y: ArrayLike<number>): number {
  if (x == null || y == null || x.length !== y.length) {
    throw new ShapeError(`y must have the length of x (${x?.length}), got ${describe(y)}`, name);
  }
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i] - y[i]) ** 2;
  if (!Number.isFinite(s)) throw new ValueError('x and y must contain only finite numbers', 'x');
  return s;
}

/** Builds the {@link Kernel} methods from φ and φ'. */
function radialKernel(
  kind: 'rbf' | 'imq',
  phi: (s: number) => number,
  dphi: (s: number) => number,
  phiInPlace: (a: Float64Array) => void,
): Kernel {
  const kernel: Kernel = {
    kind,
    phi,
    dphi,
    value: (x, y) => phi(pairDist2('y', x, y)),
    gradXPair(x, y) {
      const c = 2 * dphi(pairDist2('y', x, y));
      const g = new Float64Array(x.length);
      for (let i = 0; i < g.length; i++) g[i] = c * (x[i] - y[i]);
      return g;
    },
    matrix(X, Y) {
      const D = pairwiseSqDistances(X, Y);
      phiInPlace(D.data);
      return D;
    },
    gradX(X, Y, W) {
      const A = readMatrix(X, 'X');
      const B = Y === undefined ? A : readMatrix(Y, 'Y');
      sameCols(A, B);
      const n = A.rows;
      const m = B.rows;
      const d = A.cols;
      let w: Float64Array | null = null;
      if (W !== undefined) {
        const Wm = readMatrix(W, 'W');
        if (Wm.rows !== n || Wm.cols !== m)
          throw new ShapeError(`W must be ${n}x${m}, got ${Wm.rows}x${Wm.cols}`, 'W');
        w = Wm.data;
      }
      const D = pairwiseSqDistances(A, B).data;
      const G = new Matrix(n, d);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < m; j++) {
          const c = 2 * dphi(D[i * m + j]) * (w ? w[i * m + j] : 1);
          if (c === 0) continue;
          for (let k = 0; k < d; k++) G.data[i * d + k] += c * (A.data[i * d + k] - B.data[j * d + k]);
        }
      }
      return G;
    },
    svgdTerms(X) {
      const A = readMatrix(X, 'X');
      const n = A.rows;
      const d = A.cols;
      const D = pairwiseSqDistances(A).data;
      const K = new Matrix(n, n, Float64Array.from(D));
      phiInPlace(K.data);
      const R = new Matrix(n, d);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          const s = D[i * n + j];
          // ∇_{x_j} k(x_j, x_i) = 2φ'(s)(x_j − x_i)
          const c = 2 * dphi(s);
          if (c === 0 || i === j) continue;
          for (let k = 0; k < d; k++) R.data[i * d + k] += c * (A.data[j * d + k] - A.data[i * d + k]);
        }
      }
      return { K, repulsion: R };
    },
  };
  return kernel;
}

/** Options of {@link rbf}. */
export interface RbfOptions {
  /** The bandwidth h > 0 in k = exp(−‖x−y‖²/(2h²)) (a length scale; see {@link medianHeuristic}). */
  bandwidth: number;
}

/**
 * The Gaussian (RBF) kernel k(x, y) = exp(−‖x − y‖²/(2h²)), h = `bandwidth` (the convention of
 * Liu & Wang's SVGD code and of Gretton et al.'s MMD). ∇ₓk(x, y) = −k(x, y)(x − y)/h².
 *
 * ```ts
 * const k = rbf({ bandwidth: medianHeuristic(X) }); const { K, repulsion } = k.svgdTerms(X);
 * ```
 */
export function rbf(options: RbfOptions): Kernel & { readonly bandwidth: number } {
  if (options == null) throw new ValueError('options.bandwidth is required, got undefined', 'bandwidth');
  const h = options.bandwidth;
  assertPositive('bandwidth', h);
  const inv = 1 / (2 * h * h);
  const k = radialKernel(
    'rbf',
    (s) => Math.exp(-s * inv),
    (s) => -inv * Math.exp(-s * inv),
    (a) => {
      for (let i = 0; i < a.length; i++) a[i] = Math.exp(-a[i] * inv);
    },
  );
  return Object.assign(k, { bandwidth: h });
}

/** Options of {@link imq}. */
export interface ImqOptions {
  /** c > 0 (default 1). */
  c?: number;
  /** β ∈ (−∞, 0) (default −1/2; Gorham & Mackey's Stein-discrepancy results need β ∈ (−1, 0)). */
  beta?: number;
}

/**
 * The inverse multiquadric kernel k(x, y) = (c² + ‖x − y‖²)^β (Gorham & Mackey 2017), defaults
 * c = 1, β = −1/2. ∇ₓk(x, y) = 2β(c² + ‖x−y‖²)^{β−1}(x − y).
 */
export function imq(options: ImqOptions = {}): Kernel & { readonly c: number; readonly beta: number } {
  const { c = 1, beta = -0.5 } = readOptions<ImqOptions>(options);
  assertPositive('c', c);
  assertFiniteNumber('beta', beta);
  if (beta >= 0) throw new ValueError(`beta must be < 0, got ${beta}`, 'beta');
  const c2 = c * c;
  const k = radialKernel(
    'imq',
    (s) => (c2 + s) ** beta,
    (s) => beta * (c2 + s) ** (beta - 1),
    (a) => {
      if (beta === -0.5) for (let i = 0; i < a.length; i++) a[i] = 1 / Math.sqrt(c2 + a[i]);
      else for (let i = 0; i < a.length; i++) a[i] = (c2 + a[i]) ** beta;
    },
  );
  return Object.assign(k, { c, beta });
}

/** Options of {@link medianHeuristic}. */
export interface MedianHeuristicOptions {
  /**
   * `'svgd'` (default): h² = ½·med(D²)/log(n + 1), so that k = exp(−‖x−y‖²·log(n+1)/med(D²)) as
   * in Liu & Wang's SVGD code (median over the full n × n matrix of squared distances, zero
   * diagonal included). `'median'`: h = median pairwise distance over i < j (Gretton et al.).
   */
  variant?: 'svgd' | 'median';
  /** Lower bound on the returned h (default 1e-6), so coincident particles give a usable kernel. */
  floor?: number;
}

/**
 * The median-heuristic RBF bandwidth h for points X (rows), in the convention of {@link rbf}
 * (k = exp(−‖x−y‖²/(2h²))). Needs n ≥ 2 rows; the result is at least `floor`.
 */
export function medianHeuristic(X: MatrixLike, options: MedianHeuristicOptions = {}): number {
  const { variant = 'svgd', floor = 1e-6 } = readOptions<MedianHeuristicOptions>(options);
  if (variant !== 'svgd' && variant !== 'median')
    throw new ValueError(`variant must be 'svgd' or 'median', got ${describe(variant)}`, 'variant');
  assertPositive('floor', floor);
  const A = readMatrix(X, 'X');
  const n = A.rows;
  if (n < 2) throw new ShapeError(`X must have at least 2 rows for the median heuristic, got ${n}`, 'X');
  const D = pairwiseSqDistances(A).data;
  let vals: Float64Array;
  if (variant === 'svgd') {
    vals = Float64Array.from(D);
  } else {
    vals = new Float64Array((n * (n - 1)) / 2);
    let t = 0;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) vals[t++] = D[i * n + j];
  }
  const med = median(vals);
  const h = variant === 'svgd' ? Math.sqrt((0.5 * med) / Math.log(n + 1)) : Math.sqrt(med);
  return Math.max(h, floor);
}

/**
 * The SVGD direction φ(x_i) = (1/n) Σ_j [k(x_j, x_i) ∇log p(x_j) + ∇_{x_j} k(x_j, x_i)]
 * (Liu & Wang 2016) for particles X and scores S_j = ∇log p(x_j) (both n × d).
 */
export function svgdDirection(kernel: Kernel, X: MatrixLike, scores: MatrixLike): Matrix {
  const A = readMatrix(X, 'X');
  const S = readMatrix(scores, 'scores');
  if (S.rows !== A.rows || S.cols !== A.cols)
    throw new ShapeError(`scores must be ${A.rows}x${A.cols} like X, got ${S.rows}x${S.cols}`, 'scores');
  const { K, repulsion } = kernel.svgdTerms(A);
  const n = A.rows;
  const d = A.cols;
  const out = new Matrix(n, d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const k = K.data[i * n + j];
      for (let c = 0; c < d; c++) out.data[i * d + c] += k * S.data[j * d + c];
    }
    for (let c = 0; c < d; c++) out.data[i * d + c] = (out.data[i * d + c] + repulsion.data[i * d + c]) / n;
  }
  return out;
}
