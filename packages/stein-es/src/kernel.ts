/**
 * The RBF kernel of SV-ES on a small set of float64 points (the P means): the kernel spec
 * (@descent/tensor's `{ type: 'rbf', bandwidth }`, h = evosax's `kernel_std`; the author's original
 * `bandwidth` b equals h²) and the SVGD repulsion, thin adapters over @descent/tensor's `rbf`,
 * `resolveKernelSpec` and `gradX`.
 * @module
 */
import {
  Matrix,
  type RbfKernelSpec,
  rbf,
  readKernelSpec,
  readVector,
  resolveKernelSpec,
  tf,
} from '@descent/tensor';

// Module-level alias: global lookups are slow inside jest's vm context (jest#5163).
const F64 = Float64Array;

/** Reads the kernel option of the SV-ES strategies: an RBF spec (bandwidth h > 0 or `'median'`). */
export function readRbfSpec(value: unknown, name = 'kernel'): RbfKernelSpec {
  return readKernelSpec(value, name, { types: ['rbf'] }) as RbfKernelSpec;
}

/** The bandwidth h of an RBF spec for the current points (`'median'`: the SVGD median heuristic, h = 1 for one point). */
export function bandwidthOf(kernel: RbfKernelSpec, points: ArrayLike<ArrayLike<number>>): number {
  const s = resolveKernelSpec(kernel, points);
  return (s as { bandwidth: number }).bandwidth;
}

/** K_ij = k(x_i, x_j) (row-major n×n). */
export function kernelMatrix(points: ArrayLike<ArrayLike<number>>, h: number): Float64Array {
  return rbf({ bandwidth: h }).matrix(Matrix.of(points, 'points')).data;
}

/**
 * The scaled SVGD repulsion r_i = (1/n) Σ_j ∇_{x_j} k(x_j, x_i) = (1/n) Σ_j k(x_j, x_i)(x_i − x_j)/h²
 * (the term SV-CMA-ES adds to every mean). Pair terms are antisymmetric, so Σ_i r_i = 0.
 */
export function rbfRepulsion(points: ArrayLike<ArrayLike<number>>, h: number): Float64Array[] {
  const n = points.length;
  // Σ_j ∇_{x_j} k(x_j, x_i) = −Σ_j ∇_{x_i} k(x_i, x_j) (radial kernel): one pass of tensor's gradX
  const G = rbf({ bandwidth: h }).gradX(Matrix.of(points, 'points'));
  const d = G.cols;
  const out: Float64Array[] = [];
  for (let i = 0; i < n; i++) {
    const r = G.data.slice(i * d, (i + 1) * d);
    for (let c = 0; c < d; c++) r[c] = -r[c] / n;
    out.push(r);
  }
  return out;
}

/** Flattens n points of dimension d into a float32 row-major buffer (validated as a matrix). */
function flat32(points: ArrayLike<ArrayLike<number>>): { flat: Float32Array; n: number; d: number } {
  const M = Matrix.of(points, 'points');
  return { flat: Float32Array.from(M.data), n: M.rows, d: M.cols };
}

/**
 * {@link rbfRepulsion} computed with float32 tfjs tensors (wasm when `ready()` selected it):
 * r = (M ∘ rowsum(K) − K M) / (n h²) with K from @descent/tensor's `matrixTensor`. A few ops
 * regardless of n, so it pays off over the float64 loops for large n (see the bench).
 */
export function rbfRepulsionTensor(points: ArrayLike<ArrayLike<number>>, h: number): Float64Array[] {
  const { flat, n, d } = flat32(points);
  const kernel = rbf({ bandwidth: h });
  const data = tf.tidy(() => {
    const M = tf.tensor2d(flat, [n, d]);
    const K = kernel.matrixTensor(M);
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
 * tensors (K from @descent/tensor's `matrixTensor`): φ = (K S + (X ∘ rowsum(K) − K X)/h²)/n.
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
    const K = kernel.matrixTensor(X);
    const rowSum = tf.sum(K, 1, true);
    const rep = tf.div(tf.sub(tf.mul(X, rowSum), tf.matMul(K, X)), h * h);
    return tf.div(tf.add(tf.matMul(K, S), rep), n).dataSync();
  });
  return Float64Array.from(data);
}
