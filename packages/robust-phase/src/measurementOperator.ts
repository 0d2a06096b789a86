/**
 * The measurement operator z ↦ Az and its adjoint r ↦ Aᵀr, the two products of every WF-type
 * iteration. Four implementations behind one interface: float64 wasm SIMD kernels (default below
 * m·n = 131072: 4–10× the scalar loops, full float64 accuracy), float32 wasm SIMD kernels on a float32
 * copy of A (default above: the fastest, float32 accuracy ≈ 1e-7), float64 JavaScript loops (fallback
 * where wasm SIMD is missing) and a resident float32 tfjs tensor (two tf.matMul per iteration; slower
 * than both SIMD paths here, kept as an option).
 * @module
 */
import { type Matrix, NotSupportedError } from '@descent/tensor';
import type { ProductsMode } from './types';
import { type SimdMatrix, makeSimdMatrix, makeSimdMatrix32 } from './wasmSimdKernels';

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

class SimdOperator implements MeasurementOperator {
  readonly kind = 'float64-simd' as const;
  readonly m: number;
  readonly n: number;
  constructor(
    readonly A: Matrix,
    private readonly simd: SimdMatrix,
  ) {
    this.m = A.rows;
    this.n = A.cols;
  }
  apply(z: Float64Array, out: Float64Array): Float64Array {
    return this.simd.apply(z, out);
  }
  applyT(r: Float64Array, out: Float64Array): Float64Array {
    return this.simd.applyT(r, out);
  }
  wfGradient(z: Float64Array, scale: number, Az: Float64Array, g: Float64Array): void {
    this.simd.wfGradient(z, scale, Az, g);
  }
  setResponses(y: Float64Array): void {
    this.simd.setResponses(y);
  }
  dispose(): void {}
}

class Simd32Operator implements MeasurementOperator {
  readonly kind = 'float32-simd' as const;
  readonly m: number;
  readonly n: number;
  constructor(
    readonly A: Matrix,
    private readonly simd: Pick<SimdMatrix, 'apply' | 'applyT'>,
  ) {
    this.m = A.rows;
    this.n = A.cols;
  }
  apply(z: Float64Array, out: Float64Array): Float64Array {
    return this.simd.apply(z, out);
  }
  applyT(r: Float64Array, out: Float64Array): Float64Array {
    return this.simd.applyT(r, out);
  }
  dispose(): void {}
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
  if (mode === 'float32-simd') {
    const simd32 = makeSimdMatrix32(A.data, A.rows, A.cols);
    if (simd32) return new Simd32Operator(A, simd32);
  }
  if (mode === 'auto' && A.rows * A.cols >= FLOAT32_PRODUCTS_THRESHOLD) {
    const simd32 = makeSimdMatrix32(A.data, A.rows, A.cols);
    if (simd32) return new Simd32Operator(A, simd32);
  }
  if (mode === 'auto' || mode === 'float64-simd') {
    const simd = makeSimdMatrix(A.data, A.rows, A.cols);
    if (simd) return new SimdOperator(A, simd);
  }
  return new Float64Operator(A);
}
