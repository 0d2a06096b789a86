/**
 * The SV-ES kernel terms on float32 tfjs tensors (wasm when `ready()` selected it): a few ops
 * regardless of the number of particles, so they pay off over the float64 loops for many
 * particles (see the bench). Part of `@descent/stein-es/tf`.
 * @module
 */
import { rbf, readMatrix, readVector } from '@descent/tensor';
import { kernelMatrixTensor, tf } from '@descent/tensor/tf';

// Module-level alias: global lookups are slow inside jest's vm context (jest#5163).
const F64 = Float64Array;

/** Flattens n points of dimension d into a float32 row-major buffer (validated as a matrix). */
function flat32(points: ArrayLike<ArrayLike<number>>): { flat: Float32Array; n: number; d: number } {
  const M = readMatrix(points, 'points');
  return { flat: Float32Array.from(M.data), n: M.rows, d: M.cols };
}

/**
 * `rbfRepulsion` computed with float32 tfjs tensors (wasm when `ready()` selected it):
 * r = (M ∘ rowsum(K) − K M) / (n h²) with K from @descent/tensor/tf's `kernelMatrixTensor`. A few ops
 * regardless of n, so it pays off over the float64 loops for large n (see the bench).
 */
export function rbfRepulsionTensor(points: ArrayLike<ArrayLike<number>>, h: number): Float64Array[] {
  const { flat, n, d } = flat32(points);
  const kernel = rbf({ bandwidth: h });
  const data = tf.tidy(() => {
    const M = tf.tensor2d(flat, [n, d]);
    const K = kernelMatrixTensor(kernel, M);
    const rowSum = tf.sum(K, 1, true);
    const R = tf.div(tf.sub(tf.mul(M, rowSum), tf.matMul(K, M)), n * h * h);
    return R.dataSync();
  });
  const out: Float64Array[] = [];
  for (let i = 0; i < n; i++) out.push(F64.from(data.subarray(i * d, (i + 1) * d)));
  return out;
}

/**
 * The SVGD direction φ(x_i) = (1/n) Σ_j [k(x_j, x_i) s_j + ∇_{x_j} k(x_j, x_i)] with float32 tfjs
 * tensors (K from @descent/tensor/tf's `kernelMatrixTensor`): φ = (K S + (X ∘ rowsum(K) − K X)/h²)/n.
 * `scores` is n × d row-major. Returns φ as n × d row-major float64.
 */
export function svgdDirectionTensor(
  points: ArrayLike<ArrayLike<number>>,
  scores: ArrayLike<number>,
  h: number,
): Float64Array {
  const { flat, n, d } = flat32(points);
  const s32 = Float32Array.from(readVector(scores, 'scores', { length: n * d }));
  const kernel = rbf({ bandwidth: h });
  const data = tf.tidy(() => {
    const X = tf.tensor2d(flat, [n, d]);
    const S = tf.tensor2d(s32, [n, d]);
    const K = kernelMatrixTensor(kernel, X);
    const rowSum = tf.sum(K, 1, true);
    const rep = tf.div(tf.sub(tf.mul(X, rowSum), tf.matMul(K, X)), h * h);
    return tf.div(tf.add(tf.matMul(K, S), rep), n).dataSync();
  });
  return Float64Array.from(data);
}
