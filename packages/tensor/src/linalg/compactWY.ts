/**
 * Compact WY form of a block of Householder reflectors (Schreiber & Van Loan 1989; LAPACK
 * dlarft 'Forward', 'Columnwise' and dlarfb): H_0 H_1 ⋯ H_{b−1} = I − Y T Yᵀ with the reflectors
 * v_j as the columns of Y (stored here as the ROWS of a row-major `Y`) and T b×b upper
 * triangular. Applying a block is then three gemms, which is how `eigh` accumulates Qᵀ and `svd`
 * generates U and V from their Householder vectors above a measured size.
 * @module
 */

import { gemm, gemv } from '../blas/kernels';

/**
 * T (b×b, row-major, leading dimension ldt) of H_j = I − τ_j v_j v_jᵀ, v_j = row j of `Y`
 * (length `len`, leading dimension ldy): T[j, j] = τ_j, T[0:j, j] = −τ_j T[0:j, 0:j] (Y[0:j] v_j).
 * `s` is scratch of length ≥ b.
 * @internal
 */
export function blockT(
  b: number,
  len: number,
  Y: Float64Array,
  ldy: number,
  tau: ArrayLike<number>,
  T: Float64Array,
  ldt: number,
  s: Float64Array,
): void {
  for (let j = 0; j < b; j++) {
    const t = tau[j];
    for (let r = 0; r < b; r++) T[r * ldt + j] = 0;
    T[j * ldt + j] = t;
    if (j === 0 || t === 0) continue;
    const sj = s.subarray(0, j);
    gemv(j, len, 1, Y, ldy, Y.subarray(j * ldy, j * ldy + len), 0, sj);
    for (let r = 0; r < j; r++) {
      let acc = 0;
      for (let c = r; c < j; c++) acc += T[r * ldt + c] * sj[c];
      T[r * ldt + j] = -t * acc;
    }
  }
}

/**
 * R ← R − ((R Yᵀ) op(T)) Y for R rows×len (leading dimension ldr). With `transT` false this is
 * R H_0 ⋯ H_{b−1} (the block applied from the right); with `transT` true it is (H_0 ⋯ H_{b−1} C)ᵀ
 * for C = Rᵀ, i.e. the block applied from the left to the columns of C that are the rows of R.
 * M1, M2: scratch of rows·b each (`T` from {@link blockT}).
 * @internal
 */
export function applyBlockToRows(
  rows: number,
  len: number,
  b: number,
  R: Float64Array,
  ldr: number,
  Y: Float64Array,
  ldy: number,
  T: Float64Array,
  ldt: number,
  transT: boolean,
  M1: Float64Array,
  M2: Float64Array,
): void {
  if (rows === 0 || len === 0 || b === 0) return;
  gemm(false, true, rows, b, len, 1, R, ldr, Y, ldy, 0, M1, b);
  gemm(false, transT, rows, b, b, 1, M1, b, T, ldt, 0, M2, b);
  gemm(false, false, rows, len, b, -1, M2, b, Y, ldy, 1, R, ldr);
}
