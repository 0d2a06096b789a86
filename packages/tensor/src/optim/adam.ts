/**
 * Adam, AdamW, AdaGrad and RMSProp as optax defines them.
 * @module
 */
import { ValueError, assertInRange, assertPositive, describe } from '../errors';
import { readOptions } from '../options/read';
import { type Schedule, assertSchedule } from './schedule';
import { addDecayedWeights, scaleByLearningRate } from './scale';
import { trace } from './sgd';
import { type GradientTransformation, chain, checkVector, stateArray, stateCount } from './transformation';

function requireLr(o: { learningRate?: Schedule } | undefined): Schedule {
  readOptions(o);
  if (o == null || o.learningRate === undefined)
    throw new ValueError('learningRate is required, got undefined', 'learningRate');
  assertSchedule('learningRate', o.learningRate);
  return o.learningRate;
}

/** State of {@link scaleByAdam}. */
export interface AdamState {
  /** Number of updates done so far (t − 1 at the next update). */
  count: number;
  /** First moment m. */
  mu: number[];
  /** Second moment v. */
  nu: number[];
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

/**
 * Adam's rescaling (optax `scale_by_adam`): m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g²,
 * update = m̂/(√(v̂ + ε_root) + ε) with m̂ = m/(1−β₁ᵗ), v̂ = v/(1−β₂ᵗ), t = count + 1.
 */
export function scaleByAdam(options: ScaleByAdamOptions = {}): GradientTransformation<AdamState> {
  const { b1 = 0.9, b2 = 0.999, eps = 1e-8, epsRoot = 0 } = readOptions<ScaleByAdamOptions>(options);
  assertInRange('b1', b1, 0, 1, { maxExclusive: true });
  assertInRange('b2', b2, 0, 1, { maxExclusive: true });
  assertPositive('eps', eps, true);
  assertPositive('epsRoot', epsRoot, true);
  return {
    init: (params) => ({
      count: 0,
      mu: new Array<number>(params.length).fill(0),
      nu: new Array<number>(params.length).fill(0),
    }),
    update(grads, state) {
      checkVector('grads', grads);
      const n = grads.length;
      const mu0 = stateArray(state, 'mu', n);
      const nu0 = stateArray(state, 'nu', n, { nonNegative: true });
      const t = stateCount(state) + 1;
      const c1 = 1 - b1 ** t;
      const c2 = 1 - b2 ** t;
      const mu = new Array<number>(n);
      const nu = new Array<number>(n);
      const u = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const g = grads[i];
        mu[i] = b1 * mu0[i] + (1 - b1) * g;
        nu[i] = b2 * nu0[i] + (1 - b2) * g * g;
        u[i] = mu[i] / c1 / (Math.sqrt(nu[i] / c2 + epsRoot) + eps);
      }
      return { updates: u, state: { count: t, mu, nu } };
    },
  };
}

/** Options of {@link adam}. */
export interface AdamOptions extends ScaleByAdamOptions {
  /** Step size η (constant ≥ 0 or schedule). Required (optax has no default; 1e-3 is customary). */
  learningRate: Schedule;
}

/**
 * Adam (Kingma & Ba 2015) as optax: `chain(scaleByAdam({b1, b2, eps}), scaleByLearningRate(η))`.
 * Defaults b1 = 0.9, b2 = 0.999, eps = 1e-8.
 *
 * ```ts
 * const opt = adam({ learningRate: 1e-3 });
 * ```
 */
export function adam(options: AdamOptions): GradientTransformation<unknown[]> {
  const lr = requireLr(options);
  return chain(scaleByAdam(options), scaleByLearningRate(lr));
}

/** Options of {@link adamw}. */
export interface AdamWOptions extends AdamOptions {
  /** Decoupled weight decay λ (default 1e-4, optax's default). */
  weightDecay?: Schedule;
}

/** AdamW (Loshchilov & Hutter 2019): Adam plus decoupled weight decay, scaled by η. Needs `params` in `update`. */
export function adamw(options: AdamWOptions): GradientTransformation<unknown[]> {
  const lr = requireLr(options);
  return chain(scaleByAdam(options), addDecayedWeights(options.weightDecay ?? 1e-4), scaleByLearningRate(lr));
}

/** State of {@link scaleByRss}. */
export interface RssState {
  /** Running sum of squared gradients. */
  sumOfSquares: number[];
}

/**
 * AdaGrad's rescaling (optax `scale_by_rss`): s ← s + g², update = g / √(s + ε) (0 where s = 0).
 */
export function scaleByRss(
  options: { initialAccumulatorValue?: number; eps?: number } = {},
): GradientTransformation<RssState> {
  const { initialAccumulatorValue = 0.1, eps = 1e-7 } = readOptions<{
    initialAccumulatorValue?: number;
    eps?: number;
  }>(options);
  assertPositive('initialAccumulatorValue', initialAccumulatorValue, true);
  assertPositive('eps', eps, true);
  return {
    init: (params) => ({ sumOfSquares: new Array<number>(params.length).fill(initialAccumulatorValue) }),
    update(grads, state) {
      checkVector('grads', grads);
      const s0 = stateArray(state, 'sumOfSquares', grads.length, { nonNegative: true });
      const s = new Array<number>(grads.length);
      const u = new Float64Array(grads.length);
      for (let i = 0; i < u.length; i++) {
        s[i] = s0[i] + grads[i] * grads[i];
        u[i] = s[i] > 0 ? grads[i] / Math.sqrt(s[i] + eps) : 0;
      }
      return { updates: u, state: { sumOfSquares: s } };
    },
  };
}

/** Options of {@link adagrad}. */
export interface AdagradOptions {
  /** Step size η (a constant ≥ 0 or a schedule). Required. */
  learningRate: Schedule;
  /** Initial value of the accumulator (default 0.1, optax). */
  initialAccumulatorValue?: number;
  /** ε inside the square root (default 1e-7, optax). */
  eps?: number;
}

/** AdaGrad (Duchi et al. 2011) as optax: `chain(scaleByRss(...), scaleByLearningRate(η))`. */
export function adagrad(options: AdagradOptions): GradientTransformation<unknown[]> {
  const lr = requireLr(options);
  return chain(scaleByRss(options), scaleByLearningRate(lr));
}

/** State of {@link scaleByRms}. */
export interface RmsState {
  /** Exponential moving average of g². */
  nu: number[];
}

/** Options of {@link scaleByRms}. */
export interface ScaleByRmsOptions {
  /** ρ (default 0.9, optax). */
  decay?: number;
  /** ε (default 1e-8, optax). */
  eps?: number;
  /** Initial value of ν (default 0, optax). */
  initialScale?: number;
  /** ε inside the square root, g/√(ν + ε) as optax (default true); false gives PyTorch's g/(√ν + ε). */
  epsInSqrt?: boolean;
}

/**
 * RMSProp's rescaling (optax `scale_by_rms`): ν ← ρν + (1−ρ)g², update = g/√(ν + ε)
 * (or g/(√ν + ε) with `epsInSqrt: false`, PyTorch's convention).
 */
export function scaleByRms(options: ScaleByRmsOptions = {}): GradientTransformation<RmsState> {
  const {
    decay = 0.9,
    eps = 1e-8,
    initialScale = 0,
    epsInSqrt = true,
  } = readOptions<ScaleByRmsOptions>(options);
  if (typeof epsInSqrt !== 'boolean')
    throw new ValueError(`epsInSqrt must be true or false, got ${describe(epsInSqrt)}`, 'epsInSqrt');
  assertInRange('decay', decay, 0, 1, { maxExclusive: true });
  assertPositive('eps', eps, true);
  assertPositive('initialScale', initialScale, true);
  return {
    init: (params) => ({ nu: new Array<number>(params.length).fill(initialScale) }),
    update(grads, state) {
      checkVector('grads', grads);
      const nu0 = stateArray(state, 'nu', grads.length, { nonNegative: true });
      const nu = new Array<number>(grads.length);
      const u = new Float64Array(grads.length);
      for (let i = 0; i < u.length; i++) {
        nu[i] = decay * nu0[i] + (1 - decay) * grads[i] * grads[i];
        const den = epsInSqrt ? Math.sqrt(nu[i] + eps) : Math.sqrt(nu[i]) + eps;
        u[i] = den > 0 ? grads[i] / den : 0;
      }
      return { updates: u, state: { nu } };
    },
  };
}

/** Options of {@link rmsprop}. */
export interface RmspropOptions {
  /** Step size η (a constant ≥ 0 or a schedule). Required. */
  learningRate: Schedule;
  /** ρ (default 0.9, optax). */
  decay?: number;
  /** ε (default 1e-8, optax). */
  eps?: number;
  /** ε inside the square root (default true, optax); false: PyTorch's g/(√ν + ε). */
  epsInSqrt?: boolean;
  /** Optional momentum on the rescaled updates (default 0). */
  momentum?: number;
  /** Nesterov momentum (default false). */
  nesterov?: boolean;
}

/** RMSProp (Tieleman & Hinton 2012) as optax (uncentred). */
export function rmsprop(options: RmspropOptions): GradientTransformation<unknown[]> {
  const lr = requireLr(options);
  const { decay, eps, epsInSqrt, momentum = 0, nesterov = false } = options;
  assertInRange('momentum', momentum, 0, 1, { maxExclusive: true });
  // biome-ignore lint/suspicious/noExplicitAny: a chain mixes transformations of different state types
  const parts: GradientTransformation<any>[] = [scaleByRms({ decay, eps, epsInSqrt })];
  if (momentum > 0) parts.push(trace({ decay: momentum, nesterov }));
  parts.push(scaleByLearningRate(lr));
  return chain(...parts);
}
