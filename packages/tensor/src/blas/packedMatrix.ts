/**
 * A matrix packed once for many products with vectors on both sides: `A z`, `Aᵀ r` and the fused
 * Wirtinger-flow gradient, the three products of every WF-type iteration (robust-phase's
 * measurement operator). Packing (rows in blocks of four, column pairs interleaved, zero padding
 * to multiples of four) lets one pointer with constant offsets walk the data and removes every
 * tail loop; see wasm/packedGemv.mjs (the generator of `dpgemv`, `dpgemvT`, `dpwfgrad`). Measured on the
 * 2-core EPYC (n = 256, m = 8n, plain SIMD): `A z` 90 → 61 µs against the row-major gemv, the WF
 * gradient 171 → 123 µs against the row-major one-pass {@link wfGradient} (relaxed SIMD 152 → 104 µs).
 * @module
 */
import { describe, ValueError } from '../errors';
import { readBuffer } from '../input/readBuffer';
import { readMatrix } from '../input/readMatrix';
import type { MatrixLike } from '../matrix';
import { KernelArena } from './arena';
import { gemvJs, gemvTJs, wfGradientJs } from './jsKernels';
import {
  JOB_GEMV,
  JOB_GEMVT,
  JOB_WFGRAD,
  type KernelThreadPool,
  kernelThreadPool,
  type SharedRegion,
  THREAD_MIN_DOUBLES,
  THREAD_PARTS,
} from './kernelThreads';
import { type KernelExports, kernelModule } from './wasmModule';

/**
 * An m×n float64 matrix packed for repeated matrix–vector products (wasm SIMD where available,
 * JavaScript loops otherwise). The products read their vectors and write caller-owned outputs
 * (copied in and out of the kernels' memory: O(m + n) against the O(mn) product); like BLAS they
 * do not check the vectors' entries for finiteness (a NaN propagates to the outputs), only their
 * types and lengths.
 *
 * ```ts
 * const P = new PackedMatrix(A); // A: Matrix, nested arrays or a rank-2 tensor (copied, checked finite)
 * P.apply(z, Az); // Az ← A z
 * P.applyT(r, g); // g ← Aᵀ r
 * P.wfGradient(z, y, 1 / m, Az, g); // Az ← A z, g ← (1/m) Σ ((a_iᵀz)² − y_i)(a_iᵀz) a_i
 * ```
 */
export class PackedMatrix {
  /** m. */
  readonly rows: number;
  /** n. */
  readonly cols: number;
  private readonly ex: KernelExports | null;
  /** The kernel threads' pool when this matrix lives in its shared memory (see kernelThreads.ts). */
  private readonly pool: KernelThreadPool | null;
  private readonly region: SharedRegion | null;
  /** Row parts of a threaded product (1 otherwise). */
  private readonly parts: number;
  private readonly m4: number;
  private readonly n4: number;
  /** Packed A (wasm) or a row-major copy (JavaScript). */
  private readonly a: Float64Array;
  private readonly zv: Float64Array;
  /** Aᵀ r: n4 doubles, or one row of n4 per part (threaded: summed in part order). */
  private readonly gv: Float64Array;
  private readonly azv: Float64Array;
  private readonly yv: Float64Array;
  private readonly rv: Float64Array;
  /** Byte offsets of a, zv, yv, azv, gv, rv in the kernels' memory. */
  private readonly at: { a: number; z: number; y: number; az: number; g: number; r: number };
  private disposed = false;

  /**
   * Packs `A` (read by `readMatrix`: finite entries, typed errors naming `A`). With
   * {@link enableKernelThreads} on and at least {@link THREAD_MIN_DOUBLES} padded entries, A is
   * packed into the kernel threads' shared memory and every product is split between two threads
   * (see kernelThreads.ts; call {@link PackedMatrix.dispose} to return that memory early).
   */
  constructor(A: MatrixLike) {
    const M = readMatrix(A, 'A');
    const m = M.rows;
    const n = M.cols;
    this.rows = m;
    this.cols = n;
    this.m4 = (m + 3) & ~3;
    this.n4 = (n + 3) & ~3;
    const { m4, n4 } = this;
    const pool = m4 * n4 >= THREAD_MIN_DOUBLES ? kernelThreadPool() : null;
    this.pool = pool;
    this.parts = pool ? Math.min(THREAD_PARTS, m4 >> 2) : 1;
    const doubles = [pool || kernelModule() ? m4 * n4 : m * n, n4, this.parts * n4, m4, m4, m4];
    let views: Float64Array[];
    if (pool) {
      const bytes = doubles.reduce((t, d) => t + ((d * 8 + 63) & ~63), 0);
      const region = pool.alloc(bytes);
      this.region = region;
      let off = region.offset;
      views = doubles.map((d) => {
        const v = new Float64Array(pool.buffer, off, d);
        off += (d * 8 + 63) & ~63;
        return v;
      });
      this.ex = null;
      released.register(this, { pool, region }, this);
    } else {
      this.region = null;
      const arena = new KernelArena(doubles.reduce((t, d) => t + d * 8 + 16, 0) + 256);
      this.ex = arena.exports;
      views = doubles.map((d) => arena.f64(d));
    }
    [this.a, this.zv, this.gv, this.azv, this.yv, this.rv] = views;
    const [a, z, g, az, y, r] = views.map((v) => v.byteOffset);
    this.at = { a, z, y, az, g, r };
    if (pool || this.ex) packRows(this.a, M.data, m, n);
    else this.a.set(M.data);
  }

  /** True when this matrix's products are split between two threads ({@link enableKernelThreads}). */
  get threaded(): boolean {
    return this.pool !== null && !this.pool.stopped;
  }

  /**
   * Returns a threaded matrix's shared memory to the kernel threads' allocator now (else it is
   * returned when the matrix is garbage-collected); the matrix is unusable afterwards (its
   * products throw a `ValueError`). Idempotent; for a matrix in its own arena it only marks it.
   */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.pool && this.region) {
      released.unregister(this);
      this.pool.release(this.region);
    }
  }

  private live(): void {
    if (this.disposed) throw new ValueError('this PackedMatrix was disposed', 'this');
  }

  /** g[0..n) ← the parts' partial Aᵀ r summed in part order (threaded), or the one row. */
  private gradientOut(g: Float64Array): void {
    const { cols: n, n4, parts, gv } = this;
    if (parts === 1) {
      g.set(gv.subarray(0, n));
      return;
    }
    for (let j = 0; j < n; j++) {
      let s = gv[j];
      for (let p = 1; p < parts; p++) s += gv[p * n4 + j];
      g[j] = s;
    }
  }

  /** out[0..m) ← A z (z of length ≥ n; out of length ≥ m). */
  apply(z: Float64Array, out: Float64Array): void {
    const { rows: m, cols: n } = this;
    this.live();
    readBuffer(z, 'z', { minLength: n, finite: false });
    readBuffer(out, 'out', { minLength: m, finite: false });
    this.zv.set(n === z.length ? z : z.subarray(0, n)); // the input is copied first: out may be z
    const { ex, pool, m4, n4, at } = this;
    if (!pool && !ex) {
      gemvJs(m, n, 1, this.a, n, this.zv, 0, out);
      return;
    }
    if (pool) pool.run(JOB_GEMV, this.parts, m4, n4, at.a, at.z, 0, 0, at.az, 0);
    else ex?.dpgemv(m4, n4, at.a, at.z, at.az);
    out.set(this.azv.subarray(0, m));
  }

  /** out[0..n) ← Aᵀ r (r of length ≥ m; out of length ≥ n). */
  applyT(r: Float64Array, out: Float64Array): void {
    const { rows: m, cols: n } = this;
    this.live();
    readBuffer(r, 'r', { minLength: m, finite: false });
    readBuffer(out, 'out', { minLength: n, finite: false });
    this.rv.set(m === r.length ? r : r.subarray(0, m));
    const { ex, pool, m4, n4, at } = this;
    if (!pool && !ex) {
      gemvTJs(m, n, 1, this.a, n, this.rv, 0, out);
      return;
    }
    if (pool) pool.run(JOB_GEMVT, this.parts, m4, n4, at.a, at.r, 0, 0, 0, at.g);
    else ex?.dpgemvT(m4, n4, at.a, at.r, at.g);
    this.gradientOut(out);
  }

  /**
   * The Wirtinger-flow gradient: `Az ← A z` and `g ← scale · Σ_i ((a_iᵀz)² − y_i)(a_iᵀz) a_i`
   * (z, g of length ≥ n; y, Az of length ≥ m). Both passes per block of four rows (the second
   * reads the block from L1), which measured faster than one pass over the rows (see the module notes).
   */
  wfGradient(z: Float64Array, y: Float64Array, scale: number, Az: Float64Array, g: Float64Array): void {
    const { rows: m, cols: n } = this;
    this.live();
    readBuffer(z, 'z', { minLength: n, finite: false });
    readBuffer(y, 'y', { minLength: m, finite: false });
    if (typeof scale !== 'number')
      throw new ValueError(`scale must be a number, got ${describe(scale)}`, 'scale');
    readBuffer(Az, 'Az', { minLength: m, finite: false });
    readBuffer(g, 'g', { minLength: n, finite: false });
    if (
      Az.buffer === g.buffer &&
      Az.byteOffset < g.byteOffset + n * 8 &&
      g.byteOffset < Az.byteOffset + m * 8
    )
      throw new ValueError('g must not overlap Az (both are outputs)', 'g');
    this.zv.set(n === z.length ? z : z.subarray(0, n));
    this.yv.set(m === y.length ? y : y.subarray(0, m));
    const { ex, pool, m4, n4, at } = this;
    if (!pool && !ex) {
      wfGradientJs(m, n, this.a, n, this.zv, this.yv, scale, Az, g);
      return;
    }
    if (pool) pool.run(JOB_WFGRAD, this.parts, m4, n4, at.a, at.z, at.y, scale, at.az, at.g);
    else ex?.dpwfgrad(m4, n4, at.a, at.z, at.y, scale, at.az, at.g);
    Az.set(this.azv.subarray(0, m));
    this.gradientOut(g);
  }
}

/** Returns a threaded matrix's region when the matrix is garbage-collected without dispose(). */
const released = new FinalizationRegistry<{ pool: KernelThreadPool; region: SharedRegion }>(
  ({ pool, region }) => pool.release(region),
);

/**
 * Packs the row-major m×n `data` into `dst` (m4·n4 doubles) in the layout of the packed kernels
 * (wasm/kernels.ts): blocks of four rows, inside a block the four rows' entries (j, j+1) adjacent,
 * zero padding to multiples of four. @internal
 */
export function packRows(dst: Float64Array, data: Float64Array, m: number, n: number): void {
  const n4 = (n + 3) & ~3;
  const m4 = (m + 3) & ~3;
  let d = 0;
  for (let i = 0; i < m4; i += 4) {
    for (let j = 0; j < n4; j += 2) {
      for (let r = 0; r < 4; r++) {
        const row = i + r;
        for (let c = 0; c < 2; c++) {
          const col = j + c;
          dst[d++] = row < m && col < n ? data[row * n + col] : 0;
        }
      }
    }
  }
}
