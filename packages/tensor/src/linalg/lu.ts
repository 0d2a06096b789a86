/**
 * LU factorisation with partial pivoting `P A = L U` (Doolittle, right-looking, row-major),
 * and what it gives: `solve`, `inv`, `det`, `slogdet`.
 * @module
 */

import { rawCopyF64, withArena } from '../blas/arena';
import { gemm, luPanel, trsmLeftLowerUnit } from '../blas/kernels';
import { describe, ShapeError, ValueError } from '../errors';
import { Matrix, type MatrixLike } from '../matrix';
import { type RhsLike, readSquare, type VectorLike } from './internal';
import { readRhs, triangularSolveInPlace } from './triangularSolve';

/** Panel width of the blocked LU in JavaScript (n < BLOCKED_FROM) and with the kernel layer. */
const NB = 16;
const NB_KERNELS = 32;
const BLOCKED_FROM = 64;

/**
 * Right-looking blocked LU with partial pivoting in place on the n×n row-major buffer `d`: factor
 * a panel of `nb` columns with row pivoting (rows swapped in full), form the U12 block row by
 * unit-lower substitution, then update the trailing matrix A22 −= L21 U12 once per panel. With
 * `kernels` (and `ipiv`, an arena-resident pivot buffer) the panel runs in wasm (`dlupanel`), the
 * substitution as `dtrsmllu` and the trailing update as gemm of the kernel layer
 * (wasm SIMD when `d` is arena-resident); otherwise as JavaScript loops (four rows of U at a time).
 */
function luInPlace(
  d: Float64Array,
  n: number,
  perm: Int32Array,
  nb: number,
  kernels: boolean,
  ipiv?: Int32Array,
): { sign: number; singular: boolean } {
  let sign = 1;
  let singular = false;
  for (let k0 = 0; k0 < n; k0 += nb) {
    const k1 = Math.min(n, k0 + nb);
    // ---- panel factorisation (columns k0..k1-1, all rows ≥ k) ----
    const wasmPanel = ipiv ? luPanel(n, d, k0, k1 - k0, ipiv) : undefined;
    if (wasmPanel !== undefined && ipiv) {
      if (wasmPanel) singular = true;
      for (let k = k0; k < k1; k++) {
        const p = ipiv[k - k0];
        if (p === k) continue;
        const t = perm[k];
        perm[k] = perm[p];
        perm[p] = t;
        sign = -sign;
      }
    } else {
      for (let k = k0; k < k1; k++) {
        let p = k;
        let best = Math.abs(d[k * n + k]);
        for (let i = k + 1; i < n; i++) {
          const v = Math.abs(d[i * n + k]);
          if (v > best) {
            best = v;
            p = i;
          }
        }
        if (p !== k) {
          const rk = k * n;
          const rp = p * n;
          for (let j = 0; j < n; j++) {
            const t = d[rk + j];
            d[rk + j] = d[rp + j];
            d[rp + j] = t;
          }
          const t = perm[k];
          perm[k] = perm[p];
          perm[p] = t;
          sign = -sign;
        }
        const rk = k * n;
        const pivot = d[rk + k];
        if (pivot === 0) {
          singular = true;
          continue;
        }
        const inv = 1 / pivot;
        for (let i = k + 1; i < n; i++) {
          const ri = i * n;
          const l = d[ri + k] * inv;
          d[ri + k] = l;
          if (l === 0) continue;
          for (let j = k + 1; j < k1; j++) d[ri + j] -= l * d[rk + j];
        }
      }
    }
    if (k1 >= n) break;
    const w = n - k1;
    if (kernels) {
      // ---- U12 = L11⁻¹ A12: row r −= L[r, p] row p for p < r (wasm when resident) ----
      trsmLeftLowerUnit(k1 - k0, w, d.subarray(k0 * n + k0), n, d.subarray(k0 * n + k1), n);
      // ---- A22 −= L21 U12 ----
      gemm(
        false,
        false,
        w,
        w,
        k1 - k0,
        -1,
        d.subarray(k1 * n + k0),
        n,
        d.subarray(k0 * n + k1),
        n,
        1,
        d.subarray(k1 * n + k1),
        n,
      );
      continue;
    }
    for (let k = k0; k < k1; k++) {
      const rk = k * n;
      for (let r = k + 1; r < k1; r++) {
        const rr = r * n;
        const l = d[rr + k];
        if (l === 0) continue;
        for (let j = k1; j < n; j++) d[rr + j] -= l * d[rk + j];
      }
    }
    for (let i = k1; i < n; i++) {
      const ri = i * n;
      let k = k0;
      for (; k + 3 < k1; k += 4) {
        const l0 = d[ri + k];
        const l1 = d[ri + k + 1];
        const l2 = d[ri + k + 2];
        const l3 = d[ri + k + 3];
        const u0 = k * n;
        const u1 = u0 + n;
        const u2 = u1 + n;
        const u3 = u2 + n;
        for (let j = k1; j < n; j++)
          d[ri + j] -= l0 * d[u0 + j] + l1 * d[u1 + j] + l2 * d[u2 + j] + l3 * d[u3 + j];
      }
      for (; k < k1; k++) {
        const l0 = d[ri + k];
        if (l0 === 0) continue;
        const u0 = k * n;
        for (let j = k1; j < n; j++) d[ri + j] -= l0 * d[u0 + j];
      }
    }
  }
  return { sign, singular };
}

/** The result of {@link lu}. */
export interface LUDecomposition {
  /** L (unit lower, below the diagonal) and U (upper, on and above it) packed in one matrix. */
  lu: Matrix;
  /** Row permutation: row i of `P A` is row `perm[i]` of A. */
  perm: Int32Array;
  /** det P = ±1. */
  sign: number;
  /** True if a pivot is exactly zero (A is singular; solves will throw). */
  singular: boolean;
  /** The unit lower-triangular factor (a new matrix). */
  L(): Matrix;
  /** The upper-triangular factor (a new matrix). */
  U(): Matrix;
}

/**
 * `P A = L U` with partial (row) pivoting. Never throws on a singular A: the factorisation is
 * completed and `singular` is set (as LAPACK's getrf); {@link luSolve} then throws.
 */
export function lu(A: MatrixLike): LUDecomposition {
  const src = readSquare(A, 'A');
  const n = src.rows;
  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  let sign = 1;
  let singular = false;
  let a: Matrix;
  if (n < BLOCKED_FROM) {
    a = src.clone();
    ({ sign, singular } = luInPlace(a.data, n, perm, NB, false));
  } else {
    // the trailing updates (2/3 n³ flops) run in the wasm gemm on arena-resident data
    a = withArena(n * n * 8 + NB_KERNELS * 4 + 16, (arena) => {
      const d = rawCopyF64(arena, src.data);
      const piv = arena.f64(NB_KERNELS / 2);
      const ipiv = new Int32Array(piv.buffer, piv.byteOffset, NB_KERNELS);
      ({ sign, singular } = luInPlace(d, n, perm, NB_KERNELS, true, ipiv));
      return new Matrix(n, n, d.slice());
    });
  }
  const d = a.data;
  return {
    lu: a,
    perm,
    sign,
    singular,
    L() {
      const L = Matrix.identity(n);
      for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) L.data[i * n + j] = d[i * n + j];
      return L;
    },
    U() {
      const U = new Matrix(n, n);
      for (let i = 0; i < n; i++) for (let j = i; j < n; j++) U.data[i * n + j] = d[i * n + j];
      return U;
    },
  };
}

/** Checks that `d` is what {@link lu} returns (a square `lu` Matrix, a permutation `perm`, a boolean `singular`). */
function readDecomposition(d: unknown): LUDecomposition {
  const name = 'decomposition';
  if (d === null || typeof d !== 'object')
    throw new ValueError(`${name} must be the result of lu(A), got ${describe(d)}`, name);
  const { lu: f, perm, singular } = d as Partial<LUDecomposition>;
  if (!(f instanceof Matrix) || f.rows !== f.cols)
    throw new ValueError(`${name}.lu must be a square Matrix (from lu(A)), got ${describe(f)}`, `${name}.lu`);
  if (!(perm instanceof Int32Array))
    throw new ValueError(
      `${name}.perm must be an Int32Array (from lu(A)), got ${describe(perm)}`,
      `${name}.perm`,
    );
  if (perm.length !== f.rows)
    throw new ShapeError(`${name}.perm must have length ${f.rows}, got ${perm.length}`, `${name}.perm`);
  const seen = new Uint8Array(f.rows);
  for (let i = 0; i < perm.length; i++) {
    const p = perm[i];
    if (p < 0 || p >= f.rows || seen[p])
      throw new ValueError(
        `${name}.perm must be a permutation of 0..${f.rows - 1}, got ${p} at index ${i}`,
        `${name}.perm`,
      );
    seen[p] = 1;
  }
  if (typeof singular !== 'boolean')
    throw new ValueError(
      `${name}.singular must be true or false, got ${describe(singular)}`,
      `${name}.singular`,
    );
  return d as LUDecomposition;
}

/**
 * Solves `A x = b` from `lu(A)`. `b` may be a vector or a matrix (same kind returned).
 * Throws a {@link ValueError} if A is singular.
 */
export function luSolve(
  decomposition: LUDecomposition,
  b: Float64Array | number[] | VectorLike,
): Float64Array;
export function luSolve(decomposition: LUDecomposition, b: MatrixLike): Matrix;
export function luSolve(decomposition: LUDecomposition, b: RhsLike): Float64Array | Matrix;
export function luSolve(decomposition: LUDecomposition, b: RhsLike): Float64Array | Matrix {
  const { lu: f, perm, singular } = readDecomposition(decomposition);
  const n = f.rows;
  if (singular) throw new ValueError('A must be non-singular, got a zero pivot in its LU factorisation', 'A');
  const { x: raw, p, matrix } = readRhs(b, 'b', n);
  const x = new Float64Array(n * p);
  for (let i = 0; i < n; i++) x.set(raw.subarray(perm[i] * p, perm[i] * p + p), i * p);
  triangularSolveInPlace(f.data, n, x, p, true, false, true, 'A');
  triangularSolveInPlace(f.data, n, x, p, false, false, false, 'A');
  return matrix ? new Matrix(n, p, x) : x;
}

/**
 * Solves the square system `A x = b` by LU with partial pivoting. `b` may be a vector
 * (returns a Float64Array) or a matrix of right-hand sides (returns a {@link Matrix}).
 * Throws a {@link ValueError} if A is exactly singular, a {@link ShapeError} on shape mismatch.
 */
export function solve(A: MatrixLike, b: Float64Array | number[] | VectorLike): Float64Array;
export function solve(A: MatrixLike, b: MatrixLike): Matrix;
export function solve(A: MatrixLike, b: RhsLike): Float64Array | Matrix;
export function solve(A: MatrixLike, b: RhsLike): Float64Array | Matrix {
  const a = readSquare(A, 'A');
  readRhs(b, 'b', a.rows); // validate before factorising
  return luSolve(lu(a), b);
}

/** The inverse `A⁻¹` (via LU). Throws a {@link ValueError} if A is singular. Prefer {@link solve}. */
export function inv(A: MatrixLike): Matrix {
  const d = lu(A);
  return luSolve(d, Matrix.identity(d.lu.rows));
}

/** `sign` and `log|det A|` (numerically safe for large n); `{ sign: 0, logAbsDet: -Infinity }` if singular. */
export function slogdet(A: MatrixLike): { sign: number; logAbsDet: number } {
  const { lu: f, sign, singular } = lu(A);
  if (singular) return { sign: 0, logAbsDet: Number.NEGATIVE_INFINITY };
  const n = f.rows;
  let s = sign;
  let acc = 0;
  for (let i = 0; i < n; i++) {
    const u = f.data[i * n + i];
    if (u < 0) s = -s;
    acc += Math.log(Math.abs(u));
  }
  return { sign: s, logAbsDet: acc };
}

/** The determinant `det A` (via LU; 0 if singular; may overflow to ±Infinity for large n, see {@link slogdet}). */
export function det(A: MatrixLike): number {
  const { lu: f, sign, singular } = lu(A);
  if (singular) return 0;
  const n = f.rows;
  let p = sign;
  for (let i = 0; i < n; i++) p *= f.data[i * n + i];
  return p;
}
