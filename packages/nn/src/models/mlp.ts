/**
 * Multi-layer perceptron builder.
 * @module
 */
import { ValueError, assertInteger, describe } from '@descent/tensor';
import type { Initializer } from '../init';
import { type Layer, type Model, sequential } from '../layer';
import { type Activation, activation, assertActivation } from '../layers/activation';
import { dense } from '../layers/dense';

/** Options of {@link mlp}. */
export interface MlpOptions {
  /** Layer widths from input to output, e.g. `[784, 128, 10]` (at least 2). */
  sizes: number[];
  /** Hidden activation (default `'relu'`); the output layer is linear (logits). */
  activation?: Activation;
  /**
   * Hidden-layer initialisation (default `'heNormal'` for ReLU, He et al. 2015; `'glorotUniform'`
   * otherwise, Glorot & Bengio 2010). The output layer always uses `'glorotUniform'`.
   */
  init?: Initializer;
}

/**
 * An MLP `dense → activation → … → dense` with groups `dense0 … dense{L−1}`, each `{ W, b }`.
 *
 * ```ts
 * const model = mlp({ sizes: [784, 128, 10] });
 * const params = model.init(42);
 * const logits = model.apply(params, x); // [batch, 10]
 * ```
 */
export function mlp(options: MlpOptions): Model {
  const { sizes, activation: act = 'relu' } = options ?? ({} as MlpOptions);
  if (!Array.isArray(sizes) || sizes.length < 2) {
    throw new ValueError(
      `sizes must be an array of at least 2 layer widths, got ${describe(sizes)}`,
      'sizes',
    );
  }
  sizes.forEach((s, i) => {
    assertInteger(`sizes[${i}]`, s, 1);
  });
  assertActivation('activation', act);
  const hiddenInit: Initializer = options.init ?? (act === 'relu' ? 'heNormal' : 'glorotUniform');
  const layers: Layer[] = [];
  for (let i = 0; i + 1 < sizes.length; i++) {
    const last = i + 2 === sizes.length;
    layers.push(dense({ inputs: sizes[i], units: sizes[i + 1], init: last ? 'glorotUniform' : hiddenInit }));
    if (!last) layers.push(activation(act));
  }
  return sequential(layers, { name: `mlp(${sizes.join('-')}, ${act})` });
}
