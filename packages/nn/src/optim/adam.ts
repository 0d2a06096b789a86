/**
 * Adam and AdamW over trees, as optax defines them.
 * @module
 */
import { type Schedule, ValueError, describe, option, resolveOptions } from '@descent/tensor';
import { tf } from '../tf';
import { type ParamTree, mapTree, zerosLikeTree } from '../tree';
import { type TensorFilter, addDecayedWeights, scaleByLearningRate } from './scale';
import { adamSchema, filterSpec, learningRateSpec, readSchedule } from './options';
import { type TreeTransformation, chain, checkGrads } from './transformation';

/** State of {@link scaleByAdam}. */
export interface AdamState {
  /** Number of updates done so far. */
  count: number;
  /** First moment m. */
  mu: ParamTree;
  /** Second moment v. */
  nu: ParamTree;
}

/** Options of {@link scaleByAdam}. */
export interface ScaleByAdamOptions {
  /** β₁ (default 0.9). */
  b1?: number;
  /** β₂ (default 0.999). */
  b2?: number;
  /** ε added to √v̂ (default 1e-8). */
  eps?: number;
  /** ε added inside the square root (default 0). */
  epsRoot?: number;
}

function readState(state: unknown): AdamState {
  const s = state as Partial<AdamState> | null;
  const c = s?.count;
  if (typeof c !== 'number' || !Number.isInteger(c) || c < 0)
    throw new ValueError(`state.count must be a non-negative integer, got ${describe(c)}`, 'state');
  if (s?.mu == null || typeof s.mu !== 'object')
    throw new ValueError(`state.mu must be a parameter tree, got ${describe(s?.mu)}`, 'state');
  if (s?.nu == null || typeof s.nu !== 'object')
    throw new ValueError(`state.nu must be a parameter tree, got ${describe(s?.nu)}`, 'state');
  return s as AdamState;
}

/**
 * Adam's rescaling (optax `scale_by_adam`): m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g²,
 * update = m̂/(√(v̂ + ε_root) + ε) with m̂ = m/(1−β₁ᵗ), v̂ = v/(1−β₂ᵗ), t = count + 1
 * (bias corrections computed in float64).
 */
export function scaleByAdam(options: ScaleByAdamOptions = {}): TreeTransformation<AdamState> {
  return adamRescaling(resolveOptions(options, adamSchema()));
}

function adamRescaling({ b1, b2, eps, epsRoot }: Required<ScaleByAdamOptions>): TreeTransformation<AdamState> {
  return {
    init: (params) => {
      const mu = zerosLikeTree(params);
      return { count: 0, mu, nu: zerosLikeTree(params) };
    },
    update(grads, state) {
      const s = readState(state);
      checkGrads(grads, s.mu);
      const t = s.count + 1;
      const c1 = 1 - b1 ** t;
      const c2 = 1 - b2 ** t;
      const mu = mapTree((g, m) => tf.add(tf.mul(m, b1), tf.mul(g, 1 - b1)), grads, s.mu);
      const nu = mapTree((g, v) => tf.add(tf.mul(v, b2), tf.mul(tf.square(g), 1 - b2)), grads, s.nu);
      const updates = mapTree(
        (m, v) =>
          tf.div(
            tf.mul(m, 1 / c1),
            tf.add(tf.sqrt(epsRoot === 0 ? tf.mul(v, 1 / c2) : tf.add(tf.mul(v, 1 / c2), epsRoot)), eps),
          ),
        mu,
        nu,
      );
      return { updates, state: { count: t, mu, nu } };
    },
  };
}


/** Options of {@link adam}. */
export interface AdamOptions extends ScaleByAdamOptions {
  /** Step size η (a constant ≥ 0 or a schedule). Required (1e-3 is customary). */
  learningRate: Schedule;
}

/**
 * Adam (Kingma & Ba 2015) as optax: `chain(scaleByAdam({ b1, b2, eps }), scaleByLearningRate(η))`,
 * defaults b1 = 0.9, b2 = 0.999, eps = 1e-8.
 *
 * ```ts
 * const opt = adam({ learningRate: 1e-3 });
 * ```
 */
export function adam(options: AdamOptions): TreeTransformation<unknown[]> {
  const { learningRate, ...rescaling } = resolveOptions(options, { ...adamSchema(), learningRate: learningRateSpec() });
  return chain(adamRescaling(rescaling), scaleByLearningRate(learningRate));
}

/** Options of {@link adamw}. */
export interface AdamWOptions extends AdamOptions {
  /** Decoupled weight decay λ (default 1e-4, optax's default). */
  weightDecay?: Schedule;
  /** Tensors that are decayed (default: all, as optax and PyTorch); e.g. {@link kernelsOnly}. */
  weightDecayFilter?: TensorFilter;
}

/**
 * AdamW (Loshchilov & Hutter 2019) as optax: `chain(scaleByAdam, addDecayedWeights(λ, filter),
 * scaleByLearningRate(η))`, so the decay is scaled by η. Needs `params` in `update`.
 */
export function adamw(options: AdamWOptions): TreeTransformation<unknown[]> {
  const { learningRate, weightDecay, weightDecayFilter, ...rescaling } = resolveOptions(options, {
    ...adamSchema(),
    learningRate: learningRateSpec(),
    weightDecay: option.custom(readSchedule, { default: 1e-4 }),
    weightDecayFilter: filterSpec(),
  });
  return chain(
    adamRescaling(rescaling),
    addDecayedWeights(weightDecay, { filter: weightDecayFilter }),
    scaleByLearningRate(learningRate),
  );
}
