/**
 * Fully connected layer y = x·W + b with W of shape [inputs, units] (the product is
 * {@link fastMatMul}, fast on wasm and differentiable to any order).
 * @module
 */
import { type Rng, assertInteger } from '@descent/tensor';
import { type Initializer, assertInitializer, initTensor } from '../init';
import { type Dual, type Layer, assertInput, groupTensors } from '../layer';
import type { TensorGroup } from '../tree';
import { fastMatMul } from '../tf';
import { tf } from '../tf';

/** Options of {@link dense}. */
export interface DenseOptions {
  /** Input features (the last dimension of x). */
  inputs: number;
  /** Output features. */
  units: number;
  /** Kernel initialisation (default `'glorotUniform'`, Keras' default; use `'heNormal'` before a ReLU). */
  init?: Initializer;
  /** Add a bias b (default true; initialised to zeros). */
  bias?: boolean;
}

/**
 * A dense layer: group `{ W: [inputs, units], b: [units] }`. Accepts x of any rank ≥ 2 with last
 * dimension `inputs` (leading dimensions are flattened for the product and restored).
 *
 * ```ts
 * const layer = dense({ inputs: 784, units: 128, init: 'heNormal' });
 * ```
 */
export function dense(options: DenseOptions): Layer {
  const { inputs, units, init = 'glorotUniform', bias = true } = options ?? ({} as DenseOptions);
  assertInteger('inputs', inputs, 1);
  assertInteger('units', units, 1);
  assertInitializer('init', init);
  const name = `dense(${inputs}→${units})`;
  return {
    kind: 'dense',
    name,
    hasParams: true,
    init(rng: Rng): TensorGroup {
      const W = initTensor(init, [inputs, units], rng.fold('W'));
      return bias ? { W, b: tf.zeros([units]) } : { W };
    },
    apply(params, x) {
      assertInput('x', x, 2, [inputs]);
      const [W] = groupTensors(name, params, ['W']);
      return tf.tidy(() => {
        const x2 = x.rank === 2 ? x : tf.reshape(x, [-1, inputs]);
        let y = fastMatMul(x2, W);
        if (bias) y = tf.add(y, groupTensors(name, params, ['b'])[0]);
        return x.rank === 2 ? y : tf.reshape(y, [...x.shape.slice(0, -1), units]);
      });
    },
    // ẏ = ẋ·W + x·Ẇ + ḃ (x·Ẇ only when x is data)
    jvp(params, tangent, x, dx): Dual {
      assertInput('x', x, 2, [inputs]);
      const keys = bias ? ['W', 'b'] : ['W'];
      const [W, b] = groupTensors(name, params, keys);
      const [VW, Vb] = groupTensors(name, tangent, keys);
      const flat = (t: tf.Tensor) => (t.rank === 2 ? t : tf.reshape(t, [-1, inputs]));
      const back = (t: tf.Tensor) => (x.rank === 2 ? t : tf.reshape(t, [...x.shape.slice(0, -1), units]));
      const x2 = flat(x);
      let y = fastMatMul(x2, W);
      let dy = fastMatMul(x2, VW);
      if (dx !== null) dy = tf.add(dy, fastMatMul(flat(dx), W));
      if (bias) {
        y = tf.add(y, b);
        dy = tf.add(dy, Vb);
      }
      return { y: back(y), dy: back(dy) };
    },
  };
}
