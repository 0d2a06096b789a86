/**
 * Helpers for the linalg tests (not exported from the package): random matrices with a chosen
 * spectrum and the error measures the property tests assert on.
 * @internal
 * @module
 */
import { Matrix } from '../matrix';
import { Rng } from '../rng';
import { matmul } from './products';

/** An m×n matrix of iid N(0, 1) entries from `seed`. */
export function gaussian(m: number, n: number, seed: number | Rng): Matrix {
  const rng = typeof seed === 'number' ? new Rng(seed) : seed;
  return new Matrix(m, n, rng.normalArray(m * n));
}

/** Plain triple-loop product (the reference the fast kernels are checked against). */
export function naiveMatmul(a: Matrix, b: Matrix): Matrix {
  const c = new Matrix(a.rows, b.cols);
  for (let i = 0; i < a.rows; i++)
    for (let j = 0; j < b.cols; j++) {
      let s = 0;
      for (let k = 0; k < a.cols; k++) s += a.get(i, k) * b.get(k, j);
      c.set(i, j, s);
    }
  return c;
}

/** Frobenius norm. */
export function fro(a: Matrix | Float64Array): number {
  const d = a instanceof Matrix ? a.data : a;
  let s = 0;
  for (let i = 0; i < d.length; i++) s += d[i] * d[i];
  return Math.sqrt(s);
}

/** ‖a − b‖_F. */
export function diffFro(a: Matrix | Float64Array, b: Matrix | Float64Array): number {
  const x = a instanceof Matrix ? a.data : a;
  const y = b instanceof Matrix ? b.data : b;
  if (x.length !== y.length) throw new Error(`size mismatch ${x.length} vs ${y.length}`);
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i] - y[i]) ** 2;
  return Math.sqrt(s);
}

/** ‖a − b‖_F / ‖b‖_F (or absolute if ‖b‖ = 0). */
export function relErr(a: Matrix | Float64Array, b: Matrix | Float64Array): number {
  const nb = fro(b);
  return diffFro(a, b) / (nb > 0 ? nb : 1);
}

/** ‖QᵀQ − I‖_max: how far the columns of Q are from orthonormal. */
export function orthoErr(q: Matrix): number {
  const { rows, cols } = q;
  let worst = 0;
  for (let i = 0; i < cols; i++)
    for (let j = i; j < cols; j++) {
      let s = 0;
      for (let r = 0; r < rows; r++) s += q.data[r * cols + i] * q.data[r * cols + j];
      worst = Math.max(worst, Math.abs(s - (i === j ? 1 : 0)));
    }
  return worst;
}

/** A · diag(d) (scales the columns). */
export function scaleCols(a: Matrix, d: ArrayLike<number>): Matrix {
  const out = a.clone();
  for (let i = 0; i < a.rows; i++) for (let j = 0; j < a.cols; j++) out.data[i * a.cols + j] *= d[j];
  return out;
}

/** U · diag(S) · Vᵀ: the matrix an svd's factors reconstruct. */
export function reconstruct(U: Matrix, S: Float64Array, V: Matrix): Matrix {
  return matmul(scaleCols(U, S), V.transpose());
}

/** A copy of `a` with every entry times f. */
export function scaled(a: Matrix, f: number): Matrix {
  return new Matrix(
    a.rows,
    a.cols,
    Float64Array.from(a.data, (v) => v * f),
  );
}

/**
 * svd(f·A) by `run`, measured against A: relErr of its singular values ÷ f against `ref` (A's),
 * relErr of U diag(S/f) Vᵀ against A, and orthoErr of U and of V.
 */
export function scaledSvdErrors(
  a: Matrix,
  f: number,
  ref: Float64Array,
  run: (x: Matrix) => { U: Matrix; S: Float64Array; V: Matrix },
): { values: number; reconstruction: number; orthoU: number; orthoV: number } {
  const { U, S, V } = run(scaled(a, f));
  const back = S.map((v) => v / f);
  return {
    values: relErr(back, ref),
    reconstruction: relErr(reconstruct(U, back, V), a),
    orthoU: orthoErr(U),
    orthoV: orthoErr(V),
  };
}

/** Columns of a Gram–Schmidt-orthonormalised Gaussian (reference construction, independent of qr()). */
export function orthonormalColumns(m: number, k: number, seed: number): Matrix {
  const g = gaussian(m, k, seed);
  const q = new Matrix(m, k);
  const col = new Float64Array(m);
  for (let j = 0; j < k; j++) {
    for (let i = 0; i < m; i++) col[i] = g.get(i, j);
    for (let pass = 0; pass < 2; pass++) {
      for (let c = 0; c < j; c++) {
        let s = 0;
        for (let i = 0; i < m; i++) s += q.get(i, c) * col[i];
        for (let i = 0; i < m; i++) col[i] -= s * q.get(i, c);
      }
    }
    let nrm = 0;
    for (let i = 0; i < m; i++) nrm += col[i] * col[i];
    nrm = Math.sqrt(nrm);
    for (let i = 0; i < m; i++) q.set(i, j, col[i] / nrm);
  }
  return q;
}

/** U diag(s) Vᵀ with random orthonormal U (m×k), V (n×k): a matrix with singular values `s`. */
export function withSingularValues(m: number, n: number, s: ArrayLike<number>, seed: number): Matrix {
  const k = s.length;
  const u = orthonormalColumns(m, k, seed);
  const v = orthonormalColumns(n, k, seed + 7919);
  return naiveMatmul(scaleCols(u, s), v.transpose());
}

/** Q diag(λ) Qᵀ with a random orthogonal Q: a symmetric matrix with eigenvalues `lambda`. */
export function withEigenvalues(lambda: ArrayLike<number>, seed: number): Matrix {
  const n = lambda.length;
  const q = orthonormalColumns(n, n, seed);
  const a = naiveMatmul(scaleCols(q, lambda), q.transpose());
  // exact symmetry
  for (let i = 0; i < n; i++)
    for (let j = 0; j < i; j++) {
      const v = 0.5 * (a.get(i, j) + a.get(j, i));
      a.set(i, j, v);
      a.set(j, i, v);
    }
  return a;
}

/** `count` values log-spaced from 10^hi down to 10^lo. */
export function logspace(hi: number, lo: number, count: number): Float64Array {
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) out[i] = 10 ** (count === 1 ? hi : hi + ((lo - hi) * i) / (count - 1));
  return out;
}
