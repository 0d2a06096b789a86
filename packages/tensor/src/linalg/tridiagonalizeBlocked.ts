/**
 * Blocked Householder tridiagonalisation (LAPACK dsytrd with dlatrd, UPLO = 'U' seen from our
 * row-major lower triangle): the same reflectors as `eigh`'s unblocked bottom-up reduction, but
 * the rank-2 update of each step is deferred. A panel of `nb` rows (n−1, n−2, …) is reduced with
 * level-2 work only — each row first receives the panel's earlier updates, its reflector's
 * symmetric product is corrected by the pending ones — and the trailing matrix then gets all of
 * them at once, `A₁₁ −= V Wᵀ + W Vᵀ`, as ONE gemm of inner dimension 2·nb on block rows of the
 * lower triangle ([V; W]ᵀ [W; V]).
 *
 * References: Dongarra, Sorensen & Hammarling, "Block reduction of matrices to condensed forms
 * for eigenvalue computations", J. Comput. Appl. Math. 27 (1989); LAPACK dsytrd/dlatrd;
 * Golub & Van Loan §8.3.
 * @module
 */

import { ownerOf } from '../blas/arena';
import { gemm, gemv, gemvT, symvLower, syr2Lower } from '../blas/kernels';
import { applyBlockToRows, blockT } from './compactWY';
import { hypot } from './internal';

/** Rows of one trailing-update gemm (block rows of the lower triangle). */
const UPDATE_ROWS = 64;

/**
 * The reflector of step i (row i of `a`, entries 0..i−1): on exit `v` (length ≥ i) holds
 * v[0..i−2] = x/(α−β), v[i−1] = 1 and zeros after, row i of `a` stores v[0..i−2] and β at i−1.
 * Returns τ (0: nothing to annihilate, v = 0). Same arithmetic as the unblocked reduction.
 */
function reflector(n: number, a: Float64Array, i: number, v: Float64Array, e: Float64Array): number {
  const r = i * n;
  let amax = 0;
  for (let j = 0; j < i - 1; j++) {
    const x = Math.abs(a[r + j]);
    if (x > amax) amax = x;
  }
  const alpha = a[r + i - 1];
  v.fill(0);
  if (amax === 0) {
    e[i] = alpha;
    return 0;
  }
  let ss = 0;
  for (let j = 0; j < i - 1; j++) {
    const x = a[r + j] / amax;
    ss += x * x;
  }
  const sigma = amax * Math.sqrt(ss);
  const beta = alpha >= 0 ? -hypot(alpha, sigma) : hypot(alpha, sigma);
  e[i] = beta;
  const inv = 1 / (alpha - beta);
  for (let j = 0; j < i - 1; j++) {
    a[r + j] *= inv;
    v[j] = a[r + j];
  }
  v[i - 1] = 1;
  a[r + i - 1] = beta;
  return (beta - alpha) / beta;
}

/**
 * Householder tridiagonalisation `T = Qᵀ A Q` of the symmetric n×n `a` (lower triangle read and
 * overwritten; arena-resident for the wasm kernels), bottom-up as EISPACK's tred2: step i (from
 * n−1 down to 2) annihilates row i left of the sub-diagonal with H_i = I − τ_i v_i v_iᵀ acting on
 * indices 0..i−1 (v_i[i−1] = 1). Unblocked, step i updates the leading i×i block as p = τ A v,
 * q = p − (τ pᵀv / 2) v, A −= v qᵀ + q vᵀ (the wasm kernels `symvLower` / `syr2Lower`); in
 * panels, `nb` rows at a time while more than `minRows` rows remain (`minRows` ≥ n: unblocked
 * throughout, the same bits as before the panels existed). On exit d holds T's diagonal,
 * e[i] = T[i, i−1] (e[0] = 0), row i of `a` holds v_i[0..i−2] and β at i−1, and tau[i] = τ_i. `panel` is scratch of 3·nb·n doubles and
 * `p` of n + 2·nb, all in the same arena as `a`.
 * @internal
 */
export function tridiagonalizeBlocked(
  n: number,
  a: Float64Array,
  d: Float64Array,
  e: Float64Array,
  tau: Float64Array,
  nb: number,
  minRows: number,
  panel: Float64Array,
  p: Float64Array,
): void {
  e[0] = 0;
  // panel rows: V (0..nb), W (nb..2nb), V again (2nb..3nb) so that [V; W] and [W; V] are both
  // contiguous row blocks for the trailing gemm
  const V = panel.subarray(0, nb * n);
  const W = panel.subarray(nb * n, 2 * nb * n);
  const pv = p.subarray(0, n);
  const cv = p.subarray(n, n + nb);
  const cw = p.subarray(n + nb, n + 2 * nb);
  const ex = ownerOf(a.buffer) ?? null; // the kernels' instance when every buffer is in a's arena
  let N = n; // the leading N×N block is still to be reduced
  while (N - nb > minRows && N - nb >= 2) {
    for (let j = 0; j < nb; j++) {
      const i = N - 1 - j;
      const r = i * n;
      const row = a.subarray(r, r + i + 1);
      if (j > 0) {
        // row i, columns 0..i, receives the panel's pending updates: −Σ_t v_t[i] w_t + w_t[i] v_t
        for (let t = 0; t < j; t++) {
          cv[t] = V[t * n + i];
          cw[t] = W[t * n + i];
        }
        if (ex) {
          // the wasm kernels directly: these calls are small and many (no per-call validation)
          ex.dgemvT(j, i + 1, -1, W.byteOffset, n, cv.byteOffset, 1, a.byteOffset + 8 * r);
          ex.dgemvT(j, i + 1, -1, V.byteOffset, n, cw.byteOffset, 1, a.byteOffset + 8 * r);
        } else {
          gemvT(j, i + 1, -1, W, n, cv.subarray(0, j), 1, row);
          gemvT(j, i + 1, -1, V, n, cw.subarray(0, j), 1, row);
        }
      }
      d[i] = a[r + i];
      const vj = V.subarray(j * n, j * n + n);
      const wj = W.subarray(j * n, j * n + n);
      const t = reflector(n, a, i, vj, e);
      tau[i] = t;
      wj.fill(0);
      if (t === 0) continue;
      const v = vj.subarray(0, i);
      const q = wj.subarray(0, i);
      // p = τ (A₁₁ − Σ_t v_t w_tᵀ + w_t v_tᵀ) v over the leading i×i block
      if (ex) {
        const vo = V.byteOffset + 8 * j * n;
        const qo = W.byteOffset + 8 * j * n;
        ex.dsymvl(i, a.byteOffset, n, vo, qo);
        if (j > 0) {
          ex.dgemv(j, i, 1, W.byteOffset, n, vo, 0, cw.byteOffset); // W v
          ex.dgemv(j, i, 1, V.byteOffset, n, vo, 0, cv.byteOffset); // V v
          ex.dgemvT(j, i, -1, V.byteOffset, n, cw.byteOffset, 1, qo);
          ex.dgemvT(j, i, -1, W.byteOffset, n, cv.byteOffset, 1, qo);
        }
      } else {
        symvLower(i, a, n, v, q);
        if (j > 0) {
          const sv = cv.subarray(0, j);
          const sw = cw.subarray(0, j);
          gemv(j, i, 1, W, n, v, 0, sw); // W v
          gemv(j, i, 1, V, n, v, 0, sv); // V v
          gemvT(j, i, -1, V, n, sw, 1, q);
          gemvT(j, i, -1, W, n, sv, 1, q);
        }
      }
      let pdv = 0;
      for (let k = 0; k < i; k++) {
        q[k] *= t;
        pdv += q[k] * v[k];
      }
      const K = 0.5 * t * pdv;
      for (let k = 0; k < i; k++) q[k] -= K * v[k];
    }
    // trailing update A[0:M, 0:M] −= V Wᵀ + W Vᵀ (lower triangle, by block rows)
    const M = N - nb;
    panel.copyWithin(2 * nb * n, 0, nb * n);
    const Z2 = panel.subarray(nb * n);
    for (let r0 = 0; r0 < M; r0 += UPDATE_ROWS) {
      const r1 = Math.min(M, r0 + UPDATE_ROWS);
      gemm(true, false, r1 - r0, r1, 2 * nb, -1, panel.subarray(r0), n, Z2, n, 1, a.subarray(r0 * n), n);
    }
    N = M;
  }
  // the rest unblocked: p = τ A v, q = p − (τ/2)(pᵀv) v, A −= v qᵀ + q vᵀ
  const v = V.subarray(0, n);
  for (let i = N - 1; i >= 2; i--) {
    const r = i * n;
    d[i] = a[r + i];
    const t = reflector(n, a, i, v, e);
    tau[i] = t;
    if (t === 0) continue;
    const vi = v.subarray(0, i);
    const q = pv.subarray(0, i);
    symvLower(i, a, n, vi, q);
    let pdv = 0;
    for (let k = 0; k < i; k++) {
      q[k] *= t;
      pdv += q[k] * vi[k];
    }
    const K = 0.5 * t * pdv;
    for (let k = 0; k < i; k++) q[k] -= K * vi[k];
    syr2Lower(i, -1, vi, q, a, n);
  }
  if (n >= 2) {
    e[1] = a[n];
    d[1] = a[n + 1];
    tau[1] = 0;
  }
  d[0] = a[0];
}

/**
 * X ← X H_2 H_3 ⋯ H_{n−1} for the reflectors of a tridiagonalisation (row i of `a`: v_i[0..i−2],
 * v_i[i−1] = 1 implicit; τ_i in `tau`), `nb` reflectors at a time in compact WY form
 * (compactWY.ts, LAPACK dormtr/dorgtr): each block is three gemms. With `fromIdentity`, X starts
 * as I and only its leading L×L block is touched (Qᵀ, as `eigh`'s unblocked accumulation
 * specifies); otherwise X (n×n) is given — e.g. the eigenvectors of T as rows, so that
 * X Qᵀ = Vᵀ comes out directly (2n³ flops instead of forming Qᵀ, 4n³/3, and a gemm, 2n³).
 * `panel` is scratch of 3·nb·n + nb² doubles, `p` of nb, in the same arena as `x`.
 * @internal
 */
export function applyQtBlocked(
  n: number,
  a: Float64Array,
  tau: Float64Array,
  x: Float64Array,
  nb: number,
  panel: Float64Array,
  p: Float64Array,
  fromIdentity: boolean,
): void {
  if (fromIdentity) {
    x.fill(0, 0, n * n);
    for (let c = 0; c < n; c++) x[c * n + c] = 1;
  }
  const Y = panel.subarray(0, nb * n);
  const M1 = panel.subarray(nb * n, 2 * nb * n);
  const M2 = panel.subarray(2 * nb * n, 3 * nb * n);
  const T = panel.subarray(3 * nb * n, 3 * nb * n + nb * nb);
  for (let i0 = 2; i0 < n; i0 += nb) {
    const b = Math.min(nb, n - i0);
    const L = i0 + b - 1; // the block's reflectors act on indices 0..L−1
    for (let j = 0; j < b; j++) {
      const i = i0 + j;
      const y = Y.subarray(j * n, j * n + n);
      y.fill(0);
      if (tau[i] !== 0) {
        const r = i * n;
        for (let k = 0; k < i - 1; k++) y[k] = a[r + k];
        y[i - 1] = 1;
      }
    }
    blockT(b, L, Y, n, tau.subarray(i0, i0 + b), T, nb, p);
    // from I, rows ≥ L of X are still unit vectors beyond column L: only the leading block changes
    applyBlockToRows(fromIdentity ? L : n, L, b, x, n, Y, n, T, nb, false, M1, M2);
  }
}
