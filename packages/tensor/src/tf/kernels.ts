/**
 * The radial kernels of `@descent/tensor` (`rbf`, `imq`) on float32 tensors: pairwise squared
 * distances, kernel matrices and the SVGD driving terms, differentiable with correct HVPs (the
 * exponential goes through {@link safeExp}). One matMul each: use them for big batches.
 * @module
 */
import { type Kernel, type KernelSpec, NotSupportedError, ShapeError, ValueError, describe, radialKernel } from '@descent/tensor';
import { tf } from './backend';
import { safeExp } from './safeOps';

function checkRank2(name: string, X: unknown): asserts X is tf.Tensor2D {
  if (!(X instanceof tf.Tensor) || X.rank !== 2) throw new ShapeError(`${name} must be a rank-2 tensor, got ${describe(X)}`, name);
}

/**
 * Pairwise squared distances of the rows of two float32 tensors, ‖x‖² + ‖y‖² − 2xᵀy clamped at
 * 0 (one matMul: use for big batches; differentiable).
 */
export function pairwiseSqDistancesTensor(X: tf.Tensor2D, Y?: tf.Tensor2D): tf.Tensor2D {
  checkRank2('X', X);
  if (Y !== undefined) checkRank2('Y', Y);
  const Yt = Y ?? X;
  if (Yt.shape[1] !== X.shape[1])
    throw new ShapeError(`Y must have ${X.shape[1]} columns (like X), got ${Yt.shape[1]}`, 'Y');
  return tf.tidy(() => {
    // centre both sets on X's mean first: distances are translation invariant and the expansion
    // ‖x‖² + ‖y‖² − 2xᵀy loses float32 digits to cancellation when the points sit far from 0
    const c = tf.mean(X, 0, true);
    const Xc = tf.sub(X, c);
    const Yc = Y === undefined ? Xc : tf.sub(Yt, c);
    const xx = tf.sum(tf.square(Xc), 1, true);
    const yy = tf.reshape(tf.sum(tf.square(Yc), 1), [1, -1]);
    const xy = tf.matMul(Xc, Yc, false, true);
    return tf.relu(tf.sub(tf.add(xx, yy), tf.mul(xy, 2))) as tf.Tensor2D;
  });
}

/** φ and φ' of a kernel of `@descent/tensor` as tensor functions of the squared distance. */
function radialTensorFns(kernel: Kernel | KernelSpec): { phi: (S: tf.Tensor) => tf.Tensor; dphi: (S: tf.Tensor) => tf.Tensor } {
  if (kernel == null || typeof kernel !== 'object') {
    throw new ValueError(`kernel must be a Kernel (e.g. rbf({bandwidth})) or a kernel spec, got ${describe(kernel)}`, 'kernel');
  }
  // a serialisable spec ({ type: 'rbf', bandwidth }) evaluates as the Kernel object it describes
  const obj = 'type' in kernel ? radialKernel(kernel) : kernel;
  const k = obj as Kernel & { bandwidth?: number; c?: number; beta?: number };
  if (k.kind === 'rbf' && typeof k.bandwidth === 'number') {
    const inv = 1 / (2 * k.bandwidth * k.bandwidth);
    return {
      phi: (S) => safeExp(tf.mul(S, -inv)),
      dphi: (S) => tf.mul(safeExp(tf.mul(S, -inv)), -inv),
    };
  }
  if (k.kind === 'imq' && typeof k.c === 'number' && typeof k.beta === 'number') {
    const c2 = k.c * k.c;
    const beta = k.beta;
    return {
      phi: (S) => tf.pow(tf.add(S, c2), beta),
      dphi: (S) => tf.mul(tf.pow(tf.add(S, c2), beta - 1), beta),
    };
  }
  throw new NotSupportedError(
    `kernel must be made by rbf() or imq() of @descent/tensor for tensor evaluation, got kind ${describe(k.kind)}`,
    'kernel',
  );
}

/**
 * The kernel matrix K[i][j] = k(X_i, Y_j) of two float32 tensors (rows = points; Y defaults to
 * X), differentiable with correct HVPs. The caller disposes the result.
 *
 * ```ts
 * const K = kernelMatrixTensor(rbf({ bandwidth: 1 }), X); // tf.Tensor2D, n × n
 * const K2 = kernelMatrixTensor({ type: 'rbf', bandwidth: 1 }, X); // the same, from the serialisable spec
 * ```
 */
export function kernelMatrixTensor(kernel: Kernel | KernelSpec, X: tf.Tensor2D, Y?: tf.Tensor2D): tf.Tensor2D {
  const { phi } = radialTensorFns(kernel);
  return tf.tidy(() => phi(pairwiseSqDistancesTensor(X, Y)) as tf.Tensor2D);
}

/**
 * `kernel.svgdTerms` on a float32 tensor of particles (one matMul each; for many particles):
 * R = 2(Φ'X − diag(Φ'1)X) with Φ'ᵢⱼ = φ'(‖xᵢ − xⱼ‖²). The caller disposes both.
 */
export function svgdTermsTensor(kernel: Kernel | KernelSpec, X: tf.Tensor2D): { K: tf.Tensor2D; repulsion: tf.Tensor2D } {
  const { phi, dphi } = radialTensorFns(kernel);
  checkRank2('X', X);
  return tf.tidy(() => {
    const D = pairwiseSqDistancesTensor(X);
    const Kp = dphi(D);
    // Rᵢ = Σⱼ 2φ'(sᵢⱼ)(xⱼ − xᵢ)
    const R = tf.mul(tf.sub(tf.matMul(Kp, X), tf.mul(tf.sum(Kp, 1, true), X)), 2) as tf.Tensor2D;
    return { K: phi(D) as tf.Tensor2D, repulsion: R };
  });
}
