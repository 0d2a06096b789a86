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
import { median, quickselect } from './robustStats';
import { orderStatPair } from './orderStatPair';
import { KernelArena, rawCopyF64, withArena } from './blas/arena';
import { CROSSOVER } from './blas/crossovers';
import { gemm, pairDistancesUpper, rbfKernelSymResident } from './blas/kernels';
import { kernelModule } from './blas/wasmModule';

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
        if (Wm.rows !== n || Wm.cols !== m) throw new ShapeError(`W must be ${n}x${m}, got ${Wm.rows}x${Wm.cols}`, 'W');
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
  const vals = upperSqDistances(A.data, n, A.cols);
  const med = variant === 'svgd' ? fullMatrixMedian(vals, n) : median(vals);
  const h = variant === 'svgd' ? Math.sqrt((0.5 * med) / Math.log(n + 1)) : Math.sqrt(med);
  return Math.max(h, floor);
}

/**
 * ‖x_i − x_j‖² for i < j (row-major order of the strict upper triangle), direct differences; into
 * `out` when given. wasm (`pairDistancesUpper`) when `a` and `out` are resident in one arena or
 * the work is large enough to copy in.
 */
function upperSqDistances(a: Float64Array, n: number, d: number, out?: Float64Array): Float64Array {
  const np = (n * (n - 1)) / 2;
  if (out && pairDistancesUpper(n, d, a, out)) return out;
  if (!out && np * d >= CROSSOVER.gemvResident * 8 && kernelModule() !== null)
    return withArena((n * d + np) * 8 + 64, (arena) => {
      const xa = rawCopyF64(arena, a.subarray(0, n * d));
      const u = arena.f64(np);
      pairDistancesUpper(n, d, xa, u);
      return u.slice();
    });
  out ??= new Float64Array(np);
  let t = 0;
  for (let i = 0; i < n; i++) {
    const ai = i * d;
    for (let j = i + 1; j < n; j++) {
      const aj = j * d;
      let s = 0;
      for (let k = 0; k < d; k++) {
        const v = a[ai + k] - a[aj + k];
        s += v * v;
      }
      out[t++] = s;
    }
  }
  return out;
}

/**
 * The median of the full n×n matrix of squared distances (zero diagonal, each off-diagonal value
 * twice) from its strict upper triangle `u` (scratch, reordered): sorted, that matrix is n zeros
 * followed by the sorted u with every value doubled, so its order statistics are order statistics
 * of u (half the selection work). Same value and formula as `median` of the full matrix. `cand`
 * (length ≥ u.length) is scratch for {@link orderStatPair}.
 */
function fullMatrixMedian(u: Float64Array, n: number, cand?: Float64Array): number {
  const N = n * n;
  const pos = 0.5 * (N - 1);
  const lo = Math.floor(pos);
  const k1 = (lo - n) >> 1; // u-rank of the lower middle (when lo ≥ n)
  if (lo >= n && pos !== lo && (lo + 1 - n) >> 1 !== k1) {
    // the two middle values are the u-ranks k1 and k1 + 1
    const [vlo, vhi] = orderStatPair(u, k1, cand);
    if (vhi === vlo) return vlo;
    return vlo + 0.5 * (vhi - vlo);
  }
  const vlo = lo < n ? 0 : quickselect(u, k1);
  if (pos === lo) return vlo;
  let vhi: number; // rank lo + 1
  if (lo + 1 < n) vhi = 0;
  else if (lo < n) vhi = quickselect(u, 0);
  else vhi = vlo; // (lo + 1 − n) >> 1 === k1
  if (vhi === vlo) return vlo;
  return vlo + 0.5 * (vhi - vlo);
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
  const n = A.rows;
  const d = A.cols;
  const out = new Matrix(n, d);
  svgdDirectionArena(kernel, A.data, S.data, n, d, out.data);
  return out;
}

/**
 * The SVGD direction of {@link svgdDirection} for the RBF kernel with bandwidth h, where
 * `bandwidth: 'median'` is the median heuristic of {@link medianHeuristic} (SVGD variant, floor
 * 1e-6; h = 1 for a single particle) taken on the same pairwise distances (computed once).
 * Returns φ and the h used. For repeated calls at one size, {@link SvgdRbfWorkspace} gives the
 * same values without allocating.
 *
 * ```ts
 * const { direction, bandwidth } = svgdDirectionRbf(X, scores); // = svgdDirection(rbf({ bandwidth: medianHeuristic(X) }), X, scores)
 * ```
 */
export function svgdDirectionRbf(
  X: MatrixLike,
  scores: MatrixLike,
  bandwidth: number | 'median' = 'median',
): { direction: Matrix; bandwidth: number } {
  const A = readMatrix(X, 'X');
  const S = readMatrix(scores, 'scores');
  if (S.rows !== A.rows || S.cols !== A.cols)
    throw new ShapeError(`scores must be ${A.rows}x${A.cols} like X, got ${S.rows}x${S.cols}`, 'scores');
  if (bandwidth !== 'median') assertPositive('bandwidth', bandwidth);
  const n = A.rows;
  const d = A.cols;
  const out = new Matrix(n, d);
  const h = withArena(svgdArenaBytes(n, d), (arena) => {
    const w = svgdBuffers(arena, n, d);
    w.x.set(A.data.subarray(0, n * d));
    w.s.set(S.data.subarray(0, n * d));
    const bw = svgdRbfInto(w, bandwidth);
    out.data.set(w.out);
    return bw;
  });
  return { direction: out, bandwidth: h };
}

/**
 * Buffers for repeated SVGD directions with the RBF kernel on n particles in d dimensions
 * (a particle method's inner loop), allocated once in one kernel arena: write the particles
 * (n × d, row-major) into {@link SvgdRbfWorkspace.x} and the scores ∇log p(x_i) into
 * {@link SvgdRbfWorkspace.scores}, call {@link SvgdRbfWorkspace.direction}, read φ from
 * {@link SvgdRbfWorkspace.phi}. The values are those of {@link svgdDirectionRbf}, bit for bit,
 * with no allocation and no copy per call (the wasm kernels run on the arena's arrays in place).
 * No input checks per call: the caller keeps x and scores finite.
 *
 * ```ts
 * const ws = new SvgdRbfWorkspace(n, d);
 * ws.x.set(particles); ws.scores.set(gradients);
 * const h = ws.direction('median'); // φ in ws.phi
 * ```
 */
export class SvgdRbfWorkspace {
  /** Particles. */
  readonly n: number;
  /** Dimension. */
  readonly d: number;
  /** The particles x_i, n × d row-major (write them before {@link SvgdRbfWorkspace.direction}). */
  readonly x: Float64Array;
  /** The scores ∇log p(x_i), n × d row-major. */
  readonly scores: Float64Array;
  /** φ(x_i), n × d row-major, written by {@link SvgdRbfWorkspace.direction}. */
  readonly phi: Float64Array;
  private readonly w: SvgdBuffers;

  /** Buffers for n ≥ 1 particles in d ≥ 1 dimensions (ShapeError naming n or d otherwise). */
  constructor(n: number, d: number) {
    if (!Number.isInteger(n) || n < 1) throw new ShapeError(`n must be an integer ≥ 1, got ${describe(n)}`, 'n');
    if (!Number.isInteger(d) || d < 1) throw new ShapeError(`d must be an integer ≥ 1, got ${describe(d)}`, 'd');
    this.n = n;
    this.d = d;
    this.w = svgdBuffers(new KernelArena(svgdArenaBytes(n, d)), n, d);
    this.x = this.w.x;
    this.scores = this.w.s;
    this.phi = this.w.out;
  }

  /**
   * φ(x_i) = (1/n) Σ_j [k(x_j, x_i) ∇log p(x_j) + ∇_{x_j} k(x_j, x_i)] into
   * {@link SvgdRbfWorkspace.phi} for the RBF kernel with bandwidth h (`'median'`: the median
   * heuristic, as {@link svgdDirectionRbf}); returns the h used.
   */
  direction(bandwidth: number | 'median' = 'median'): number {
    if (bandwidth !== 'median') assertPositive('bandwidth', bandwidth);
    const w = this.w;
    w.mean.fill(0);
    w.rowC.fill(0);
    return svgdRbfInto(w, bandwidth);
  }
}

/**
 * φ = (1/n) [K S + Σ_j c_ij (x_j − x_i)] with c_ij = 2φ'(‖x_i − x_j‖²), as gemm-shaped products
 * on the particles centred at their mean x̄ (x_j − x_i = x̃_j − x̃_i, x̃ = x − x̄, so no cancellation
 * grows with |x̄|): with C the matrix of c_ij (zero diagonal), φ = (1/n)[K S + C X̃ − (C 1) ∘ X̃].
 * For the RBF kernel c_ij = −K_ij/h², so both products are one: K₀ (S − X̃/h²) with K₀ = K off the
 * diagonal (one exp per pair; {@link svgdRbfInto}). The n×n and n×d work arrays live in a kernel
 * arena (the products run in the wasm gemm there).
 */
interface SvgdBuffers {
  n: number;
  d: number;
  arena: KernelArena;
  /** particles, scores, φ (n × d) */
  x: Float64Array;
  s: Float64Array;
  out: Float64Array;
  /** squared distances of the pairs i < j, a scratch copy (the median) and selection scratch */
  u: Float64Array;
  uSel: Float64Array;
  cand: Float64Array;
  mean: Float64Array;
  xc: Float64Array;
  /** K off the diagonal (zero diagonal: never written) */
  K0: Float64Array;
  /** −Σ_j c_ij */
  rowC: Float64Array;
  /** (K₀ M)ᵀ, d × n */
  prod: Float64Array;
  M: Float64Array;
}

/** Allocates the buffers of one SVGD direction in `arena` (zero-filled). */
function svgdBuffers(arena: KernelArena, n: number, d: number): SvgdBuffers {
  const nd = n * d;
  const np = (n * (n - 1)) / 2;
  return {
    n,
    d,
    arena,
    x: arena.f64(nd),
    s: arena.f64(nd),
    out: arena.f64(nd),
    u: arena.f64(np),
    uSel: arena.f64(np),
    cand: arena.f64(np),
    mean: arena.f64(d),
    xc: arena.f64(nd),
    K0: arena.f64(n * n),
    rowC: arena.f64(n),
    prod: arena.f64(nd),
    M: arena.f64(nd),
  };
}

/** Arena bytes of {@link svgdBuffers} plus a general kernel's C (n × n). */
function svgdArenaBytes(n: number, d: number): number {
  const np = (n * (n - 1)) / 2;
  return (2 * n * n + 3 * np + 7 * n * d + d + n) * 8 + 16 * 16;
}

/** Centres the particles: mean ← x̄ (from zero), xc ← x − x̄. */
function centre(w: SvgdBuffers): void {
  const { n, d, x, mean, xc } = w;
  for (let i = 0; i < n; i++) for (let c = 0; c < d; c++) mean[c] += x[i * d + c];
  for (let c = 0; c < d; c++) mean[c] /= n;
  for (let i = 0; i < n; i++) for (let c = 0; c < d; c++) xc[i * d + c] = x[i * d + c] - mean[c];
}

/** out = (prod(:, i) + k00 s_i + rowC_i x̃_i) / n. */
function svgdFinish(w: SvgdBuffers, k00: number): void {
  const { n, d, s, out, rowC, prod, xc } = w;
  const inv = 1 / n;
  for (let i = 0; i < n; i++) {
    const ri = rowC[i];
    for (let c = 0; c < d; c++) {
      const o = i * d + c;
      out[o] = (prod[c * n + i] + k00 * s[o] + ri * xc[o]) * inv;
    }
  }
}

/**
 * The RBF direction from w.x and w.s into w.out (mean and rowC zero, K0's diagonal zero on entry);
 * returns h. `'median'`: h² = ½·med(D²)/log(n + 1) over the full matrix (floor 1e-6; h = 1 for
 * n = 1). M = S − X̃/h², out = (K₀ M + S + (K₀ 1) ∘ X̃/h²)/n.
 */
function svgdRbfInto(w: SvgdBuffers, bandwidth: number | 'median'): number {
  const { n, d, x, s, u, K0, rowC, prod, M, xc } = w;
  upperSqDistances(x, n, d, u);
  let h: number;
  if (bandwidth !== 'median') h = bandwidth;
  else if (n < 2) h = 1;
  else {
    w.uSel.set(u);
    const med = fullMatrixMedian(w.uSel, n, w.cand);
    h = Math.max(Math.sqrt((0.5 * med) / Math.log(n + 1)), 1e-6);
  }
  centre(w);
  const nd = n * d;
  const inv = 1 / (2 * h ** 2);
  const twoInv = 2 * inv;
  if (!rbfKernelSymResident(n, u, inv, K0, rowC)) {
    let t = 0;
    for (let i = 0; i < n; i++) {
      const ri = i * n;
      let r = rowC[i];
      for (let j = i + 1; j < n; j++) {
        const k = Math.exp(-u[t++] * inv);
        K0[ri + j] = k;
        K0[j * n + i] = k;
        r += k;
        rowC[j] += k;
      }
      rowC[i] = r;
    }
  }
  for (let i = 0; i < n; i++) rowC[i] *= twoInv;
  // M = S − 2inv·X̃ ;  out = K₀ M + φ(0) S + 2inv (K₀ 1) ∘ X̃  (φ(0) = exp(0) = 1)
  for (let i = 0; i < nd; i++) M[i] = s[i] - twoInv * xc[i];
  // (K₀ M)ᵀ = Mᵀ K₀ (K₀ symmetric): the wide operand packs as B, which the gemm does fastest
  gemm(true, false, d, n, n, 1, M, d, K0, n, 0, prod, n);
  svgdFinish(w, 1);
  return h;
}

/** The direction for any radial kernel (two products: K₀ S and C X̃), w freshly allocated. */
function svgdGeneralInto(kernel: Kernel, w: SvgdBuffers): void {
  const { n, d, x, s, u, K0, rowC, prod, xc } = w;
  upperSqDistances(x, n, d, u);
  centre(w);
  const C = w.arena.f64(n * n);
  let t = 0;
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) {
      const v = u[t++];
      const k = kernel.phi(v);
      const c = 2 * kernel.dphi(v);
      K0[i * n + j] = k;
      K0[j * n + i] = k;
      C[i * n + j] = c;
      C[j * n + i] = c;
      rowC[i] -= c;
      rowC[j] -= c;
    }
  gemm(true, false, d, n, n, 1, s, d, K0, n, 0, prod, n);
  gemm(true, false, d, n, n, 1, xc, d, C, n, 1, prod, n);
  svgdFinish(w, kernel.phi(0));
}

/** Runs the SVGD direction with x and s copied into a pooled arena (RBF kernels: one product). */
function svgdDirectionArena(
  kernel: Kernel,
  x: Float64Array,
  s: Float64Array,
  n: number,
  d: number,
  out: Float64Array,
): void {
  withArena(svgdArenaBytes(n, d), (arena) => {
    const w = svgdBuffers(arena, n, d);
    w.x.set(x.subarray(0, n * d));
    w.s.set(s.subarray(0, n * d));
    const bw = kernel.kind === 'rbf' ? (kernel as { bandwidth?: unknown }).bandwidth : undefined;
    if (typeof bw === 'number') svgdRbfInto(w, bw);
    else svgdGeneralInto(kernel, w);
    out.set(w.out);
  });
}
