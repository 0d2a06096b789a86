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
import { KernelArena, ownerOf, rawCopyF64 } from './arena';
import { CROSSOVER } from './crossovers';
import {
  gemmJs,
  gemvJs,
  gemvTJs,
  gerJs,
  hermiteNetworkGradientJs,
  hermiteSeriesAndDerivJs,
  INV_SQRT_TABLE,
  rotChainQlJs,
  rotChainSvdJs,
  SQRT_TABLE,
  symvLowerJs,
  syr2LowerJs,
  wfGradientJs,
} from './jsKernels';
import { type KernelExports, kernelModule } from './wasmModule';

type F64 = Float64Array;
type F32 = Float32Array;
type Arr = F64 | F32;

/** A size argument: an integer ≥ 0 (ValueError naming it). @internal */
export function checkDim(name: string, v: number): void {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0)
    throw new ValueError(`${name} must be an integer >= 0, got ${describe(v)}`, name);
}

/** Checks that `arr` holds a rows×cols matrix with leading dimension ld. @internal */
export function checkMatrix(name: string, arr: Arr, rows: number, cols: number, ld: number, ldName: string): void {
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

/**
 * Throws if the rows×cols region of `out` (leading dimension ld) shares an element with the
 * aRows×aCols region of `a` (leading dimension aLd). Exact for sub-matrices of one buffer with the
 * same leading dimension (blocked algorithms update a block next to the blocks they read);
 * otherwise conservative (contiguous spans).
 */
/** @internal (see above) */
export function noOverlap2d(
  outName: string,
  out: Arr,
  rows: number,
  cols: number,
  ld: number,
  name: string,
  a: Arr,
  aRows: number,
  aCols: number,
  aLd: number,
): void {
  if (a.buffer !== out.buffer || rows === 0 || cols === 0 || aRows === 0 || aCols === 0) return;
  const el = out.BYTES_PER_ELEMENT;
  if (
    ld === aLd &&
    cols <= ld &&
    aCols <= ld &&
    a.BYTES_PER_ELEMENT === el &&
    (a.byteOffset - out.byteOffset) % el === 0
  ) {
    // positions relative to out's first element: out is rows [0, rows) × cols [0, cols)
    const delta = (a.byteOffset - out.byteOffset) / el;
    const cA = ((delta % ld) + ld) % ld;
    const rA = (delta - cA) / ld;
    const hit = (r0: number, nr: number, c0: number, nc: number) =>
      r0 < rows && 0 < r0 + nr && c0 < cols && 0 < c0 + nc;
    // a's columns may wrap past the row end into the next row
    const first = Math.min(aCols, ld - cA);
    if (hit(rA, aRows, cA, first) || (aCols > first && hit(rA + 1, aRows, 0, aCols - first)))
      throw new ValueError(
        `${outName} must not overlap ${name} (the output of a BLAS kernel cannot alias its inputs)`,
        outName,
      );
    return;
  }
  noOverlap(outName, out, span(rows, cols, ld), name, a, span(aRows, aCols, aLd));
}

/** A vector (as a 1×len row in A's layout when it fits one) against the m×n region of A. */
function vecOverlap(
  vName: string,
  v: Arr,
  len: number,
  name: string,
  A: Arr,
  m: number,
  n: number,
  lda: number,
): void {
  if (len <= lda) noOverlap2d(vName, v, 1, len, lda, name, A, m, n, lda);
  else noOverlap(vName, v, len, name, A, span(m, n, lda));
}

/** Elements spanned by a rows×cols matrix with leading dimension ld. @internal */
export function span(rows: number, cols: number, ld: number): number {
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
  checkDim('m', m);
  checkDim('n', n);
  checkMatrix('A', A, m, n, lda, 'lda');
  vec('x', x, n);
  vec('y', y, m);
  vecOverlap('y', y, m, 'A', A, m, n, lda);
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
  checkDim('m', m);
  checkDim('n', n);
  checkMatrix('A', A, m, n, lda, 'lda');
  vec('x', x, m);
  vec('y', y, n);
  vecOverlap('y', y, n, 'A', A, m, n, lda);
  noOverlap('y', y, n, 'x', x, m);
  const ex = m * n >= CROSSOVER.gemvResident ? resident(A, x, y) : undefined;
  if (ex) ex.dgemvT(m, n, alpha, A.byteOffset, lda, x.byteOffset, beta, y.byteOffset);
  else gemvTJs(m, n, alpha, A, lda, x, beta, y);
}

/** Rank-1 update `A ← A + α x yᵀ` (A m×n, x of length m, y of length n). */
export function ger(m: number, n: number, alpha: number, x: F64, y: F64, A: F64, lda: number): void {
  checkDim('m', m);
  checkDim('n', n);
  checkMatrix('A', A, m, n, lda, 'lda');
  vec('x', x, m);
  vec('y', y, n);
  vecOverlap('x', x, m, 'A', A, m, n, lda);
  vecOverlap('y', y, n, 'A', A, m, n, lda);
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
  checkDim('m', m);
  checkDim('n', n);
  checkMatrix('A', A, m, n, lda, 'lda');
  vec('x', x, n);
  vec('y', y, m);
  vecOverlap('y', y, m, 'A', A, m, n, lda);
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
  checkDim('m', m);
  checkDim('n', n);
  checkMatrix('A', A, m, n, lda, 'lda');
  vec('x', x, m);
  vec('y', y, n);
  vecOverlap('y', y, n, 'A', A, m, n, lda);
  noOverlap('y', y, n, 'x', x, m);
  const ex = m * n >= CROSSOVER.gemvResident ? resident(A, x, y) : undefined;
  if (ex) ex.sgemvT(m, n, alpha, A.byteOffset, lda, x.byteOffset, beta, y.byteOffset);
  else gemvTJs(m, n, alpha, A, lda, x, beta, y);
}

/** Float32 rank-1 update `A ← A + α x yᵀ`. */
export function sger(m: number, n: number, alpha: number, x: F32, y: F32, A: F32, lda: number): void {
  checkDim('m', m);
  checkDim('n', n);
  checkMatrix('A', A, m, n, lda, 'lda');
  vec('x', x, m);
  vec('y', y, n);
  vecOverlap('x', x, m, 'A', A, m, n, lda);
  vecOverlap('y', y, n, 'A', A, m, n, lda);
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
  checkDim('m', m);
  checkDim('n', n);
  checkDim('k', k);
  if (ta) checkMatrix('A', A, k, m, lda, 'lda');
  else checkMatrix('A', A, m, k, lda, 'lda');
  if (tb) checkMatrix('B', B, n, k, ldb, 'ldb');
  else checkMatrix('B', B, k, n, ldb, 'ldb');
  checkMatrix('C', C, m, n, ldc, 'ldc');
  if (ta) noOverlap2d('C', C, m, n, ldc, 'A', A, k, m, lda);
  else noOverlap2d('C', C, m, n, ldc, 'A', A, m, k, lda);
  if (tb) noOverlap2d('C', C, m, n, ldc, 'B', B, n, k, ldb);
  else noOverlap2d('C', C, m, n, ldc, 'B', B, k, n, ldb);
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
  checkDim('n', n);
  checkDim('k', k);
  checkMatrix('A', A, n, k, lda, 'lda');
  checkMatrix('C', C, n, n, ldc, 'ldc');
  noOverlap2d('C', C, n, n, ldc, 'A', A, n, k, lda);
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
  checkDim('m', m);
  checkDim('n', n);
  checkMatrix('A', A, m, n, lda, 'lda');
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

/** Inputs of {@link hermiteNetworkGradient}. */
export interface HermiteNetworkGradientArgs {
  /** First layer, m×d row-major (row i = w_i). */
  W: Float64Array;
  m: number;
  d: number;
  /** Batch inputs, B×d row-major. */
  X: Float64Array;
  /** Batch labels (length B). */
  y: Float64Array;
  B: number;
  /** Coefficients c_0..c_K of σ = Σ c_k h_k (normalised Hermite polynomials), K ≤ 64. */
  coeffs: Float64Array;
  /** Derivative coefficients: σ' = Σ_k dc_k h_k, dc_k = √(k+1) c_{k+1} (length max(1, K)). */
  derivCoeffs: Float64Array;
  /** `'correlation'`: r = y; `'squared'`: r = y − f(x). */
  loss: 'correlation' | 'squared';
  /** Second-layer value a₀ (also the scale the direction is divided by when `a` is given). */
  a0: number;
  /** Trained second layer (length m); omitted: every a_i = a₀. */
  a?: Float64Array;
  /** Output (length m) for (1/B) Σ r σ(w_i·x) when `a` is given. */
  Ga?: Float64Array;
  /** Output m×d (overwritten). */
  G: Float64Array;
}

/**
 * The fused per-neuron ascent directions of a two-layer network f(x) = Σ_i a_i σ(w_i·x) with a
 * Hermite-series activation, as the batch mean (the spherical-SGD student step of
 * @descent/multi-index): `G_i ← (1/B) Σ_b r_b σ'(w_i·x_b) (a_i/a₀) x_b`, one pass over the batch
 * (each x_b serves its m dot products and m axpys while in L1). Returns the batch mean of r².
 * wasm SIMD when available (operands copied into a shared arena: O(B·d + m·d) against the
 * O(B·m·d) work), JavaScript otherwise. Validates only shapes (callers validate values).
 */
export function hermiteNetworkGradient(args: HermiteNetworkGradientArgs): number {
  if (args === null || typeof args !== 'object')
    throw new ValueError(`args must be an object of arrays and sizes, got ${describe(args)}`, 'args');
  const { W, m, d, X, y, B, coeffs, derivCoeffs, loss, a0, a, Ga, G } = args;
  checkDim('m', m);
  checkDim('d', d);
  checkDim('B', B);
  vec('W', W, m * d);
  vec('X', X, B * d);
  vec('y', y, B);
  vec('G', G, m * d);
  const K = coeffs.length - 1;
  if (K < 0 || K > 64) throw new ShapeError(`coeffs must have length 1..65, got ${coeffs.length}`, 'coeffs');
  if (derivCoeffs.length < Math.max(1, K))
    throw new ShapeError(
      `derivCoeffs must have length >= ${Math.max(1, K)}, got ${derivCoeffs.length}`,
      'derivCoeffs',
    );
  if (a) vec('a', a, m);
  if (a && !Ga)
    throw new ValueError('Ga must be given with a (the second-layer direction is written there)', 'Ga');
  if (Ga) vec('Ga', Ga, m);
  const squared = loss === 'squared';
  if (!squared && loss !== 'correlation')
    throw new ValueError(`loss must be 'correlation' or 'squared', got ${describe(loss)}`, 'loss');
  const work = B * m * d;
  if (work >= CROSSOVER.hermiteGradient && kernelModule() !== null) {
    const doubles = 2 * m * d + B * d + B + 2 * (K + 1) + 2 * 65 + (a ? 2 * m : 0) + (B + 1) * m + 16;
    const arena = sharedArena(doubles * 8 + 256);
    if (arena) {
      const w = rawCopyF64(arena, W.subarray(0, m * d));
      const x = rawCopyF64(arena, X.subarray(0, B * d));
      const yy = rawCopyF64(arena, y.subarray(0, B));
      const c = rawCopyF64(arena, coeffs);
      const dc = rawCopyF64(arena, derivCoeffs.subarray(0, Math.max(1, K)));
      const sq = rawCopyF64(arena, SQRT_TABLE);
      const isq = rawCopyF64(arena, INV_SQRT_TABLE);
      const aa = a ? rawCopyF64(arena, a.subarray(0, m)) : null;
      const ga = aa ? arena.f64(m) : null;
      const g = arena.f64(m * d);
      const scratch = arena.f64((B + 1) * m);
      const ex = arena.exports as KernelExports;
      const r = ex.dhermitegrad(
        B,
        d,
        m,
        w.byteOffset,
        x.byteOffset,
        yy.byteOffset,
        K,
        c.byteOffset,
        dc.byteOffset,
        sq.byteOffset,
        isq.byteOffset,
        squared ? 1 : 0,
        aa ? aa.byteOffset : 0,
        a0,
        g.byteOffset,
        ga ? ga.byteOffset : 0,
        scratch.byteOffset,
      );
      G.set(g);
      if (Ga && ga) Ga.set(ga);
      return r;
    }
  }
  return hermiteNetworkGradientJs(W, m, d, X, y, B, coeffs, derivCoeffs, squared, a0, a, Ga, G);
}

/**
 * `B ← B L⁻ᵀ` for L lower triangular nb×nb and B m×nb (the panel solve of a blocked Cholesky,
 * L21 = A21 L11⁻ᵀ), by forward substitution on each row. wasm when L and B are resident in one
 * arena. No validation (internal). @internal
 */
export function trsmRightLowerT(m: number, nb: number, L: F64, ldl: number, B: F64, ldb: number): void {
  const ex = m * nb >= CROSSOVER.gemvResident ? resident(L, B) : undefined;
  if (ex) {
    ex.dtrsmrlt(m, nb, L.byteOffset, ldl, B.byteOffset, ldb);
    return;
  }
  for (let i = 0; i < m; i++) {
    const bi = i * ldb;
    for (let j = 0; j < nb; j++) {
      const lj = j * ldl;
      let s = B[bi + j];
      for (let p = 0; p < j; p++) s -= B[bi + p] * L[lj + p];
      B[bi + j] = s / L[lj + j];
    }
  }
}

/**
 * out[t] ← ‖x_i − x_j‖² for the pairs i < j in row-major order (wasm `dpdistu`) when x (n×d) and
 * out are resident in one arena; returns false (nothing done) otherwise. No validation (internal).
 * @internal
 */
export function pairDistancesUpper(n: number, d: number, x: F64, out: F64): boolean {
  const ex = resident(x, out);
  if (!ex) return false;
  ex.dpdistu(n, d, x.byteOffset, out.byteOffset);
  return true;
}

/**
 * out[t] ← exp(−scale · u[t]) (u ≥ 0, scale > 0) with the wasm SIMD exp (within 2 ulp of Math.exp)
 * when u and out are resident in one arena; returns false (nothing done) otherwise. @internal
 */
export function expNegResident(u: F64, scale: number, out: F64): boolean {
  const ex = resident(u, out);
  if (!ex) return false;
  ex.dexpneg(Math.min(u.length, out.length), u.byteOffset, scale, out.byteOffset);
  return true;
}

/**
 * The RBF kernel matrix off the diagonal from the pair distances u (i < j, row-major; as
 * `pairDistancesUpper` writes them): K[i, j] = K[j, i] = exp(−scale·u_ij) (diagonal untouched) and
 * rows[i] += Σ_{j≠i} K[i, j], in wasm when u, K and rows are resident in one arena; returns false
 * (nothing done) otherwise. No validation (internal). @internal
 */
export function rbfKernelSymResident(n: number, u: F64, scale: number, K: F64, rows: F64): boolean {
  const ex = resident(u, K, rows);
  if (!ex) return false;
  ex.drbfsym(n, u.byteOffset, scale, K.byteOffset, rows.byteOffset);
  return true;
}

/**
 * One panel of a blocked LU with partial pivoting in wasm (see `dlupanel` in wasm/kernels.ts):
 * columns k0..k0+nb−1 of the n×n row-major A, rows swapped in full; ipiv[k − k0] ← pivot row.
 * Returns whether a pivot was zero, or undefined (nothing done) when A and ipiv are not resident
 * in one kernel arena. No validation (internal). @internal
 */
export function luPanel(n: number, A: F64, k0: number, nb: number, ipiv: Int32Array): boolean | undefined {
  const ex = ownerOf(A.buffer);
  if (!ex || ipiv.buffer !== A.buffer) return undefined;
  return ex.dlupanel(n, A.byteOffset, n, k0, nb, ipiv.byteOffset) !== 0;
}

/**
 * `B ← L⁻¹ B` for L unit lower triangular nb×nb and B nb×w: row r of B −= L[r, p] row p for p < r
 * in order of p (the U₁₂ block row of a blocked LU). wasm when L and B are resident in one arena.
 * No validation (internal). @internal
 */
export function trsmLeftLowerUnit(nb: number, w: number, L: F64, ldl: number, B: F64, ldb: number): void {
  const ex = nb * w >= CROSSOVER.gemvResident ? resident(L, B) : undefined;
  if (ex) {
    ex.dtrsmllu(nb, w, L.byteOffset, ldl, B.byteOffset, ldb);
    return;
  }
  for (let r = 1; r < nb; r++) {
    const br = r * ldb;
    for (let p = 0; p < r; p++) {
      const l = L[r * ldl + p];
      if (l === 0) continue;
      const bp = p * ldb;
      for (let j = 0; j < w; j++) B[br + j] -= l * B[bp + j];
    }
  }
}

/** `y ← A x` for symmetric A (m×m) stored in its lower triangle. No validation (internal). @internal */
export function symvLower(m: number, A: F64, lda: number, x: F64, y: F64): void {
  const ex = m * m >= 2 * CROSSOVER.gemvResident ? resident(A, x, y) : undefined;
  if (ex) ex.dsymvl(m, A.byteOffset, lda, x.byteOffset, y.byteOffset);
  else symvLowerJs(m, A, lda, x, y);
}

/** `A ← A + α (x yᵀ + y xᵀ)` on the lower triangle of the m×m A. No validation (internal). @internal */
export function syr2Lower(m: number, alpha: number, x: F64, y: F64, A: F64, lda: number): void {
  const ex = m * m >= 2 * CROSSOVER.gemvResident ? resident(A, x, y) : undefined;
  if (ex) ex.dsyr2l(m, alpha, x.byteOffset, y.byteOffset, A.byteOffset, lda);
  else syr2LowerJs(m, alpha, x, y, A, lda);
}

/**
 * The forward pass `out_b = Σ_i σ(w_i·x_b)` of a sum of Hermite-series ridge functions over the B
 * rows of X (B×d), W m×d, σ = Σ_k c_k h_k (normalised Hermite polynomials, K ≤ 64): the labels of
 * a multi-index target. wasm SIMD above the crossover (operands copied into the shared arena),
 * JavaScript otherwise.
 */
export function hermiteNetworkForward(
  W: Float64Array,
  m: number,
  d: number,
  X: Float64Array,
  B: number,
  coeffs: Float64Array,
  out: Float64Array,
): Float64Array {
  checkDim('m', m);
  checkDim('d', d);
  checkDim('B', B);
  vec('W', W, m * d);
  vec('X', X, B * d);
  vec('out', out, B);
  const K = coeffs.length - 1;
  if (K < 0 || K > 64) throw new ShapeError(`coeffs must have length 1..65, got ${coeffs.length}`, 'coeffs');
  if (B * m * d >= CROSSOVER.hermiteGradient && kernelModule() !== null) {
    const arena = sharedArena((m * d + B * d + B + K + 1 + 130 + B * m + 16) * 8 + 256);
    if (arena) {
      const w = rawCopyF64(arena, W.subarray(0, m * d));
      const x = rawCopyF64(arena, X.subarray(0, B * d));
      const c = rawCopyF64(arena, coeffs);
      const sq = rawCopyF64(arena, SQRT_TABLE);
      const isq = rawCopyF64(arena, INV_SQRT_TABLE);
      const o = arena.f64(B);
      const scratch = arena.f64(B * m);
      (arena.exports as KernelExports).dhermiteforward(
        B,
        d,
        m,
        w.byteOffset,
        x.byteOffset,
        K,
        c.byteOffset,
        sq.byteOffset,
        isq.byteOffset,
        o.byteOffset,
        scratch.byteOffset,
      );
      out.set(o);
      return out;
    }
  }
  const vd = new Float64Array(2);
  const dc = new Float64Array(Math.max(1, K));
  for (let b = 0; b < B; b++) {
    let f = 0;
    for (let i = 0; i < m; i++) {
      let z = 0;
      for (let j = 0; j < d; j++) z += W[i * d + j] * X[b * d + j];
      hermiteSeriesAndDerivJs(coeffs, dc, z, vd);
      f += vd[0];
    }
    out[b] = f;
  }
  return out;
}

/**
 * Bulk standard normals for {@link Rng}: the xoshiro128** + ziggurat loop of src/rng.ts run as a
 * wasm kernel (with the host's Math.exp/Math.log for the wedge and tail tests, so the output is
 * bit-identical). `state` holds the generator's four int32 words (read and written back). Returns
 * false (nothing done) below the crossover or without wasm. @internal
 */
export function zigguratFill(
  out: Float64Array | Float32Array,
  state: Int32Array,
  kn: Uint32Array,
  wn: Float64Array,
  fn: Float64Array,
): boolean {
  const n = out.length;
  if (n < CROSSOVER.normals || kernelModule() === null) return false;
  const arena = sharedArena(n * 8 + 2 * 8 + 64 * 8 + 2 * 128 * 8 + 256);
  if (!arena) return false;
  const o = arena.f64(n);
  const stBuf = arena.f64(2);
  const st = new Int32Array(stBuf.buffer, stBuf.byteOffset, 4);
  const knBuf = arena.f64(64);
  new Uint32Array(knBuf.buffer, knBuf.byteOffset, 128).set(kn);
  const w = rawCopyF64(arena, wn);
  const f = rawCopyF64(arena, fn);
  st.set(state);
  (arena.exports as KernelExports).zigfill(
    o.byteOffset,
    n,
    st.byteOffset,
    knBuf.byteOffset,
    w.byteOffset,
    f.byteOffset,
  );
  out.set(o);
  state.set(st);
  return true;
}
