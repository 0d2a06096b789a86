/**
 * Golub–Kahan Householder bidiagonalisation of `svd`, unblocked (LINPACK dsvdc's loop: each
 * reflector applied at once as gemv/gemvT + rank-1 update) and blocked (LAPACK dgebrd with
 * dlabrd): a panel of `nb` columns and rows is reduced with level-2 work only, accumulating
 * X and Y so that the reduced matrix is A − U Yᵀ − X Vᵀ (U, V the panel's left and right
 * reflectors), and the trailing matrix then gets all of them at once, `A −= U Yᵀ + X Vᵀ`, as ONE
 * gemm of inner dimension 2·nb ([Y V] [Uᵀ; Xᵀ]).
 *
 * Both work on `a` = Aᵀ (n×m, row j = column j of A, m ≥ n), with LINPACK's reflectors: a column
 * x becomes v = x / (sign(x₀)‖x‖) + e₁ and H = I − v vᵀ / v₀ (τ = 1/v₀, v₀ ∈ [1, 2]).
 *
 * References: Golub & Kahan 1965; Dongarra, Sorensen & Hammarling, "Block reduction of matrices
 * to condensed forms for eigenvalue computations", J. Comput. Appl. Math. 27 (1989); LAPACK
 * dgebrd/dlabrd; Golub & Van Loan §5.4.8.
 * @module
 */

import { ownerOf } from '../blas/arena';
import { gemm, gemv, gemvT, ger } from '../blas/kernels';
import type { KernelExports } from '../blas/wasmModule';

function colNorm(a: Float64Array, start: number, end: number): number {
  let amax = 0;
  for (let i = start; i < end; i++) {
    const v = Math.abs(a[i]);
    if (v > amax) amax = v;
  }
  if (amax === 0) return 0;
  let s = 0;
  if (amax > 1e-150 && amax < 1e150) {
    for (let i = start; i < end; i++) s += a[i] * a[i];
    return Math.sqrt(s);
  }
  for (let i = start; i < end; i++) {
    const v = a[i] / amax;
    s += v * v;
  }
  return amax * Math.sqrt(s);
}

/**
 * LINPACK's reflector of x = a[start:end], in place: x ← x / (sign(x₀)‖x‖) + e₁ (untouched when
 * x = 0). Returns what the reflector leaves in x₀'s place, −sign(x₀)‖x‖ (0 for x = 0).
 */
function reflect(a: Float64Array, start: number, end: number): number {
  let nrm = colNorm(a, start, end);
  if (nrm !== 0) {
    if (a[start] < 0) nrm = -nrm;
    const inv = 1 / nrm;
    for (let i = start; i < end; i++) a[i] *= inv;
    a[start] += 1;
  }
  return -nrm;
}

/** The bidiagonalisation's arrays: `a` = Aᵀ (n×m), diagonal `s`, super-diagonal `e` (length n). */
export interface BidiagonalArrays {
  a: Float64Array;
  m: number;
  n: number;
  s: Float64Array;
  e: Float64Array;
  /** Rows k < nct receive u_k (elements k..m−1); null: no vectors wanted. */
  ut: Float64Array | null;
  /** Rows k < nrt receive v_k (elements k+1..n−1). */
  vt: Float64Array | null;
  /** Scratch of length m and max(m, n). */
  work: Float64Array;
  tv: Float64Array;
}

/**
 * Steps k = k0.. of the unblocked reduction (LINPACK dsvdc): column reflector k (diagonal in
 * s[k], vector in row k of `a` from element k), applied to the columns j > k; row reflector k
 * (super-diagonal in e[k], vector in e[k+1:]), applied to the rows > k. On exit s and e hold
 * the whole bidiagonal (e[n−1] = 0).
 * @internal
 */
export function bidiagonalizeUnblocked(arr: BidiagonalArrays, k0: number): void {
  const { a, m, n, s, e, ut, vt, work, tv } = arr;
  const nct = Math.min(m - 1, n);
  const nrt = Math.max(0, Math.min(n - 2, m));
  for (let k = k0; k < Math.max(nct, nrt); k++) {
    const ak = k * m;
    if (k < nct) s[k] = reflect(a, ak + k, ak + m);
    if (k < nct && s[k] !== 0 && k + 1 < n) {
      // columns j > k of A (rows of a): a_j[k:] −= (a_kᵀ a_j / a_k[k]) a_k[k:]  (gemv + rank-1 update)
      const rows = n - k - 1;
      const blk = a.subarray((k + 1) * m + k);
      const vk = a.subarray(ak + k, ak + m);
      const t = tv.subarray(0, rows);
      gemv(rows, m - k, 1, blk, m, vk, 0, t);
      ger(rows, m - k, -1 / a[ak + k], t, vk, blk, m);
    }
    for (let j = k + 1; j < n; j++) e[j] = a[j * m + k];
    if (ut && k < nct) for (let i = k; i < m; i++) ut[k * m + i] = a[ak + i];
    if (k < nrt) {
      e[k] = reflect(e, k + 1, n);
      if (k + 1 < m && e[k] !== 0) {
        // work = Σ_j e_j a_j[k+1:], then a_j[k+1:] −= (e_j / e[k+1]) work  (gemvT + rank-1 update)
        const rows = n - k - 1;
        const blk = a.subarray((k + 1) * m + k + 1);
        const ev = e.subarray(k + 1, n);
        const wv = work.subarray(k + 1, m);
        gemvT(rows, m - k - 1, 1, blk, m, ev, 0, wv);
        ger(rows, m - k - 1, -1 / e[k + 1], ev, wv, blk, m);
      }
      if (vt) for (let i = k + 1; i < n; i++) vt[k * n + i] = e[i];
    }
  }
  // the last diagonal and super-diagonal entries (no reflector)
  const p = Math.min(n, m + 1);
  if (nct < n) s[nct] = a[nct * m + nct];
  if (m < p) s[p - 1] = 0;
  if (nrt + 1 < p) e[nrt] = a[(p - 1) * m + nrt];
  e[p - 1] = 0;
}

/** Doubles of scratch {@link bidiagonalizeBlocked} needs for panels of nb (m ≥ n). @internal */
export function bidiagonalScratchSize(m: number, n: number, nb: number): number {
  return nb * n + 2 * nb * n + 2 * nb * m + 6 * nb;
}

/**
 * `y[yo:] ← α op(A[ao:]) x[xo:] + β y[yo:]` (op = transpose for `mvT`): straight into wasm on
 * arena-resident arrays (many small calls: no per-call validation, no subarray objects), else the
 * checked kernels on subarrays.
 */
type Mv = (
  m: number,
  n: number,
  alpha: number,
  A: Float64Array,
  ao: number,
  lda: number,
  x: Float64Array,
  xo: number,
  beta: number,
  y: Float64Array,
  yo: number,
) => void;

function level2(ex: KernelExports | null): { mv: Mv; mvT: Mv } {
  if (!ex)
    return {
      mv: (m, n, alpha, A, ao, lda, x, xo, beta, y, yo) =>
        gemv(m, n, alpha, A.subarray(ao), lda, x.subarray(xo, xo + n), beta, y.subarray(yo, yo + m)),
      mvT: (m, n, alpha, A, ao, lda, x, xo, beta, y, yo) =>
        gemvT(m, n, alpha, A.subarray(ao), lda, x.subarray(xo, xo + m), beta, y.subarray(yo, yo + n)),
    };
  return {
    mv: (m, n, alpha, A, ao, lda, x, xo, beta, y, yo) =>
      ex.dgemv(m, n, alpha, A.byteOffset + 8 * ao, lda, x.byteOffset + 8 * xo, beta, y.byteOffset + 8 * yo),
    mvT: (m, n, alpha, A, ao, lda, x, xo, beta, y, yo) =>
      ex.dgemvT(m, n, alpha, A.byteOffset + 8 * ao, lda, x.byteOffset + 8 * xo, beta, y.byteOffset + 8 * yo),
  };
}

/**
 * Blocked reduction (LAPACK dgebrd/dlabrd on the transposed storage): panels of `nb` steps while
 * at least `minCols` columns (and 2) would remain after the panel, then returns the first step
 * left to {@link bidiagonalizeUnblocked}. The same reflectors, diagonal and super-diagonal as the
 * unblocked steps up to rounding. Panel step i (k = k0 + i), with Ã = A − U Yᵀ − X Vᵀ the
 * matrix reduced by the panel's earlier steps:
 *  1. column k of Ã; column reflector u_k;
 *  2. y_k = τ Ãᵀ u_k over the columns > k (τ = 1/u_k[k]);
 *  3. row k of Ã after H_k (U and Y now include step k); row reflector v_k;
 *  4. x_k = π (H_k Ã) v_k over the rows > k (π = 1/v_k[k+1]).
 * Then the columns and rows ≥ k0 + nb get `A −= U Yᵀ + X Vᵀ` as one gemm. Row k of A (the row
 * reflector's storage) is written back into `a` (column k of its rows j > k) as v_k, which the
 * later panel steps read as V. `scratch` holds {@link bidiagonalScratchSize} doubles, all arrays
 * in one kernel arena for the wasm kernels (JavaScript otherwise).
 * @internal
 */
export function bidiagonalizeBlocked(
  arr: BidiagonalArrays,
  nb: number,
  minCols: number,
  scratch: Float64Array,
): number {
  const { a, m, n, s, e, ut, vt } = arr;
  const ex = ownerOf(a.buffer) ?? null;
  const { mv, mvT } = level2(ex && ownerOf(scratch.buffer) === ex && ownerOf(e.buffer) === ex ? ex : null);
  const nb2 = 2 * nb;
  let o = 0;
  const take = (len: number): Float64Array => scratch.subarray(o, (o += len));
  const Yt = take(nb * n); // row t: y of step k0 + t over the columns
  const Zl = take(nb2 * n); // [Y V] rows j ≥ k0 + nb for the trailing gemm
  const Zr = take(nb2 * m); // [Uᵀ; Xᵀ]: rows nb.. are X's rows (x of step k0 + t over the rows)
  const c1 = take(nb);
  const c2 = take(nb);
  const cu = take(nb);
  const cx = take(nb);
  const d1 = take(nb);
  const d2 = take(nb);
  const xo = nb * m; // X's rows in Zr
  let k0 = 0;
  while (k0 + nb <= n - Math.max(minCols, 2) && k0 + nb <= m - 2) {
    for (let i = 0; i < nb; i++) {
      const k = k0 + i;
      const ak = k * m;
      const L = m - k; // column k, rows k..m−1
      const R = n - k - 1; // row k, columns k+1..n−1
      const L1 = L - 1; // rows k+1..m−1
      const yo = i * n + k + 1; // y_k in Yt
      const xk = xo + i * m + k + 1; // x_k in Zr
      // 1. column k of Ã: −Σ_t Y[k,t] u_t − Σ_t V[k,t] x_t over rows k..m−1
      if (i > 0) {
        for (let t = 0; t < i; t++) c1[t] = Yt[t * n + k];
        mvT(i, L, -1, a, k0 * m + k, m, c1, 0, 1, a, ak + k);
        mvT(i, L, -1, Zr, xo + k, m, a, ak + k0, 1, a, ak + k);
      }
      s[k] = reflect(a, ak + k, ak + m);
      if (ut) ut.set(a.subarray(ak + k, ak + m), ak + k);
      // 2. y_k over the columns k+1..n−1
      if (s[k] !== 0) {
        mv(R, L, 1, a, (k + 1) * m + k, m, a, ak + k, 0, Yt, yo);
        if (i > 0) {
          mv(i, L, 1, a, k0 * m + k, m, a, ak + k, 0, c1, 0); // Uᵀ u_k
          mv(i, L, 1, Zr, xo + k, m, a, ak + k, 0, c2, 0); // Xᵀ u_k
          mvT(i, R, -1, Yt, k + 1, n, c1, 0, 1, Yt, yo); // − Y (Uᵀ u_k)
          mv(R, i, -1, a, (k + 1) * m + k0, m, c2, 0, 1, Yt, yo); // − V (Xᵀ u_k)
        }
        const tau = 1 / a[ak + k];
        for (let j = yo; j < yo + R; j++) Yt[j] *= tau;
      } else Yt.fill(0, yo, yo + R);
      // 3. row k of H_k Ã over the columns k+1..n−1 (gathered into e), its reflector
      for (let j = k + 1; j < n; j++) e[j] = a[j * m + k];
      for (let t = 0; t <= i; t++) cu[t] = a[(k0 + t) * m + k];
      mvT(i + 1, R, -1, Yt, k + 1, n, cu, 0, 1, e, k + 1); // − Σ_{t≤k} U[k,t] y_t
      if (i > 0) {
        for (let t = 0; t < i; t++) cx[t] = Zr[xo + t * m + k];
        mv(R, i, -1, a, (k + 1) * m + k0, m, cx, 0, 1, e, k + 1); // − Σ_{t<k} X[k,t] v_t
      }
      e[k] = reflect(e, k + 1, n);
      for (let j = k + 1; j < n; j++) a[j * m + k] = e[j];
      if (vt) vt.set(e.subarray(k + 1, n), k * n + k + 1);
      // 4. x_k over the rows k+1..m−1
      if (e[k] !== 0) {
        mvT(R, L1, 1, a, (k + 1) * m + k + 1, m, e, k + 1, 0, Zr, xk);
        mv(i + 1, R, 1, Yt, k + 1, n, e, k + 1, 0, d1, 0); // Yᵀ v_k (steps ≤ k)
        mvT(i + 1, L1, -1, a, k0 * m + k + 1, m, d1, 0, 1, Zr, xk); // − U (Yᵀ v_k)
        if (i > 0) {
          mvT(R, i, 1, a, (k + 1) * m + k0, m, e, k + 1, 0, d2, 0); // Vᵀ v_k (steps < k)
          mvT(i, L1, -1, Zr, xo + k + 1, m, d2, 0, 1, Zr, xk); // − X (Vᵀ v_k)
        }
        const pi = 1 / e[k + 1];
        for (let r = xk; r < xk + L1; r++) Zr[r] *= pi;
      } else Zr.fill(0, xk, xk + L1);
    }
    // trailing update: rows j ≥ kb of a (columns of A), elements r ≥ kb: a_j −= Σ_t Y[j,t] u_t + V[j,t] x_t
    const kb = k0 + nb;
    const rows = n - kb;
    for (let j = kb; j < n; j++) {
      const z = (j - kb) * nb2;
      for (let t = 0; t < nb; t++) {
        Zl[z + t] = Yt[t * n + j];
        Zl[z + nb + t] = a[j * m + k0 + t];
      }
    }
    for (let t = 0; t < nb; t++) Zr.set(a.subarray((k0 + t) * m + kb, (k0 + t) * m + m), t * m + kb);
    gemm(false, false, rows, m - kb, nb2, -1, Zl, nb2, Zr.subarray(kb), m, 1, a.subarray(kb * m + kb), m);
    k0 = kb;
  }
  return k0;
}
