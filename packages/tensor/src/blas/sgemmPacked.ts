/**
 * A float32 right-hand operand packed once for many products `C ← α op(A) B + β C`: the float32
 * analogue of {@link PackedMatrix} for gemm. A layer's weights multiplied by batch after batch are
 * exactly what tfjs's wasm backend caches (XNNPACK keeps the packed B of each B tensor); with a
 * {@link PackedSgemmB} our sgemm skips B's packing in the same way.
 *
 * The packed layout is sgemm's own (wasm/kernels.ts: every kc×nc panel of 8-column micro-panels,
 * one after another), and the products run sgemm's loops and micro-kernel on it, so
 * `sgemmPacked(…, packB(B), …)` gives the same bits as `sgemm(…, B, …)` whenever sgemm runs in
 * wasm (m·n·k ≥ 4096 on arena-resident arrays, ≥ 8000 on ordinary ones).
 *
 * Where the packed data lives decides the copies: packed into a caller's {@link KernelArena}, the
 * products take A and C from that arena without copies (both must be resident in it); packed
 * without an arena, it lives in a private wasm memory and each product copies A in and C out
 * (O(m·k + m·n) against the O(m·n·k) product).
 * @module
 */
import { describe, ValueError } from '../errors';
import { KernelArena, ownerOf } from './arena';
import { gemmJs } from './jsKernels';
import { checkDim, checkMatrix, noOverlap2d, span } from './kernels';
import { instantiateKernels, type KernelExports } from './wasmModule';

const PAGE = 65536;
/** Largest wasm32 memory (as in ./arena.ts). */
const MAX_BYTES = 65535 * PAGE;
/** sgemm's micro-panel width (columns of B per micro-panel; wasm/kernels.ts SNR). */
const NR = 8;
/** sgemm's blocking of k and n (wasm/kernels.ts SKC, SNC): the packed panels follow it. */
const KC = 256;
const NC = 512;

/** Floats of packed op(B) (k×n): k · roundUp8(n). */
function packedSize(k: number, n: number): number {
  return k * ((n + NR - 1) & ~(NR - 1));
}

/**
 * Writes op(B) (k×n) into `dst` in sgemm's packed layout: for each column block j0 (NC wide) and
 * depth block p0 (KC deep), at float offset j0·k + p0·roundUp8(nc), the kc×nc panel as 8-column
 * micro-panels (kc rows of 8 floats each, the last one zero-padded). @internal
 */
export function packSgemmB(
  transB: boolean,
  k: number,
  n: number,
  B: Float32Array,
  ldb: number,
  dst: Float32Array,
): void {
  for (let j0 = 0; j0 < n; j0 += NC) {
    const nc = Math.min(NC, n - j0);
    const ncp = (nc + NR - 1) & ~(NR - 1);
    for (let p0 = 0; p0 < k; p0 += KC) {
      const kc = Math.min(KC, k - p0);
      const panel = j0 * k + p0 * ncp;
      for (let jb = 0; jb < nc; jb += NR) {
        const cols = Math.min(NR, nc - jb);
        let d = panel + jb * kc;
        for (let p = p0; p < p0 + kc; p++) {
          for (let c = 0; c < NR; c++) {
            const j = j0 + jb + c;
            dst[d++] = c >= cols ? 0 : transB ? B[j * ldb + p] : B[p * ldb + j];
          }
        }
      }
    }
  }
}

/**
 * op(B) (k×n, float32) packed once for repeated products {@link sgemmPacked}
 * `C ← α op(A) B + β C` (wasm SIMD where available; JavaScript loops on a row-major copy
 * otherwise). Packing reads B once (later changes to B are not seen); like sgemm it does not check
 * B's entries for finiteness (a NaN propagates to the products).
 *
 * ```ts
 * const W = new PackedSgemmB(false, k, n, weights, n); // weights: k×n row-major Float32Array
 * sgemmPacked(false, m, 1, X, k, W, 0, Y, n); // Y ← X W for batch after batch of X (m×k)
 * ```
 *
 * With `arena`, the packed data is allocated from that {@link KernelArena} (k · roundUp8(n) floats)
 * and the products require A and C in the same arena: no copies at all.
 */
export class PackedSgemmB {
  /** Rows of op(B) (the inner dimension of the products). */
  readonly k: number;
  /** Columns of op(B) (the columns of C). */
  readonly n: number;
  /** The arena the packed data was allocated from, if one was given. */
  readonly arena: KernelArena | undefined;
  /** Kernels of the memory holding the packed data (null: JavaScript, `data` is op(B) row-major). */
  private readonly ex: KernelExports | null;
  /** Packed op(B) (wasm) or a row-major k×n copy of op(B) (JavaScript); a view, refreshed after growth. */
  private data: Float32Array;
  /** Byte offset of the packed data in the kernels' memory. */
  private readonly at: number;
  /** Floats of packed data. */
  private readonly size: number;

  /**
   * Packs op(B), the k×n matrix B (transB = false, B k×n with leading dimension ldb) or Bᵀ (transB =
   * true, B n×k). Typed errors as sgemm's: {@link ValueError} for a bad size, leading dimension or
   * type, {@link ShapeError} when B is too short.
   */
  constructor(transB: boolean, k: number, n: number, B: Float32Array, ldb: number, arena?: KernelArena) {
    if (typeof transB !== 'boolean')
      throw new ValueError(`transB must be a boolean, got ${describe(transB)}`, 'transB');
    checkDim('k', k);
    checkDim('n', n);
    if (!(B instanceof Float32Array))
      throw new ValueError(`B must be a Float32Array, got ${describe(B)}`, 'B');
    if (transB) checkMatrix('B', B, n, k, ldb, 'ldb');
    else checkMatrix('B', B, k, n, ldb, 'ldb');
    if (arena !== undefined && !(arena instanceof KernelArena))
      throw new ValueError(`arena must be a KernelArena or undefined, got ${describe(arena)}`, 'arena');
    this.k = k;
    this.n = n;
    this.arena = arena;
    const ex = arena ? arena.exports : instantiateKernels();
    this.ex = ex;
    if (!ex) {
      // JavaScript: op(B) row-major (in the arena when one is given)
      this.size = k * n;
      this.data = arena ? arena.f32(k * n) : new Float32Array(k * n);
      this.at = 0;
      for (let p = 0; p < k; p++)
        for (let j = 0; j < n; j++) this.data[p * n + j] = transB ? B[j * ldb + p] : B[p * ldb + j];
      return;
    }
    this.size = packedSize(k, n);
    if (arena) {
      this.data = arena.f32(this.size);
      this.at = this.data.byteOffset;
    } else {
      // private memory: sgemm's scratch at 0, then the packed data, then room for copies of A and C
      this.at = (ex.sgemmWorkSize() * 4 + 63) & ~63;
      ensureBytes(ex, this.at + this.size * 4, 'B');
      this.data = new Float32Array(ex.memory.buffer, this.at, this.size);
    }
    packSgemmB(transB, k, n, B, ldb, this.data);
  }

  /**
   * `C ← α op(A) B + β C` with this packed B: the same as {@link sgemmPacked}`(transA, m, alpha, A,
   * lda, this, beta, C, ldc)`.
   */
  multiply(
    transA: boolean,
    m: number,
    alpha: number,
    A: Float32Array,
    lda: number,
    beta: number,
    C: Float32Array,
    ldc: number,
  ): void {
    const { k, n, ex } = this;
    if (typeof transA !== 'boolean')
      throw new ValueError(`transA must be a boolean, got ${describe(transA)}`, 'transA');
    checkDim('m', m);
    if (typeof alpha !== 'number' || !Number.isFinite(alpha))
      throw new ValueError(`alpha must be a finite number, got ${describe(alpha)}`, 'alpha');
    if (typeof beta !== 'number' || !Number.isFinite(beta))
      throw new ValueError(`beta must be a finite number, got ${describe(beta)}`, 'beta');
    if (!(A instanceof Float32Array))
      throw new ValueError(`A must be a Float32Array, got ${describe(A)}`, 'A');
    if (!(C instanceof Float32Array))
      throw new ValueError(`C must be a Float32Array, got ${describe(C)}`, 'C');
    if (transA) checkMatrix('A', A, k, m, lda, 'lda');
    else checkMatrix('A', A, m, k, lda, 'lda');
    checkMatrix('C', C, m, n, ldc, 'ldc');
    if (transA) noOverlap2d('C', C, m, n, ldc, 'A', A, k, m, lda);
    else noOverlap2d('C', C, m, n, ldc, 'A', A, m, k, lda);
    const P = this.packed;
    noOverlap2d('C', C, m, n, ldc, 'packedB', P, 1, P.length, P.length);
    if (!ex) {
      gemmJs(transA, false, m, n, k, alpha, A, lda, this.data, n, beta, C, ldc);
      return;
    }
    if (this.arena) {
      // zero-copy: A and C must be resident in the arena
      const owner = ownerOf(P.buffer);
      for (const [name, v] of [
        ['A', A],
        ['C', C],
      ] as const)
        if (v.buffer !== P.buffer || ownerOf(v.buffer) !== owner)
          throw new ValueError(
            `${name} must be resident in the KernelArena packedB was packed into (allocate it there, or pack B without an arena)`,
            name,
          );
      ex.sgemmpb(+transA, m, n, k, alpha, A.byteOffset, lda, this.at, beta, C.byteOffset, ldc, 0);
      return;
    }
    const sa = transA ? span(k, m, lda) : span(m, k, lda);
    const sc = span(m, n, ldc);
    if (sc === 0) return; // m = 0 or n = 0: C is empty
    const aAt = (this.at + this.size * 4 + 63) & ~63;
    const cAt = (aAt + sa * 4 + 63) & ~63;
    ensureBytes(ex, cAt + sc * 4, 'A');
    const buf = ex.memory.buffer;
    new Float32Array(buf, aAt, sa).set(sa === A.length ? A : A.subarray(0, sa));
    const c = new Float32Array(buf, cAt, sc);
    if (beta !== 0) c.set(sc === C.length ? C : C.subarray(0, sc));
    ex.sgemmpb(+transA, m, n, k, alpha, aAt, lda, this.at, beta, cAt, ldc, 0);
    if (ldc === n) C.set(c);
    else for (let i = 0; i < m; i++) C.set(c.subarray(i * ldc, i * ldc + n), i * ldc);
  }

  /** The packed floats (a view into the kernels' memory; tests and overlap checks). @internal */
  get packed(): Float32Array {
    if (this.data.buffer !== (this.ex?.memory.buffer ?? this.data.buffer))
      this.data = new Float32Array((this.ex as KernelExports).memory.buffer, this.at, this.size);
    return this.data;
  }
}

/** Grows the private memory of `ex` to at least `bytes` (a ValueError naming `name` beyond 4 GiB). */
function ensureBytes(ex: KernelExports, bytes: number, name: string): void {
  if (bytes > MAX_BYTES)
    throw new ValueError(
      `${name}: the product needs ${bytes} bytes of wasm memory, more than a wasm32 memory's 4 GiB`,
      name,
    );
  const have = ex.memory.buffer.byteLength;
  if (bytes > have) ex.memory.grow(Math.ceil((bytes - have) / PAGE));
}

/**
 * Float32 `C ← α op(A) B + β C` with B packed once ({@link PackedSgemmB}): C m×n, op(A) m×k (A
 * k×m when `transA`), k and n those of the packed B. Same bits as {@link sgemm} on the unpacked B
 * when that runs in wasm; β = 0 overwrites C without reading it. When B was packed into an arena,
 * A and C must be resident in that arena (zero-copy; a {@link ValueError} naming the one that is
 * not); otherwise any Float32Arrays work (copied in and out of the packed B's memory).
 */
export function sgemmPacked(
  transA: boolean,
  m: number,
  alpha: number,
  A: Float32Array,
  lda: number,
  packedB: PackedSgemmB,
  beta: number,
  C: Float32Array,
  ldc: number,
): void {
  if (!(packedB instanceof PackedSgemmB))
    throw new ValueError(`packedB must be a PackedSgemmB, got ${describe(packedB)}`, 'packedB');
  packedB.multiply(transA, m, alpha, A, lda, beta, C, ldc);
}
