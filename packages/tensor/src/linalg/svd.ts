/**
 * Thin singular value decomposition `A = U diag(S) Vᵀ` of any m×n matrix by Golub–Kahan
 * Householder bidiagonalisation followed by implicit-shift QR on the bidiagonal (Golub & Reinsch
 * 1970, LINPACK dsvdc, as in JAMA), and what it gives: `pinv`, `rank`, `cond`.
 *
 * Implementation note: A (or Aᵀ when m < n), U and V are stored transposed, so each column the
 * algorithm touches (Householder vectors, Givens rotations of U and V) is a contiguous row of a
 * flat Float64Array.
 * @module
 */

import { rawCopyF64, withArena } from '../blas/arena';
import { gemv, ger, rotChainSvd } from '../blas/kernels';
import {
  type BidiagonalArrays,
  bidiagonalizeBlocked,
  bidiagonalizeUnblocked,
  bidiagonalScratchSize,
} from './bidiagonalize';
import { applyBlockToRows, blockT } from './compactWY';
import { ConvergenceError, ShapeError } from '../errors';
import { Matrix, type MatrixLike } from '../matrix';
import { option, readNumber, resolveOptions } from '../options';
import { EPS, hypot, maxAbs, powerOfTwoScale, readMatrix, scaleInPlace, transposeData } from './internal';

/** Options of {@link svd}. */
export interface SvdOptions {
  /** Maximum implicit-QR sweeps per singular value before a {@link ConvergenceError} (default 75). */
  maxIter?: number;
  /** Compute U and V (default true); `false` returns only S (U and V with 0 columns), several times faster. */
  vectors?: boolean;
}

const SVD_OPTIONS = {
  maxIter: option.integer({ min: 0, max: 1e6, default: 75 }),
  vectors: option.boolean({ default: true }),
};

/** The result of {@link svd}: `A = U diag(S) Vᵀ`. */
export interface SvdDecomposition {
  /** m×r left singular vectors (orthonormal columns), r = min(m, n). */
  U: Matrix;
  /** The r singular values, descending, ≥ 0. */
  S: Float64Array;
  /** n×r right singular vectors (orthonormal columns). */
  V: Matrix;
}

/** Absolute floor of the negligibility tests; harmless because the input is scaled to max|a| ∈ [0.5, 1) first. */
const TINY = 2 ** -966;

/**
 * √(a² + b²) for the QR sweeps' rotations: one square root, no division, where a² + b² can neither
 * overflow nor lose precision to underflow (the sweeps' entries are ≤ ~√n after svd's scaling);
 * the scaled form of internal.ts's `hypot` otherwise. The bulge chase is a serial chain of these
 * (latency-bound); measured, CPU ms before → after, interleaved, load ≈ 30: values only
 * 64² 0.45 → 0.42, 256² 7.72 → 7.27, 1024×256 27.1 → 26.4; full 256² 24.2 → 23.9, 512² 169 → 163
 * (singular values within 3e-14·S₀ of the scaled form at these sizes).
 */
function hypotQr(a: number, b: number): number {
  const x = a < 0 ? -a : a;
  const y = b < 0 ? -b : b;
  const big = x > y ? x : y;
  if (big < 1e150 && big > 1e-140) return Math.sqrt(x * x + y * y);
  return hypot(x, y);
}

/** Givens rotation of rows x and y of a (length len): (x, y) ← (c x + s y, −s x + c y). */
function rotRows(a: Float64Array, x: number, y: number, len: number, cs: number, sn: number): void {
  for (let i = 0; i < len; i++) {
    const ax = a[x + i];
    const ay = a[y + i];
    a[x + i] = cs * ax + sn * ay;
    a[y + i] = -sn * ax + cs * ay;
  }
}

function swapRows(a: Float64Array, x: number, y: number, len: number): void {
  for (let i = 0; i < len; i++) {
    const t = a[x + i];
    a[x + i] = a[y + i];
    a[y + i] = t;
  }
}

/**
 * Steps k = k1−1 down to k0 of the backward generation of Uᵀ (LINPACK dsvdc): reflector k
 * (v = ut_k[k:], H = I − v vᵀ / v[k]) is applied to the rows k+1..rowsEnd−1 (gemv + rank-1
 * update), then row k becomes column k of U.
 */
function formU(
  ut: Float64Array,
  s: Float64Array,
  m: number,
  k0: number,
  k1: number,
  rowsEnd: number,
  tv: Float64Array,
): void {
  for (let k = k1 - 1; k >= k0; k--) {
    const uk = k * m;
    if (s[k] !== 0) {
      // rows j > k: ut_j[k:] −= (ut_kᵀ ut_j / ut_k[k]) ut_k[k:]  (gemv + rank-1 update)
      const rows = rowsEnd - k - 1;
      if (rows > 0) {
        const blk = ut.subarray((k + 1) * m + k);
        const vk = ut.subarray(uk + k, uk + m);
        const t = tv.subarray(0, rows);
        gemv(rows, m - k, 1, blk, m, vk, 0, t);
        ger(rows, m - k, -1 / ut[uk + k], t, vk, blk, m);
      }
      for (let i = k; i < m; i++) ut[uk + i] = -ut[uk + i];
      ut[uk + k] += 1;
      for (let i = 0; i < k - 1; i++) ut[uk + i] = 0;
    } else {
      ut.fill(0, uk, uk + m);
      ut[uk + k] = 1;
    }
  }
}

/**
 * Steps k = k1−1 down to k0 of the backward generation of Vᵀ: reflector k < nrt (v = vt_k[k+1:],
 * H = I − v vᵀ / v[k+1]) is applied to the rows k+1..rowsEnd−1, then row k is reset to e_k
 * (the unit start of column k of V).
 */
function formV(
  vt: Float64Array,
  e: Float64Array,
  n: number,
  nrt: number,
  k0: number,
  k1: number,
  rowsEnd: number,
  tv: Float64Array,
): void {
  for (let k = k1 - 1; k >= k0; k--) {
    const vk = k * n;
    if (k < nrt && e[k] !== 0) {
      const rows = rowsEnd - k - 1;
      if (rows > 0) {
        const blk = vt.subarray((k + 1) * n + k + 1);
        const vkv = vt.subarray(vk + k + 1, vk + n);
        const t = tv.subarray(0, rows);
        gemv(rows, n - k - 1, 1, blk, n, vkv, 0, t);
        ger(rows, n - k - 1, -1 / vt[vk + k + 1], t, vkv, blk, n);
      }
    }
    vt.fill(0, vk, vk + n);
    vt[vk + k] = 1;
  }
}

/** Forms Uᵀ and Vᵀ from the Householder vectors left by the bidiagonalisation. */
function generateVectors(
  ut: Float64Array,
  vt: Float64Array,
  s: Float64Array,
  e: Float64Array,
  m: number,
  n: number,
  nct: number,
  nrt: number,
  tv: Float64Array,
): void {
  const nu = n;
  for (let j = nct; j < nu; j++) {
    ut.fill(0, j * m, j * m + m);
    ut[j * m + j] = 1;
  }
  formU(ut, s, m, 0, nct, nu, tv);
  formV(vt, e, n, nrt, 0, n, nu, tv);
}

/**
 * Blocking of `svd` (mutable for tests only).
 *
 * `from`, `panel`: U and V are generated with the Householder vectors applied in blocks of
 * `panel` (compact WY, three gemms per block; LAPACK dorgbr) from min(m, n) = `from` on.
 * Measured (CPU time of the whole svd, square, 2-core EPYC under load): n = 256 26.6 vs 26.9 ms
 * (no gain), 384 79 → 76, 512 183 → 176, 768 586 → 556.
 *
 * `bidiagFrom`, `bidiagPanel`, `bidiagTail`: the bidiagonalisation runs in panels of
 * `bidiagPanel` (bidiagonalize.ts, LAPACK dgebrd/dlabrd: level-2 panel, trailing update as one
 * gemm) from min(m, n) = `bidiagFrom` on, while more than `bidiagTail` columns remain. Measured
 * (CPU ms, values only, unblocked → panels of 16, interleaved, load ≈ 11): 24² 0.09 → 0.08,
 * 32² 0.14 → 0.12, 64² 0.45 → 0.40, 128² 1.83 → 1.71, 256² 8.7 → 7.8–8.2, 512² 56 → 45–48,
 * 1024×256 32.0 → 26.7; panels of 8–12 within noise of 16, 24–32 slower.
 * @internal
 */
export const SVD_BLOCKING = { from: 384, panel: 32, bidiagFrom: 32, bidiagPanel: 16, bidiagTail: 16 };

/** Scratch of {@link generateVectorsBlocked}: Y (panel × len), T (panel²), M1, M2 (rows × panel). */
interface WYScratch {
  Y: Float64Array;
  T: Float64Array;
  M1: Float64Array;
  M2: Float64Array;
  s: Float64Array;
  nb: number;
}

/**
 * Applies the block of reflectors k0..k1−1 (row k of `w` holds v_k from column k + off on, τ_k =
 * 1/v_k[0] or 0 where `active(k)` is false) to the rows k1..rowsEnd−1 of `w` (row length ld),
 * columns k0 + off.. (compact WY: I − Y T Yᵀ from the left on the columns those rows are).
 */
function applyReflectorBlock(
  w: Float64Array,
  ld: number,
  off: number,
  k0: number,
  k1: number,
  rowsEnd: number,
  active: (k: number) => boolean,
  wy: WYScratch,
  tau: Float64Array,
): void {
  const { Y, T, M1, M2, nb } = wy;
  const b = k1 - k0;
  const len = ld - k0 - off;
  if (rowsEnd <= k1 || len <= 0) return;
  for (let j = 0; j < b; j++) {
    const k = k0 + j;
    const y = Y.subarray(j * len, j * len + len);
    y.fill(0);
    tau[j] = active(k) ? 1 / w[k * ld + k + off] : 0;
    if (tau[j] !== 0) y.set(w.subarray(k * ld + k + off, k * ld + ld), k - k0);
  }
  blockT(b, len, Y, len, tau, T, nb, wy.s);
  applyBlockToRows(rowsEnd - k1, len, b, w.subarray(k1 * ld + k0 + off), ld, Y, len, T, nb, true, M1, M2);
}

/**
 * {@link generateVectors} with the reflectors applied `nb` at a time (LAPACK dorgbr/dorgqr): for
 * each block of reflectors, last block first, the block is applied to the vectors formed so far
 * (rows after the block) as I − Y T Yᵀ by three gemms, then the block's own vectors are formed by
 * the unblocked steps restricted to the block. The same vectors up to rounding.
 */
function generateVectorsBlocked(
  ut: Float64Array,
  vt: Float64Array,
  s: Float64Array,
  e: Float64Array,
  m: number,
  n: number,
  nct: number,
  nrt: number,
  tv: Float64Array,
  wy: WYScratch,
): void {
  const nu = n;
  const nb = wy.nb;
  const tau = new Float64Array(nb);
  for (let j = nct; j < nu; j++) {
    ut.fill(0, j * m, j * m + m);
    ut[j * m + j] = 1;
  }
  for (let k1 = nct; k1 > 0; k1 -= nb) {
    const k0 = Math.max(0, k1 - nb);
    applyReflectorBlock(ut, m, 0, k0, k1, nu, (k) => s[k] !== 0, wy, tau);
    formU(ut, s, m, k0, k1, k1, tv);
  }
  formV(vt, e, n, nrt, nrt, n, nu, tv); // rows k ≥ nrt: no reflector
  for (let k1 = nrt; k1 > 0; k1 -= nb) {
    const k0 = Math.max(0, k1 - nb);
    applyReflectorBlock(vt, n, 1, k0, k1, nu, (k) => e[k] !== 0, wy, tau);
    formV(vt, e, n, nrt, k0, k1, k1, tv);
  }
}

/**
 * Core for m ≥ n on `a` = Aᵀ (n×m, row j = column j of A). Returns Uᵀ (n×m), S (n), Vᵀ (n×n).
 * @internal
 */
function svdTall(
  src: Float64Array,
  m: number,
  n: number,
  maxIter: number,
  want = true,
): { ut: Float64Array; s: Float64Array; vt: Float64Array } {
  const nu = n;
  const nb = SVD_BLOCKING.panel;
  const blocked = want && n >= SVD_BLOCKING.from;
  const nbB = SVD_BLOCKING.bidiagPanel;
  const blockedBidiag = n >= SVD_BLOCKING.bidiagFrom;
  const bytes =
    (n * m +
      (want ? nu * m + n * n : 0) +
      7 * n +
      2 * m +
      // Y (nb×m), T (nb×nb), M1 and M2 (max(m, n)×nb each), s (nb)
      (blocked ? nb * (m + 2 * Math.max(m, n) + nb + 1) : 0) +
      (blockedBidiag ? bidiagonalScratchSize(m, n, nbB) : 0) +
      64) *
    8;
  return withArena(bytes, (arena) => {
    // every buffer the kernels touch lives in one arena (zero-copy wasm products and rotations)
    const a = rawCopyF64(arena, src);
    const s = new Float64Array(n);
    const ut = arena.f64(want ? nu * m : 0);
    const vt = arena.f64(want ? n * n : 0);
    const e = arena.f64(n);
    const work = arena.f64(m);
    const tv = arena.f64(Math.max(m, n));
    // rotations of one QR sweep, applied to V and U after the sweep (see applyChain)
    const vc = arena.f64(n);
    const vs = arena.f64(n);
    const uc = arena.f64(n);
    const us = arena.f64(n);
    const wy: WYScratch | null = blocked
      ? {
          Y: arena.f64(nb * m),
          T: arena.f64(nb * nb),
          M1: arena.f64(Math.max(m, n) * nb),
          M2: arena.f64(Math.max(m, n) * nb),
          s: arena.f64(nb),
          nb,
        }
      : null;
    const bidiag = blockedBidiag ? { nb: nbB, scratch: arena.f64(bidiagonalScratchSize(m, n, nbB)) } : null;
    svdCore(a, m, n, maxIter, want, s, ut, vt, e, work, tv, vc, vs, uc, us, wy, bidiag);
    return { ut: ut.slice(), s, vt: vt.slice() };
  });
}

/** The bidiagonalisation and implicit-shift QR of {@link svdTall} on arena buffers. */
function svdCore(
  a: Float64Array,
  m: number,
  n: number,
  maxIter: number,
  want: boolean,
  s: Float64Array,
  ut: Float64Array,
  vt: Float64Array,
  e: Float64Array,
  work: Float64Array,
  tv: Float64Array,
  vc: Float64Array,
  vs: Float64Array,
  uc: Float64Array,
  us: Float64Array,
  wy: WYScratch | null,
  bidiag: { nb: number; scratch: Float64Array } | null,
): void {
  const nct = Math.min(m - 1, n);
  const nrt = Math.max(0, Math.min(n - 2, m));
  // scale into [0.5, 1) by a power of two (exact), as LAPACK's dgesvd scales into a safe range:
  // the thresholds below are then relative and sums of squares neither overflow nor underflow
  const sigma = powerOfTwoScale(maxAbs(a));
  scaleInPlace(a, sigma);
  // ---- bidiagonalisation: diagonal in s, super-diagonal in e ----
  const arr: BidiagonalArrays = { a, m, n, s, e, ut: want ? ut : null, vt: want ? vt : null, work, tv };
  const k0 = bidiag ? bidiagonalizeBlocked(arr, bidiag.nb, SVD_BLOCKING.bidiagTail, bidiag.scratch) : 0;
  bidiagonalizeUnblocked(arr, k0);
  let p = Math.min(n, m + 1);
  if (want && wy) generateVectorsBlocked(ut, vt, s, e, m, n, nct, nrt, tv, wy);
  else if (want) generateVectors(ut, vt, s, e, m, n, nct, nrt, tv);
  // ---- implicit-shift QR on the bidiagonal ----
  const pp = p - 1;
  let iter = 0;
  while (p > 0) {
    let k: number;
    let kase: number;
    for (k = p - 2; k >= 0; k--) {
      if (Math.abs(e[k]) <= TINY + EPS * (Math.abs(s[k]) + Math.abs(s[k + 1]))) {
        e[k] = 0;
        break;
      }
    }
    if (k === p - 2) {
      kase = 4;
    } else {
      let ks: number;
      for (ks = p - 1; ks > k; ks--) {
        const t = (ks !== p ? Math.abs(e[ks]) : 0) + (ks !== k + 1 ? Math.abs(e[ks - 1]) : 0);
        if (Math.abs(s[ks]) <= TINY + EPS * t) {
          s[ks] = 0;
          break;
        }
      }
      if (ks === k) kase = 3;
      else if (ks === p - 1) kase = 1;
      else {
        kase = 2;
        k = ks;
      }
    }
    k++;
    switch (kase) {
      case 1: {
        // deflate negligible s[p-1]
        let f = e[p - 2];
        e[p - 2] = 0;
        for (let j = p - 2; j >= k; j--) {
          const t = hypotQr(s[j], f);
          const cs = s[j] / t;
          const sn = f / t;
          s[j] = t;
          if (j !== k) {
            f = -sn * e[j - 1];
            e[j - 1] = cs * e[j - 1];
          }
          if (want) rotRows(vt, j * n, (p - 1) * n, n, cs, sn);
        }
        break;
      }
      case 2: {
        // split at negligible s[k-1]
        let f = e[k - 1];
        e[k - 1] = 0;
        for (let j = k; j < p; j++) {
          const t = hypotQr(s[j], f);
          const cs = s[j] / t;
          const sn = f / t;
          s[j] = t;
          f = -sn * e[j];
          e[j] = cs * e[j];
          if (want) rotRows(ut, j * m, (k - 1) * m, m, cs, sn);
        }
        break;
      }
      case 3: {
        if (++iter > maxIter) {
          throw new ConvergenceError(
            `svd: the implicit QR iteration did not converge within maxIter = ${maxIter} sweeps`,
            'maxIter',
          );
        }
        // shift from the trailing 2×2 of BᵀB
        const scale = Math.max(
          Math.abs(s[p - 1]),
          Math.abs(s[p - 2]),
          Math.abs(e[p - 2]),
          Math.abs(s[k]),
          Math.abs(e[k]),
        );
        const sp = s[p - 1] / scale;
        const spm1 = s[p - 2] / scale;
        const epm1 = e[p - 2] / scale;
        const sk = s[k] / scale;
        const ek = e[k] / scale;
        const b = ((spm1 + sp) * (spm1 - sp) + epm1 * epm1) / 2;
        const c = sp * epm1 * (sp * epm1);
        let shift = 0;
        if (b !== 0 || c !== 0) {
          shift = Math.sqrt(b * b + c);
          if (b < 0) shift = -shift;
          shift = c / (b + shift);
        }
        let f = (sk + sp) * (sk - sp) + shift;
        let g = sk * ek;
        // chase the bulge
        for (let j = k; j < p - 1; j++) {
          let t = hypotQr(f, g);
          let cs = f / t;
          let sn = g / t;
          if (j !== k) e[j - 1] = t;
          f = cs * s[j] + sn * e[j];
          e[j] = cs * e[j] - sn * s[j];
          g = sn * s[j + 1];
          s[j + 1] = cs * s[j + 1];
          vc[j] = cs;
          vs[j] = sn;
          t = hypotQr(f, g);
          cs = f / t;
          sn = g / t;
          s[j] = t;
          f = cs * e[j] + sn * s[j + 1];
          s[j + 1] = -sn * e[j] + cs * s[j + 1];
          g = sn * e[j + 1];
          e[j + 1] = cs * e[j + 1];
          uc[j] = cs; // j < p − 1 ≤ m − 1: always a valid pair of rows of U
          us[j] = sn;
        }
        e[p - 2] = f;
        if (want) {
          rotChainSvd(vt, n, n, k, p - 2, vc, vs);
          rotChainSvd(ut, m, m, k, p - 2, uc, us);
        }
        break;
      }
      default: {
        // convergence: make s[k] non-negative, then order
        if (s[k] <= 0) {
          s[k] = s[k] < 0 ? -s[k] : 0;
          if (want) for (let i = 0; i <= pp; i++) vt[k * n + i] = -vt[k * n + i];
        }
        while (k < pp) {
          if (s[k] >= s[k + 1]) break;
          const t = s[k];
          s[k] = s[k + 1];
          s[k + 1] = t;
          if (want && k < n - 1) swapRows(vt, k * n, (k + 1) * n, n);
          if (want && k < m - 1) swapRows(ut, k * m, (k + 1) * m, m);
          k++;
        }
        iter = 0;
        p--;
      }
    }
  }
  scaleInPlace(s, 1 / sigma);
}

/**
 * Thin SVD of any m×n matrix: `A = U diag(S) Vᵀ` with U m×r, V n×r orthonormal columns and
 * S descending, r = min(m, n). Wide matrices are handled through Aᵀ.
 *
 * Throws a {@link ValueError} on non-finite input, a {@link ConvergenceError} if the QR sweeps do
 * not converge (never observed in practice).
 *
 * ```ts
 * const { U, S, V } = svd(A);
 * ```
 */
export function svd(A: MatrixLike, options: SvdOptions = {}): SvdDecomposition {
  const { maxIter, vectors: want } = resolveOptions(options, SVD_OPTIONS);
  const a = readMatrix(A, 'A');
  const { rows: m, cols: n } = a;
  const r = Math.min(m, n);
  if (r === 0 || !want) {
    const S =
      r === 0
        ? new Float64Array(0)
        : svdTall(m >= n ? transposeData(a.data, m, n) : a.data.slice(), Math.max(m, n), r, maxIter, false).s;
    return { U: new Matrix(m, 0), S, V: new Matrix(n, 0) };
  }
  if (m >= n) {
    const { ut, s, vt } = svdTall(transposeData(a.data, m, n), m, n, maxIter);
    return {
      U: new Matrix(m, n, transposeData(ut, n, m)),
      S: s,
      V: new Matrix(n, n, transposeData(vt, n, n)),
    };
  }
  // A is wide: Aᵀ = U' S V'ᵀ, whose transpose-storage is A's own row-major data
  const { ut, s, vt } = svdTall(a.data.slice(), n, m, maxIter);
  return { U: new Matrix(m, m, transposeData(vt, m, m)), S: s, V: new Matrix(n, m, transposeData(ut, m, n)) };
}

/** Default relative cut-off for small singular values: `max(m, n) · ε`. */
function defaultRcond(m: number, n: number): number {
  return Math.max(m, n) * EPS;
}

/**
 * The Moore–Penrose pseudo-inverse `A⁺ = V diag(1/S) Uᵀ` (n×m), treating singular values
 * `≤ rcond · S_max` as zero (default `rcond = max(m, n)·ε`, as numpy/LAPACK).
 */
export function pinv(A: MatrixLike, rcond?: number): Matrix {
  const a = readMatrix(A, 'A');
  const { rows: m, cols: n } = a;
  const rc = rcond === undefined ? defaultRcond(m, n) : readNumber(rcond, 'rcond', { min: 0 });
  const { U, S, V } = svd(a);
  const r = S.length;
  const cutoff = rc * (r > 0 ? S[0] : 0);
  const out = new Matrix(n, m);
  const o = out.data;
  // A⁺ = Σ_k v_k u_kᵀ / s_k over kept k (rows of V and U are contiguous)
  const inv = new Float64Array(r);
  for (let k = 0; k < r; k++) inv[k] = S[k] > cutoff && S[k] > 0 ? 1 / S[k] : 0;
  const vd = V.data;
  const ud = U.data;
  const tmp = new Float64Array(r);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < r; k++) tmp[k] = vd[i * r + k] * inv[k];
    const oi = i * m;
    for (let j = 0; j < m; j++) {
      let s = 0;
      const uj = j * r;
      for (let k = 0; k < r; k++) s += tmp[k] * ud[uj + k];
      o[oi + j] = s;
    }
  }
  return out;
}

/** Singular values only (descending). */
export function singularValues(A: MatrixLike): Float64Array {
  return svd(A, { vectors: false }).S;
}

/** Numerical rank: the number of singular values `> tol` (default `max(m, n) · ε · S_max`). */
export function rank(A: MatrixLike, tol?: number): number {
  const a = readMatrix(A, 'A');
  if (tol !== undefined) readNumber(tol, 'tol', { min: 0 });
  const S = svd(a, { vectors: false }).S;
  const t = tol ?? defaultRcond(a.rows, a.cols) * (S.length > 0 ? S[0] : 0);
  let r = 0;
  for (const s of S) if (s > t) r++;
  return r;
}

/**
 * The 2-norm condition number `S_max / S_min` (Infinity if A is singular). A matrix with no rows
 * or no columns has no condition number: {@link ShapeError} naming `A`.
 */
export function cond(A: MatrixLike): number {
  const a = readMatrix(A, 'A');
  if (a.rows === 0 || a.cols === 0)
    throw new ShapeError(
      `A must have at least one row and one column for cond, got ${a.rows}×${a.cols}`,
      'A',
    );
  const S = svd(a, { vectors: false }).S;
  const smin = S[S.length - 1];
  return smin === 0 ? Number.POSITIVE_INFINITY : S[0] / smin;
}
