/**
 * Layer normalisation (Ba, Kiros & Hinton 2016) over the last axis:
 * y = (x − μ)/√(σ² + ε) · γ + β, σ² the biased variance, ε = 1e-5 (PyTorch's default).
 * Built from ops whose gradients use their inputs, so second derivatives are exact.
 * @module
 */
import { type Rng, assertInteger, assertPositive } from '@descent/tensor';
import { type Dual, type Layer, assertInput, groupTensors } from '../layer';
import { tf } from '../tf';

/** Layer norm of x over its last axis with scale γ and shift β (shape [features]). */
export function layerNormApply(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, eps = 1e-5): tf.Tensor {
  return tf.tidy(() => {
    const mu = tf.mean(x, -1, true);
    const xc = tf.sub(x, mu);
    const variance = tf.mean(tf.square(xc), -1, true);
    return tf.add(tf.mul(tf.mul(xc, tf.rsqrt(tf.add(variance, eps))), gamma), beta);
  });
}

/**
 * Forward mode of {@link layerNormApply}: with x̂ = (x − μ)·r, r = (σ² + ε)^(−½),
 * ẋ̂ = r·(ẋc − x̂·mean(x̂·ẋc)) where ẋc = ẋ − mean(ẋ), and ẏ = ẋ̂·γ + x̂·γ̇ + β̇.
 */
export function layerNormJvp(
  x: tf.Tensor,
  dx: tf.Tensor | null,
  gamma: tf.Tensor,
  beta: tf.Tensor,
  dGamma: tf.Tensor,
  dBeta: tf.Tensor,
  eps = 1e-5,
): Dual {
  const mu = tf.mean(x, -1, true);
  const xc = tf.sub(x, mu);
  const r = tf.rsqrt(tf.add(tf.mean(tf.square(xc), -1, true), eps));
  const xh = tf.mul(xc, r);
  const y = tf.add(tf.mul(xh, gamma), beta);
  let dy = tf.add(tf.mul(xh, dGamma), dBeta);
  if (dx !== null) {
    const dxc = tf.sub(dx, tf.mean(dx, -1, true));
    const dxh = tf.mul(r, tf.sub(dxc, tf.mul(xh, tf.mean(tf.mul(xh, dxc), -1, true))));
    dy = tf.add(dy, tf.mul(dxh, gamma));
  }
  return { y, dy };
}

/** Options of {@link layerNorm}. */
export interface LayerNormOptions {
  /** Size of the normalised (last) axis. */
  features: number;
  /** ε added to the variance (default 1e-5, PyTorch). */
  eps?: number;
}

/** A layer-norm layer: group `{ gamma: ones([features]), beta: zeros([features]) }`. */
export function layerNorm(options: LayerNormOptions): Layer {
  const { features, eps = 1e-5 } = options ?? ({} as LayerNormOptions);
  assertInteger('features', features, 1);
  assertPositive('eps', eps);
  const name = `layerNorm(${features})`;
  return {
    kind: 'layerNorm',
    name,
    hasParams: true,
    init: (_rng: Rng) => ({ gamma: tf.ones([features]), beta: tf.zeros([features]) }),
    apply(params, x) {
      assertInput('x', x, 1, [features]);
      const [gamma, beta] = groupTensors(name, params, ['gamma', 'beta']);
      return layerNormApply(x, gamma, beta, eps);
    },
    jvp(params, tangent, x, dx) {
      assertInput('x', x, 1, [features]);
      const [gamma, beta] = groupTensors(name, params, ['gamma', 'beta']);
      const [dGamma, dBeta] = groupTensors(name, tangent, ['gamma', 'beta']);
      return layerNormJvp(x, dx, gamma, beta, dGamma, dBeta, eps);
    },
  };
}
