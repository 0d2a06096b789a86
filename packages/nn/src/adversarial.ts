/**
 * Projected gradient descent on the inputs (PGD; Madry et al. 2018): the untargeted attack used
 * for adversarial training and robust accuracy.
 *
 *   δ₀ = uniform in the ε-ball (random start) or 0
 *   δ ← Π_ε(δ + α·sign(∇ₓL))           (L∞)
 *   δ ← Π_ε(δ + α·∇ₓL/‖∇ₓL‖₂)          (L2, per example)
 *   x_adv = clip(x + δ, lo, hi)
 *
 * maximising the loss L(model(params, x + δ), y). The projection Π_ε and the clipping to the
 * valid input range are applied after every step, so the result always satisfies both
 * constraints. Random starts are drawn from the shared seeded {@link Rng} (same seed, same bits).
 * @module
 */
import { Rng, ShapeError, ValueError, assertInteger, assertPositive, describe } from '@descent/tensor';
import type { Model } from './layer';
import { type SeedLike, toRng } from './layer';
import type { LossFn } from './losses';
import { tf, withTapeCleanup } from './tf';
import { type ParamTree, assertParamTree } from './tree';

/** The norm of the threat model. */
export type PgdNorm = 'linf' | 'l2';

/** Options of {@link pgdAttack}. */
export interface PgdOptions {
  /** Radius ε of the perturbation ball (required, ≥ 0). */
  epsilon: number;
  /** Number of ascent steps (default 10, as Zhou et al.'s attack). */
  steps?: number;
  /** Step size α (default 2.5·ε/steps, Madry et al. 2018). */
  stepSize?: number;
  /** `'linf'` (default) or `'l2'` (per-example Euclidean ball). */
  norm?: PgdNorm;
  /** Start from a uniform random point of the ball (default true; use false for evaluation). */
  randomStart?: boolean;
  /** Valid input range [lo, hi] that x + δ is clipped to (default none; images in [0, 1]: `[0, 1]`). */
  clip?: readonly [number, number] | null;
  /** Seed of the random start (default 0). */
  seed?: SeedLike;
}

/** What {@link pgdAttack} returns. */
export interface PgdResult {
  /** The adversarial inputs x + δ (a new tensor owned by the caller). */
  x: tf.Tensor;
  /** The loss at the start point and after each step (steps + 1 values). */
  losses: Float64Array;
}

/** Sum of squares over every axis but the first, shaped [n, 1, ..., 1] for broadcasting. */
function perExampleNorm(t: tf.Tensor): tf.Tensor {
  const axes = Array.from({ length: t.rank - 1 }, (_, i) => i + 1);
  const keep = [t.shape[0], ...new Array(t.rank - 1).fill(1)];
  return tf.reshape(tf.sqrt(tf.sum(tf.square(t), axes)), keep);
}

/** Projects δ onto the ε-ball of `norm` (per example). */
function project(delta: tf.Tensor, epsilon: number, norm: PgdNorm): tf.Tensor {
  if (norm === 'linf') return tf.clipByValue(delta, -epsilon, epsilon);
  const n = perExampleNorm(delta);
  return tf.mul(delta, tf.minimum(1, tf.div(epsilon, tf.maximum(n, 1e-12))));
}

function randomStart(rng: Rng, shape: number[], epsilon: number, norm: PgdNorm): tf.Tensor {
  const n = shape[0];
  const d = shape.slice(1).reduce((a, b) => a * b, 1);
  const buf = new Float32Array(n * d);
  if (norm === 'linf') {
    for (let i = 0; i < buf.length; i++) buf[i] = epsilon * (2 * rng.uniform() - 1);
  } else {
    // uniform in the ball: a normal direction and radius ε·U^(1/d)
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < d; j++) {
        const z = rng.normal();
        buf[i * d + j] = z;
        s += z * z;
      }
      const r = (epsilon * rng.uniform() ** (1 / d)) / Math.max(Math.sqrt(s), 1e-300);
      for (let j = 0; j < d; j++) buf[i * d + j] *= r;
    }
  }
  return tf.tensor(buf, shape, 'float32');
}

/**
 * The PGD adversarial examples of (x, y) for `model` at `params` (untargeted: maximises `loss`).
 *
 * ```ts
 * const { x: xAdv } = pgdAttack(model, softmaxCrossEntropyLoss, params, x, y, { epsilon: 0.1, clip: [0, 1] });
 * const robust = evaluate(model, params, xAdv, y).accuracy;
 * xAdv.dispose();
 * ```
 */
export function pgdAttack(
  model: Model,
  loss: LossFn,
  params: ParamTree,
  x: tf.Tensor,
  y: tf.Tensor,
  options: PgdOptions,
): PgdResult {
  if (model == null || typeof model.apply !== 'function')
    throw new ValueError(`model must be a Model, got ${describe(model)}`, 'model');
  if (typeof loss !== 'function')
    throw new ValueError(`loss must be a loss function, got ${describe(loss)}`, 'loss');
  assertParamTree('params', params);
  if (!(x instanceof tf.Tensor)) throw new ShapeError(`x must be a tf.Tensor, got ${describe(x)}`, 'x');
  if (x.isDisposed) throw new ValueError('x is a disposed tensor', 'x');
  if (x.dtype !== 'float32') throw new ValueError(`x must be float32 inputs, got dtype ${x.dtype}`, 'x');
  if (x.rank < 2)
    throw new ShapeError(`x must have an example axis and features, got shape [${x.shape}]`, 'x');
  if (!(y instanceof tf.Tensor)) throw new ShapeError(`y must be a tf.Tensor, got ${describe(y)}`, 'y');
  if (y.shape[0] !== x.shape[0])
    throw new ShapeError(`y must have ${x.shape[0]} examples (those of x), got ${y.shape[0]}`, 'y');
  if (options == null || typeof options !== 'object')
    throw new ValueError(`options must be { epsilon, ... }, got ${describe(options)}`, 'options');
  const { epsilon } = options;
  assertPositive('epsilon', epsilon, true);
  const steps = options.steps ?? 10;
  assertInteger('steps', steps, 0);
  const stepSize = options.stepSize ?? (steps > 0 ? (2.5 * epsilon) / steps : 0);
  assertPositive('stepSize', stepSize, true);
  const norm = options.norm ?? 'linf';
  if (norm !== 'linf' && norm !== 'l2')
    throw new ValueError(`norm must be 'linf' or 'l2', got ${describe(norm)}`, 'norm');
  const clip = options.clip ?? null;
  if (clip !== null) {
    if (
      !Array.isArray(clip) ||
      clip.length !== 2 ||
      !clip.every((c) => Number.isFinite(c)) ||
      !(clip[0] < clip[1])
    )
      throw new ValueError(`clip must be [lo, hi] with finite lo < hi, got ${describe(clip)}`, 'clip');
  }
  const rng = toRng(options.seed ?? 0).fold('pgd');
  const clipTo = (t: tf.Tensor) => (clip === null ? t : tf.clipByValue(t, clip[0], clip[1]));
  const losses = new Float64Array(steps + 1);
  const objective = (xa: tf.Tensor) => {
    const l = loss(model.apply(params, xa), y);
    if (l.size !== 1) throw new ShapeError(`loss must return a scalar, got shape [${l.shape}]`, 'loss');
    return tf.reshape(l, []) as tf.Scalar;
  };
  let xAdv = tf.tidy(() => {
    if (!(options.randomStart ?? true) || epsilon === 0) return clipTo(tf.clone(x));
    const d0 = randomStart(rng, x.shape, epsilon, norm);
    return clipTo(tf.add(x, d0));
  });
  try {
    for (let t = 0; t <= steps; t++) {
      if (t === steps) {
        const last = tf.tidy(() => objective(xAdv));
        losses[t] = last.dataSync()[0];
        last.dispose();
        break;
      }
      const next: tf.Tensor = withTapeCleanup(() =>
        tf.tidy(() => {
          const { value, grad } = tf.valueAndGrad(objective)(xAdv);
          losses[t] = value.dataSync()[0];
          const dir = norm === 'linf' ? tf.sign(grad) : tf.div(grad, tf.maximum(perExampleNorm(grad), 1e-12));
          const delta = project(tf.sub(tf.add(xAdv, tf.mul(dir, stepSize)), x), epsilon, norm);
          return clipTo(tf.add(x, delta));
        }),
      );
      xAdv.dispose();
      xAdv = next;
    }
  } catch (e) {
    xAdv.dispose();
    throw e;
  }
  for (let t = 0; t <= steps; t++) {
    if (!Number.isFinite(losses[t])) {
      xAdv.dispose();
      throw new ValueError(`the loss is not finite during the attack (step ${t}): got ${losses[t]}`, 'loss');
    }
  }
  return { x: xAdv, losses };
}
