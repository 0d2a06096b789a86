/**
 * The BLAS kernel layer of the float64 core: products on row-major typed arrays with leading
 * dimensions, writing into caller-owned buffers (BLAS semantics, row-major).
 *
 * Each call picks its implementation by the measured crossover sizes in ./crossovers.ts:
 * - arrays resident in one {@link KernelArena} (zero-copy): the wasm SIMD kernel from a small
 *   size on;
 * - other arrays: JavaScript below the crossover; for gemm above it, the operands are copied
 *   into a shared arena (the copies cost O(n²) against O(n³) of work);
 * - without wasm SIMD: always JavaScript.
 *
 * Bad arguments throw typed errors naming them: {@link ShapeError} when an array is too short
 * for its dimensions, {@link ValueError} for a negative size, a leading dimension smaller than
 * the row length, or an output that overlaps an input (BLAS forbids aliasing the output).
 * @module
 */
import { describe, ShapeError, ValueError } from '../errors';
import { KernelArena, ownerOf } from './arena';
import { CROSSOVER } from './crossovers';
import { gemmJs, gemvJs, gemvTJs, gerJs, rotChainQlJs, rotChainSvdJs, wfGradientJs } from './jsKernels';
import { type KernelExports, kernelModule } from './wasmModule';

type F64 = Float64Array;
type F32 = Float32Array;
type Arr = F64 | F32;

function dim(name: string, v: number): void {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0)
    throw new ValueError(`${name} must be an integer >= 0, got ${describe(v)}`, name);
}

/** Checks that `arr` holds a rows×cols matrix with leading dimension ld. */
function mat(name: string, arr: Arr, rows: number, cols: number, ld: number, ldName: string): void {
  if (!(arr instanceof Float64Array || arr instanceof Float32Array))
    throw new ValueError(`${name} must be a Float64Array or Float32Array, got ${describe(arr)}`, name);
  if (typeof ld !== 'number' || !Number.isInteger(ld) || ld < Math.max(1, cols))
    throw new ValueError(`${ldName} must be an integer >= max(1, ${cols}), got ${describe(ld)}`, ldName);
  if (rows > 0 && cols > 0 && arr.length < (rows - 1) * ld + cols)
    throw new ShapeError(
      `${name} must have length >= ${(rows - 1) * ld + cols} for ${rows}×${cols} with ${ldName} = ${ld}, got ${arr.length}`,
      name,
    );
}

function vec(name: string, arr: Arr, n: number): void {
  if (!(arr instanceof Float64Array || arr instanceof Float32Array))
    throw new ValueError(`${name} must be a Float64Array or Float32Array, got ${describe(arr)}`, name);
  if (arr.length < n) throw new ShapeError(`${name} must have length >= ${n}, got ${arr.length}`, name);
}

/** Throws if the first `outLen` elements of `out` overlap the first `len` elements of `a`. */
function noOverlap(outName: string, out: Arr, outLen: number, name: string, a: Arr, len: number): void {
  if (a.buffer !== out.buffer || outLen === 0 || len === 0) return;
  const o0 = out.byteOffset;
  const a0 = a.byteOffset;
  if (o0 < a0 + len * a.BYTES_PER_ELEMENT && a0 < o0 + outLen * out.BYTES_PER_ELEMENT)
    throw new ValueError(
      `${outName} must not overlap ${name} (the output of a BLAS kernel cannot alias its inputs)`,
      outName,
    );
}

function span(rows: number, cols: number, ld: number): number {
  return rows > 0 && cols > 0 ? (rows - 1) * ld + cols : 0;
}

/** The instance all arrays are resident in, if they share one kernel arena. */
function resident(a: Arr, b?: Arr, c?: Arr, d?: Arr, e?: Arr): KernelExports | undefined {
  const ex = ownerOf(a.buffer);
  if (!ex) return undefined;
  const buf = a.buffer;
  if (
    (b && b.buffer !== buf) ||
    (c && c.buffer !== buf) ||
    (d && d.buffer !== buf) ||
    (e && e.buffer !== buf)
  )
    return undefined;
  return ex;
}

let shared: KernelArena | null = null;

/** The shared arena for copied-in operands (reset per call), or null without wasm. */
function sharedArena(bytes: number): KernelArena | null {
  shared ??= new KernelArena(bytes);
  if (!shared.wasm) return null;
  shared.reset();
  shared.reserve(bytes);
  return shared;
}

// ------------------------------------------------------------------ level 2

/**
 * `y ← α A x + β y` for A m×n (row-major, leading dimension lda), x of length n, y of length m.
 * β = 0 overwrites y without reading it.
 */
export function gemv(
  m: number,
  n: number,
  alpha: number,
  A: F64,
  lda: number,
  x: F64,
  beta: number,
  y: F64,
): void {
  dim('m', m);
  dim('n', n);
  mat('A', A, m, n, lda, 'lda');
  vec('x', x, n);
  vec('y', y, m);
  noOverlap('y', y, m, 'A', A, span(m, n, lda));
  noOverlap('y', y, m, 'x', x, n);
  const ex = m * n >= CROSSOVER.gemvResident ? resident(A, x, y) : undefined;
  if (ex) ex.dgemv(m, n, alpha, A.byteOffset, lda, x.byteOffset, beta, y.byteOffset);
  else gemvJs(m, n, alpha, A, lda, x, beta, y);
}

/** `y ← α Aᵀ x + β y` for A m×n, x of length m, y of length n. */
export function gemvT(
  m: number,
  n: number,
  alpha: number,
  A: F64,
  lda: number,
  x: F64,
  beta: number,
  y: F64,
): void {
  dim('m', m);
  dim('n', n);
  mat('A', A, m, n, lda, 'lda');
  vec('x', x, m);
  vec('y', y, n);
  noOverlap('y', y, n, 'A', A, span(m, n, lda));
  noOverlap('y', y, n, 'x', x, m);
  const ex = m * n >= CROSSOVER.gemvResident ? resident(A, x, y) : undefined;
  if (ex) ex.dgemvT(m, n, alpha, A.byteOffset, lda, x.byteOffset, beta, y.byteOffset);
  else gemvTJs(m, n, alpha, A, lda, x, beta, y);
}

/** Rank-1 update `A ← A + α x yᵀ` (A m×n, x of length m, y of length n). */
export function ger(m: number, n: number, alpha: number, x: F64, y: F64, A: F64, lda: number): void {
  dim('m', m);
  dim('n', n);
  mat('A', A, m, n, lda, 'lda');
  vec('x', x, m);
  vec('y', y, n);
  const sa = span(m, n, lda);
  noOverlap('A', A, sa, 'x', x, m);
  noOverlap('A', A, sa, 'y', y, n);
  const ex = m * n >= CROSSOVER.gemvResident ? resident(A, x, y) : undefined;
  if (ex) ex.dger(m, n, alpha, x.byteOffset, y.byteOffset, A.byteOffset, lda);
  else gerJs(m, n, alpha, x, y, A, lda);
}

/** Float32 `y ← α A x + β y`. */
export function sgemv(
  m: number,
  n: number,
  alpha: number,
  A: F32,
  lda: number,
  x: F32,
  beta: number,
  y: F32,
): void {
  dim('m', m);
  dim('n', n);
  mat('A', A, m, n, lda, 'lda');
  vec('x', x, n);
  vec('y', y, m);
  noOverlap('y', y, m, 'A', A, span(m, n, lda));
  noOverlap('y', y, m, 'x', x, n);
  const ex = m * n >= CROSSOVER.gemvResident ? resident(A, x, y) : undefined;
  if (ex) ex.sgemv(m, n, alpha, A.byteOffset, lda, x.byteOffset, beta, y.byteOffset);
  else gemvJs(m, n, alpha, A, lda, x, beta, y);
}

/** Float32 `y ← α Aᵀ x + β y`. */
export function sgemvT(
  m: number,
  n: number,
  alpha: number,
  A: F32,
  lda: number,
  x: F32,
  beta: number,
  y: F32,
): void {
  dim('m', m);
  dim('n', n);
  mat('A', A, m, n, lda, 'lda');
  vec('x', x, m);
  vec('y', y, n);
  noOverlap('y', y, n, 'A', A, span(m, n, lda));
  noOverlap('y', y, n, 'x', x, m);
  const ex = m * n >= CROSSOVER.gemvResident ? resident(A, x, y) : undefined;
  if (ex) ex.sgemvT(m, n, alpha, A.byteOffset, lda, x.byteOffset, beta, y.byteOffset);
  else gemvTJs(m, n, alpha, A, lda, x, beta, y);
}

/** Float32 rank-1 update `A ← A + α x yᵀ`. */
export function sger(m: number, n: number, alpha: number, x: F32, y: F32, A: F32, lda: number): void {
  dim('m', m);
  dim('n', n);
  mat('A', A, m, n, lda, 'lda');
  vec('x', x, m);
  vec('y', y, n);
  const sa = span(m, n, lda);
  noOverlap('A', A, sa, 'x', x, m);
  noOverlap('A', A, sa, 'y', y, n);
  const ex = m * n >= CROSSOVER.gemvResident ? resident(A, x, y) : undefined;
  if (ex) ex.sger(m, n, alpha, x.byteOffset, y.byteOffset, A.byteOffset, lda);
  else gerJs(m, n, alpha, x, y, A, lda);
}

// ------------------------------------------------------------------ level 3

function gemmArgs(
  ta: boolean,
  tb: boolean,
  m: number,
  n: number,
  k: number,
  A: Arr,
  lda: number,
  B: Arr,
  ldb: number,
  C: Arr,
  ldc: number,
): void {
  if (typeof ta !== 'boolean')
    throw new ValueError(`transA must be a boolean, got ${describe(ta)}`, 'transA');
  if (typeof tb !== 'boolean')
    throw new ValueError(`transB must be a boolean, got ${describe(tb)}`, 'transB');
  dim('m', m);
  dim('n', n);
  dim('k', k);
  if (ta) mat('A', A, k, m, lda, 'lda');
  else mat('A', A, m, k, lda, 'lda');
  if (tb) mat('B', B, n, k, ldb, 'ldb');
  else mat('B', B, k, n, ldb, 'ldb');
  mat('C', C, m, n, ldc, 'ldc');
  const sc = span(m, n, ldc);
  noOverlap('C', C, sc, 'A', A, ta ? span(k, m, lda) : span(m, k, lda));
  noOverlap('C', C, sc, 'B', B, tb ? span(n, k, ldb) : span(k, n, ldb));
}

type GemmKernel = 'dgemm' | 'sgemm';

function gemmDispatch(
  kernel: GemmKernel,
  ta: boolean,
  tb: boolean,
  m: number,
  n: number,
  k: number,
  alpha: number,
  A: Arr,
  lda: number,
  B: Arr,
  ldb: number,
  beta: number,
  C: Arr,
  ldc: number,
): void {
  const work = m * n * k;
  const ex = work >= CROSSOVER.gemmResident ? resident(A, B, C) : undefined;
  if (ex) {
    ex[kernel](+ta, +tb, m, n, k, alpha, A.byteOffset, lda, B.byteOffset, ldb, beta, C.byteOffset, ldc, 0);
    return;
  }
  if (work >= (kernel === 'dgemm' ? CROSSOVER.dgemmCopy : CROSSOVER.sgemmCopy) && kernelModule() !== null) {
    const sa = ta ? span(k, m, lda) : span(m, k, lda);
    const sb = tb ? span(n, k, ldb) : span(k, n, ldb);
    const sc = span(m, n, ldc);
    const bytes = (sa + sb + sc) * C.BYTES_PER_ELEMENT + 64;
    const arena = sharedArena(bytes);
    if (arena) {
      const f32 = kernel === 'sgemm';
      const a = f32 ? arena.f32(sa) : arena.f64(sa);
      const b = f32 ? arena.f32(sb) : arena.f64(sb);
      const c = f32 ? arena.f32(sc) : arena.f64(sc);
      a.set(A.subarray(0, sa));
      b.set(B.subarray(0, sb));
      if (beta !== 0) c.set(C.subarray(0, sc));
      const e = arena.exports as KernelExports;
      e[kernel](+ta, +tb, m, n, k, alpha, a.byteOffset, lda, b.byteOffset, ldb, beta, c.byteOffset, ldc, 0);
      if (ldc === n) C.set(c);
      else for (let i = 0; i < m; i++) C.set(c.subarray(i * ldc, i * ldc + n), i * ldc);
      return;
    }
  }
  gemmJs(ta, tb, m, n, k, alpha, A, lda, B, ldb, beta, C, ldc);
}

/**
 * `C ← α op(A) op(B) + β C` (float64): C m×n, op(A) m×k, op(B) k×n, op = transpose when
 * `transA` / `transB`. Packed, register-blocked (4×4 tile) wasm SIMD above the crossover.
 * β = 0 overwrites C without reading it.
 *
 * ```ts
 * gemm(false, false, m, n, k, 1, A, k, B, n, 0, C, n); // C = A B
 * ```
 */
export function gemm(
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  alpha: number,
  A: F64,
  lda: number,
  B: F64,
  ldb: number,
  beta: number,
  C: F64,
  ldc: number,
): void {
  gemmArgs(transA, transB, m, n, k, A, lda, B, ldb, C, ldc);
  gemmDispatch('dgemm', transA, transB, m, n, k, alpha, A, lda, B, ldb, beta, C, ldc);
}

/** Float32 `C ← α op(A) op(B) + β C` (4×8 tile of f32x4 accumulators in wasm). */
export function sgemm(
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  alpha: number,
  A: F32,
  lda: number,
  B: F32,
  ldb: number,
  beta: number,
  C: F32,
  ldc: number,
): void {
  gemmArgs(transA, transB, m, n, k, A, lda, B, ldb, C, ldc);
  gemmDispatch('sgemm', transA, transB, m, n, k, alpha, A, lda, B, ldb, beta, C, ldc);
}

/**
 * Symmetric rank-k update `C ← α A Aᵀ + β C` (C n×n, A n×k). Only the lower triangle is
 * computed (half the flops of gemm), then mirrored: on return C is exactly symmetric; with β ≠ 0
 * only C's lower triangle is read.
 */
export function syrk(
  n: number,
  k: number,
  alpha: number,
  A: F64,
  lda: number,
  beta: number,
  C: F64,
  ldc: number,
): void {
  dim('n', n);
  dim('k', k);
  mat('A', A, n, k, lda, 'lda');
  mat('C', C, n, n, ldc, 'ldc');
  noOverlap('C', C, span(n, n, ldc), 'A', A, span(n, k, lda));
  const NB = 64;
  for (let i0 = 0; i0 < n; i0 += NB) {
    const ib = Math.min(NB, n - i0);
    // rows i0..i0+ib−1, columns 0..i0+ib−1 (the block row of the lower triangle)
    gemmDispatch(
      'dgemm',
      false,
      true,
      ib,
      i0 + ib,
      k,
      alpha,
      A.subarray(i0 * lda),
      lda,
      A,
      lda,
      beta,
      C.subarray(i0 * ldc),
      ldc,
    );
  }
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) C[i * ldc + j] = C[j * ldc + i];
}

// ------------------------------------------------------------------ fused and internal kernels

/**
 * The Wirtinger-flow gradient fused into one pass over A (m×n): `Az ← A z` and
 * `g ← scale · Σ_i ((a_iᵀz)² − y_i)(a_iᵀz) a_i` (numpy needs two passes: A z, then Aᵀ r).
 */
export function wfGradient(
  m: number,
  n: number,
  A: F64,
  lda: number,
  z: F64,
  y: F64,
  scale: number,
  Az: F64,
  g: F64,
): void {
  dim('m', m);
  dim('n', n);
  mat('A', A, m, n, lda, 'lda');
  vec('z', z, n);
  vec('y', y, m);
  vec('Az', Az, m);
  vec('g', g, n);
  const sa = span(m, n, lda);
  for (const [outName, out, len] of [
    ['Az', Az, m],
    ['g', g, n],
  ] as const) {
    noOverlap(outName, out, len, 'A', A, sa);
    noOverlap(outName, out, len, 'z', z, n);
    noOverlap(outName, out, len, 'y', y, m);
  }
  noOverlap('g', g, n, 'Az', Az, m);
  const ex = m * n >= CROSSOVER.gemvResident ? resident(A, z, y, Az, g) : undefined;
  if (ex) ex.dwfgrad(m, n, A.byteOffset, lda, z.byteOffset, y.byteOffset, scale, Az.byteOffset, g.byteOffset);
  else wfGradientJs(m, n, A, lda, z, y, scale, Az, g);
}

/**
 * Rotations of one implicit-QL sweep on rows lo..hi of w (see jsKernels.rotChainQlJs); wasm when
 * w, rc and rs are resident in one arena. No validation (internal, hot). @internal
 */
export function rotChainQl(
  w: F64,
  width: number,
  ldw: number,
  lo: number,
  hi: number,
  rc: F64,
  rs: F64,
): void {
  const ex = width >= CROSSOVER.rotations ? resident(w, rc, rs) : undefined;
  if (ex) ex.drotchainql(w.byteOffset, width, ldw, lo, hi, rc.byteOffset, rs.byteOffset);
  else rotChainQlJs(w, width, ldw, lo, hi, rc, rs);
}

/** Rotations of one bidiagonal-QR sweep (see jsKernels.rotChainSvdJs). @internal */
export function rotChainSvd(
  w: F64,
  width: number,
  ldw: number,
  lo: number,
  hi: number,
  rc: F64,
  rs: F64,
): void {
  const ex = width >= CROSSOVER.rotations ? resident(w, rc, rs) : undefined;
  if (ex) ex.drotchainsvd(w.byteOffset, width, ldw, lo, hi, rc.byteOffset, rs.byteOffset);
  else rotChainSvdJs(w, width, ldw, lo, hi, rc, rs);
}
