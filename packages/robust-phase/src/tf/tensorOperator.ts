/**
 * The `products: 'float32-tensor'` measurement operator: a resident float32 tfjs tensor, two
 * tf.matMul per iteration on the active backend. Lives behind `@descent/robust-phase/tf` so that
 * the main entry loads no tfjs.
 * @module
 */
import type { Matrix } from '@descent/tensor';
import { tf } from '@descent/tensor/tf';
import type { MeasurementOperator } from '../measurementOperator';

/** {@link MeasurementOperator} on a resident float32 tensor (the caller disposes it). */
export class TensorOperator implements MeasurementOperator {
  readonly kind = 'float32-tensor' as const;
  readonly m: number;
  readonly n: number;
  private readonly At: tf.Tensor2D;
  constructor(readonly A: Matrix) {
    this.m = A.rows;
    this.n = A.cols;
    this.At = tf.tensor2d(Float32Array.from(A.data), [this.m, this.n], 'float32');
  }
  apply(z: Float64Array, out: Float64Array): Float64Array {
    const res = tf.tidy(() => tf.matMul(this.At, tf.tensor2d(Float32Array.from(z), [this.n, 1])));
    out.set(res.dataSync());
    res.dispose();
    return out;
  }
  applyT(r: Float64Array, out: Float64Array): Float64Array {
    const res = tf.tidy(() => tf.matMul(tf.tensor2d(Float32Array.from(r), [1, this.m]), this.At));
    out.set(res.dataSync());
    res.dispose();
    return out;
  }
  dispose(): void {
    this.At.dispose();
  }
}
