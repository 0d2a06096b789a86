/**
 * The measurement operator z ↦ Az and its adjoint r ↦ Aᵀr, the two products of every WF-type
 * iteration. Four implementations behind one interface, the SIMD ones on @descent/tensor's shared
 * kernel layer: float64 wasm SIMD kernels on a packed copy of A (tensor's `PackedMatrix`; default below
 * m·n = 131072: 4–10× the scalar loops, full float64 accuracy), float32 wasm SIMD kernels on a float32
 * copy of A (default above: the fastest, float32 accuracy ≈ 1e-7), float64 JavaScript loops (fallback
 * where wasm SIMD is missing) and a resident float32 tfjs tensor (two tf.matMul per iteration; slower
 * than both SIMD paths here, kept as an option).
 * @module
 */
import {
  KernelArena,
  kernelInfo,
  type Matrix,
  NotSupportedError,
  PackedMatrix,
  sgemv,
  sgemvT,
} from '@descent/tensor';
import type { ProductsMode } from './types';

/**
 * m·n from which `'auto'` switches from float64 to float32 SIMD products (n = 128 at m = 8n): above
 * it the f32x4 kernels measured 1.3–2× faster than float64 (and at least as fast as single-threaded
 * numpy float64 at n = 256, 512), at the float32 accuracy floor relErr ≈ 1e-7.
 */
export const FLOAT32_PRODUCTS_THRESHOLD = 131072;

/** The operator interface used by the solvers. Call {@link MeasurementOperator.dispose} when done. */
export interface MeasurementOperator {
  readonly m: number;
  readonly n: number;
  /** The float64 design (row-major, row i = a_iᵀ). */
  readonly A: Matrix;
  /** out ← A z (length m). */
  apply(z: Float64Array, out: Float64Array): Float64Array;
  /** out ← Aᵀ r (length n). */
  applyT(r: Float64Array, out: Float64Array): Float64Array;
  /** Which implementation runs the products. */
  readonly kind: 'float64' | 'float64-simd' | 'float32-simd' | 'float32-tensor';
  /** Frees the tensor (no-op for float64). */
  dispose(): void;
  /**
   * Optional fused WF gradient (SIMD kernels only): Az ← A z and g ← scale·Σ((a_iᵀz)² − y_i)(a_iᵀz)a_i
   * in one pass over A, after {@link MeasurementOperator.setResponses}.
   */
  wfGradient?(z: Float64Array, scale: number, Az: Float64Array, g: Float64Array): void;
  /** Sets y for {@link MeasurementOperator.wfGradient}. */
  setResponses?(y: Float64Array): void;
}

class Float64Operator implements MeasurementOperator {
  readonly kind = 'float64' as const;
  readonly m: number;
  readonly n: number;
  constructor(readonly A: Matrix) {
    this.m = A.rows;
    this.n = A.cols;
  }
  apply(z: Float64Array, out: Float64Array): Float64Array {
    const { m, n } = this;
    const d = this.A.data;
    for (let i = 0; i < m; i++) {
      const o = i * n;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let j = 0;
      for (; j + 3 < n; j += 4) {
        s0 += d[o + j] * z[j];
        s1 += d[o + j + 1] * z[j + 1];
        s2 += d[o + j + 2] * z[j + 2];
        s3 += d[o + j + 3] * z[j + 3];
      }
      for (; j < n; j++) s0 += d[o + j] * z[j];
      out[i] = s0 + s1 + s2 + s3;
    }
    return out;
  }
  applyT(r: Float64Array, out: Float64Array): Float64Array {
    const { m, n } = this;
    const d = this.A.data;
    out.fill(0);
    let i = 0;
    for (; i + 1 < m; i += 2) {
      const r0 = r[i];
      const r1 = r[i + 1];
      const o = i * n;
      const o1 = o + n;
      for (let j = 0; j < n; j++) out[j] += r0 * d[o + j] + r1 * d[o1 + j];
    }
    if (i < m) {
      const o = i * n;
      for (let j = 0; j < n; j++) out[j] += r[i] * d[o + j];
    }
    return out;
  }
  dispose(): void {}
}

/**
 * A float64 copy of A packed for @descent/tensor's packed wasm SIMD kernels ({@link PackedMatrix}):
 * A z, Aᵀ r and the WF gradient (both passes per 4-row block) without per-row address arithmetic
 * or tail loops; split between two threads after @descent/tensor's `enableKernelThreads()`.
 */
class SimdOperator implements MeasurementOperator {
  readonly kind = 'float64-simd' as const;
  readonly m: number;
  readonly n: number;
  private readonly packed: PackedMatrix;
  private yv: Float64Array;
  constructor(readonly A: Matrix) {
    this.m = A.rows;
    this.n = A.cols;
    this.packed = new PackedMatrix(A);
    this.yv = new Float64Array(this.m);
  }
  apply(z: Float64Array, out: Float64Array): Float64Array {
    this.packed.apply(z, out);
    return out;
  }
  applyT(r: Float64Array, out: Float64Array): Float64Array {
    this.packed.applyT(r, out);
    return out;
  }
  wfGradient(z: Float64Array, scale: number, Az: Float64Array, g: Float64Array): void {
    this.packed.wfGradient(z, this.yv, scale, Az, g);
  }
  setResponses(y: Float64Array): void {
    this.yv = Float64Array.from(y);
  }
  dispose(): void {
    this.packed.dispose(); // returns the kernel threads' shared memory (a no-op otherwise)
  }
}

/** A float32 copy of A in a kernel arena; products by the shared f32x4 kernels (float32 accuracy). */
class Simd32Operator implements MeasurementOperator {
  readonly kind = 'float32-simd' as const;
  readonly m: number;
  readonly n: number;
  private readonly a: Float32Array;
  private readonly vin: Float32Array;
  private readonly rin: Float32Array;
  private readonly out: Float32Array;
  constructor(
    readonly A: Matrix,
    arena: KernelArena,
  ) {
    const { rows: m, cols: n } = A;
    this.m = m;
    this.n = n;
    this.a = arena.copyF32(A.data);
    this.vin = arena.f32(n);
    this.rin = arena.f32(m);
    this.out = arena.f32(Math.max(m, n));
  }
  apply(z: Float64Array, out: Float64Array): Float64Array {
    this.vin.set(z);
    sgemv(this.m, this.n, 1, this.a, this.n, this.vin, 0, this.out);
    out.set(this.out.subarray(0, this.m));
    return out;
  }
  applyT(r: Float64Array, out: Float64Array): Float64Array {
    this.rin.set(r);
    sgemvT(this.m, this.n, 1, this.a, this.n, this.rin, 0, this.out);
    out.set(this.out.subarray(0, this.n));
    return out;
  }
  dispose(): void {}
}

/** An arena for A (bytes per entry) and its vectors, or null where the kernels are not wasm. */
function arenaFor(m: number, n: number, bytes: number): KernelArena | null {
  if (!kernelInfo().mode.startsWith('wasm')) return null;
  return new KernelArena(m * n * bytes + (3 * m + 2 * Math.max(m, n)) * 8 + 256);
}

/**
 * The `'float32-tensor'` implementation, registered by importing `@descent/robust-phase/tf` (so
 * that the main entry loads no tfjs).
 */
let tensorOperatorFactory: ((A: Matrix) => MeasurementOperator) | null = null;

/** Registers the tfjs implementation of `products: 'float32-tensor'` (done by `@descent/robust-phase/tf`). */
export function registerTensorOperator(factory: (A: Matrix) => MeasurementOperator): void {
  tensorOperatorFactory = factory;
}

/** Builds the operator for `mode` (see {@link ProductsMode}). */
export function makeOperator(A: Matrix, mode: ProductsMode = 'auto'): MeasurementOperator {
  if (mode === 'float32-tensor') {
    if (!tensorOperatorFactory) {
      throw new NotSupportedError(
        "products: 'float32-tensor' needs tfjs: add `import '@descent/robust-phase/tf'` (and call its ready())",
        'products',
      );
    }
    return tensorOperatorFactory(A);
  }
  const { rows: m, cols: n } = A;
  if (mode === 'float32-simd' || (mode === 'auto' && m * n >= FLOAT32_PRODUCTS_THRESHOLD)) {
    const arena = arenaFor(m, n, 4);
    if (arena) return new Simd32Operator(A, arena);
  }
  if ((mode === 'auto' || mode === 'float64-simd') && simdAvailable()) return new SimdOperator(A);
  return new Float64Operator(A);
}

/** True if the wasm SIMD kernels of @descent/tensor run here (the `*-simd` products modes). */
export function simdAvailable(): boolean {
  return kernelInfo().mode.startsWith('wasm');
}
