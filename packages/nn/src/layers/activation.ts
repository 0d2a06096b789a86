/**
 * Elementwise activations whose derivatives of every order are right under nested `tf.grad`
 * (tanh, sigmoid, softplus and GELU go through the shared safe ops; tfjs#3252).
 * @module
 */
import { ValueError, checkName, describe } from '@descent/tensor';
import { type Dual, type Layer, assertInput } from '../layer';
import { safeSigmoid, safeSoftplus, safeTanh, tf } from '../tf';

/** Activation names understood by {@link activate} and the model builders. */
export type Activation = 'relu' | 'tanh' | 'sigmoid' | 'softplus' | 'gelu' | 'linear';

const ACTIVATIONS: readonly Activation[] = ['relu', 'tanh', 'sigmoid', 'softplus', 'gelu', 'linear'];

/** Throws {@link ValueError} naming `name` unless `a` is an {@link Activation}. */
export function assertActivation(name: string, a: unknown): asserts a is Activation {
  checkName(name);
  if (!ACTIVATIONS.includes(a as Activation)) {
    throw new ValueError(
      `${name} must be one of ${ACTIVATIONS.map((s) => `'${s}'`).join(', ')}, got ${describe(a)}`,
      name,
    );
  }
}

const GELU_C = Math.sqrt(2 / Math.PI);

/**
 * GELU, tanh approximation (Hendrycks & Gimpel 2016; GPT-2's form):
 * ½x(1 + tanh(√(2/π)(x + 0.044715x³))).
 */
export function gelu<R extends tf.Tensor>(x: R): R {
  return tf.tidy(() => {
    const inner = tf.mul(tf.add(x, tf.mul(tf.mul(tf.mul(x, x), x), 0.044715)), GELU_C);
    return tf.mul(tf.mul(x, 0.5), tf.add(safeTanh(inner), 1)) as R;
  });
}

/** Applies activation `a` to `x` (second-order safe). ReLU's derivative at 0 is 0. */
export function activate<R extends tf.Tensor>(x: R, a: Activation): R {
  switch (a) {
    case 'relu':
      return tf.relu(x);
    case 'tanh':
      return safeTanh(x);
    case 'sigmoid':
      return safeSigmoid(x);
    case 'softplus':
      return safeSoftplus(x);
    case 'gelu':
      return gelu(x);
    case 'linear':
      return x;
    default:
      assertActivation('activation', a);
      return x;
  }
}

/**
 * Forward mode of {@link activate}: y = a(x), ẏ = a'(x)·ẋ. ReLU's a'(x) = step(x) (0 at 0); the
 * other activations take a'(x) from tfjs's own gradient of their second-order-safe form, so
 * its derivative (needed by the reverse pass over ẏ) is exact too.
 */
export function activateJvp(x: tf.Tensor, dx: tf.Tensor | null, a: Activation): Dual {
  const y = activate(x, a);
  if (dx === null) return { y, dy: null };
  switch (a) {
    case 'linear':
      return { y, dy: dx };
    case 'relu':
      return { y, dy: tf.mul(dx, tf.step(x)) };
    default:
      return { y, dy: tf.mul(dx, tf.grad((z: tf.Tensor) => activate(z, a))(x)) };
  }
}

/** A parameter-free layer applying {@link activate}. */
export function activation(a: Activation): Layer {
  assertActivation('activation', a);
  return {
    kind: a,
    name: a,
    hasParams: false,
    init: () => ({}),
    apply: (_params, x) => {
      assertInput('x', x, 1);
      return activate(x, a);
    },
    jvp: (_params, _tangent, x, dx) => {
      assertInput('x', x, 1);
      return activateJvp(x, dx, a);
    },
  };
}

/** A parameter-free layer reshaping [batch, ...] to [batch, product of the rest]. */
export function flatten(): Layer {
  return {
    kind: 'flatten',
    name: 'flatten',
    hasParams: false,
    init: () => ({}),
    apply: (_params, x) => {
      assertInput('x', x, 1);
      return tf.reshape(x, [x.shape[0], -1]);
    },
    jvp: (_params, _tangent, x, dx) => {
      assertInput('x', x, 1);
      const flat = (t: tf.Tensor) => tf.reshape(t, [x.shape[0], -1]);
      return { y: flat(x), dy: dx === null ? null : flat(dx) };
    },
  };
}
