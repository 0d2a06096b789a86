/**
 * Randomised range finding: a truncated SVD by randomised subspace iteration (Halko, Martinsson
 * & Tropp 2011, "Finding structure with randomness", Algorithms 4.4 + 5.1) and Haar-random
 * orthonormal frames (Mezzadri 2007).
 * @module
 */
import { assertInteger, describe, ShapeError, ValueError } from '../errors';
import { Matrix, type MatrixLike } from '../matrix';
import { option, resolveOptions } from '../options';
import { Rng } from '../rng';
import { readMatrix } from './internal';
import { matmulInto } from './products';
import { qr } from './qr';
import { svd } from './svd';

/** An m×n linear operator known only by its products with vectors. */
export interface LinearOperator {
  rows: number;
  cols: number;
  /** `A x` for x of length `cols` (returns length `rows`). */
  matvec(x: Float64Array): ArrayLike<number>;
  /** `Aᵀ y` for y of length `rows` (returns length `cols`). */
  rmatvec(y: Float64Array): ArrayLike<number>;
}

/** Options of {@link randomizedSvd}. */
export interface RandomizedSvdOptions {
  /** Extra sketch columns p; the sketch has `k + p` columns (default 10, Halko et al. §4.2). */
  oversample?: number;
  /** Power (subspace) iterations q, each re-orthonormalised by QR (default 2; Halko et al. §4.5). */
  powerIters?: number;
  /** Source of the Gaussian test matrix (default `new Rng(0)`). */
  rng?: Rng;
}

const RANDOMIZED_SVD_OPTIONS = {
  oversample: option.integer({ min: 0, max: 1e6, default: 10 }),
  powerIters: option.integer({ min: 0, max: 1e6, default: 2 }),
  rng: option.custom((v, name) => {
    if (!(v instanceof Rng)) throw new ValueError(`${name} must be an Rng, got ${describe(v)}`, name);
    return v;
  }),
};

function isOperator(a: unknown): a is LinearOperator {
  return (
    typeof a === 'object' &&
    a !== null &&
    typeof (a as LinearOperator).matvec === 'function' &&
    typeof (a as LinearOperator).rmatvec === 'function'
  );
}

/** Applies `f` (length-`inDim` → length-`outDim`) to every column of X (inDim×l). */
function applyColumns(
  f: (x: Float64Array) => ArrayLike<number>,
  x: Matrix,
  outDim: number,
  name: string,
): Matrix {
  const { rows, cols } = x;
  const out = new Matrix(outDim, cols);
  const col = new Float64Array(rows);
  for (let c = 0; c < cols; c++) {
    for (let i = 0; i < rows; i++) col[i] = x.data[i * cols + c];
    const y = f(col.slice());
    if (y == null || y.length !== outDim)
      throw new ShapeError(`${name} must return a vector of length ${outDim}, got ${describe(y)}`, name);
    for (let i = 0; i < outDim; i++) {
      const v = y[i];
      if (!Number.isFinite(v))
        throw new ValueError(`${name} returned a non-finite value ${describe(v)} at index ${i}`, name);
      out.data[i * cols + c] = v;
    }
  }
  return out;
}

function product(a: Matrix, b: Matrix): Matrix {
  const out = new Matrix(a.rows, b.cols);
  matmulInto(a.data, b.data, out.data, a.rows, a.cols, b.cols);
  return out;
}

/**
 * Rank-k truncated SVD `A ≈ U diag(S) Vᵀ` of a matrix or a {@link LinearOperator} by randomised
 * subspace iteration: `Y = A Ω` with Gaussian Ω (n×(k+p)), `q` rounds of `Q ← qr(A qr(AᵀQ).Q).Q`,
 * then the exact SVD of the small `B = QᵀA`. Costs `2(q+1)(k+p)` products with A.
 *
 * ```ts
 * const { U, S, V } = randomizedSvd(A, 10, { rng: new Rng(1) });
 * ```
 */
export function randomizedSvd(
  A: MatrixLike | LinearOperator,
  k: number,
  options: RandomizedSvdOptions = {},
): { U: Matrix; S: Float64Array; V: Matrix } {
  const { oversample, powerIters, rng: givenRng } = resolveOptions(options, RANDOMIZED_SVD_OPTIONS);
  const rng = givenRng ?? new Rng(0);
  let m: number;
  let n: number;
  let apply: (x: Matrix) => Matrix; // A X
  let applyT: (y: Matrix) => Matrix; // Aᵀ Y
  if (isOperator(A)) {
    assertInteger('A.rows', A.rows, 1);
    assertInteger('A.cols', A.cols, 1);
    m = A.rows;
    n = A.cols;
    apply = (x) => applyColumns((v) => A.matvec(v), x, m, 'A.matvec');
    applyT = (y) => applyColumns((v) => A.rmatvec(v), y, n, 'A.rmatvec');
  } else {
    const a = readMatrix(A as MatrixLike, 'A');
    m = a.rows;
    n = a.cols;
    const at = a.transpose();
    apply = (x) => product(a, x);
    applyT = (y) => product(at, y);
  }
  const r = Math.min(m, n);
  assertInteger('k', k, 1, r);
  assertInteger('oversample', oversample, 0);
  assertInteger('powerIters', powerIters, 0);
  const l = Math.min(r, k + oversample);
  const omega = new Matrix(n, l, rng.fold('omega').normalArray(n * l));
  let Q = qr(apply(omega)).Q;
  for (let it = 0; it < powerIters; it++) {
    const Z = qr(applyT(Q)).Q;
    Q = qr(apply(Z)).Q;
  }
  // B = Qᵀ A = (Aᵀ Q)ᵀ, l×n
  const B = applyT(Q).transpose();
  const small = svd(B);
  const Uk = new Matrix(l, k);
  for (let i = 0; i < l; i++)
    for (let c = 0; c < k; c++) Uk.data[i * k + c] = small.U.data[i * small.U.cols + c];
  const V = new Matrix(n, k);
  for (let i = 0; i < n; i++)
    for (let c = 0; c < k; c++) V.data[i * k + c] = small.V.data[i * small.V.cols + c];
  return { U: product(Q, Uk), S: small.S.slice(0, k), V };
}

/**
 * An n×k matrix with orthonormal columns drawn from the Haar (uniform) distribution on the
 * Stiefel manifold: the Q of a Gaussian matrix's QR with the signs fixed so that R has a
 * positive diagonal (Mezzadri 2007; without the sign fix the distribution is not Haar).
 */
export function randomOrthonormal(n: number, k: number, rng: Rng): Matrix {
  assertInteger('n', n, 1);
  assertInteger('k', k, 1, n);
  if (!(rng instanceof Rng)) throw new ValueError(`rng must be an Rng, got ${describe(rng)}`, 'rng');
  const g = new Matrix(n, k, rng.normalArray(n * k));
  const { Q, R } = qr(g);
  for (let c = 0; c < k; c++) {
    if (R.data[c * k + c] < 0) for (let i = 0; i < n; i++) Q.data[i * k + c] = -Q.data[i * k + c];
  }
  return Q;
}
