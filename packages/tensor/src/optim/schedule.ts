/**
 * Learning-rate (and other hyper-parameter) schedules, following optax's definitions.
 * A {@link Schedule} is a constant or a function of the 0-based step count.
 * @module
 */
import {
  ValueError,
  assertFiniteNumber,
  assertInteger,
  assertPositive,
  checkName,
  describe,
} from '../errors';
import { readOptions } from '../options/read';

/** A constant or a function of the 0-based step count. */
export type Schedule = number | ((step: number) => number);

/** Evaluates `schedule` at `step`, throwing {@link ValueError} (naming `name`) on a non-finite value. */
export function evaluateSchedule(schedule: Schedule, step: number, name = 'learningRate'): number {
  checkName(name);
  assertInteger('step', step, 0);
  const v = typeof schedule === 'function' ? schedule(step) : schedule;
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new ValueError(
      `${name} must evaluate to a finite number, got ${describe(v)} at step ${step}`,
      name,
    );
  }
  return v;
}

/** Validates a schedule option: a finite number (≥ 0 unless `allowNegative`) or a function. */
export function assertSchedule(
  name: string,
  schedule: unknown,
  allowNegative = false,
): asserts schedule is Schedule {
  checkName(name);
  if (typeof allowNegative !== 'boolean')
    throw new ValueError(
      `allowNegative must be true or false, got ${describe(allowNegative)}`,
      'allowNegative',
    );
  if (typeof schedule === 'function') return;
  if (typeof schedule !== 'number') {
    throw new ValueError(
      `${name} must be a number or a function of the step, got ${describe(schedule)}`,
      name,
    );
  }
  if (allowNegative) assertFiniteNumber(name, schedule);
  else assertPositive(name, schedule, true);
}

/** `value` at every step. */
export function constantSchedule(value: number): (step: number) => number {
  assertFiniteNumber('value', value);
  return () => value;
}

/** Options of {@link linearSchedule}. */
export interface LinearScheduleOptions {
  /** Value at step ≤ transitionBegin. */
  initValue: number;
  /** Value from step transitionBegin + transitionSteps on. */
  endValue: number;
  /** Length of the ramp in steps (≥ 1). */
  transitionSteps: number;
  /** Steps held at `initValue` before the ramp (default 0). */
  transitionBegin?: number;
}

/** Linear ramp from `initValue` to `endValue` over `transitionSteps` steps (optax `linear_schedule`). */
export function linearSchedule(options: LinearScheduleOptions): (step: number) => number {
  const {
    initValue,
    endValue,
    transitionSteps,
    transitionBegin = 0,
  } = readOptions<LinearScheduleOptions>(options, 'options') as LinearScheduleOptions;
  assertFiniteNumber('initValue', initValue);
  assertFiniteNumber('endValue', endValue);
  assertInteger('transitionSteps', transitionSteps, 1);
  assertInteger('transitionBegin', transitionBegin, 0);
  return (step) => {
    const frac = Math.min(Math.max(step - transitionBegin, 0) / transitionSteps, 1);
    return initValue + frac * (endValue - initValue);
  };
}

/** Options of {@link exponentialDecay}. */
export interface ExponentialDecayOptions {
  /** Value at step 0 (and until transitionBegin). */
  initValue: number;
  /** Steps over which the value is multiplied by `decayRate` once. */
  transitionSteps: number;
  /** Factor applied per transitionSteps steps (> 0). */
  decayRate: number;
  /** Steps held at `initValue` before decaying (default 0). */
  transitionBegin?: number;
  /** Decay in discrete jumps every `transitionSteps` (default false). */
  staircase?: boolean;
  /** Bound on the value: a floor when decaying (rate < 1), a ceiling when growing. */
  endValue?: number;
}

/**
 * `initValue · decayRate^((step − transitionBegin)/transitionSteps)` (optax `exponential_decay`).
 *
 * ```ts
 * const lr = exponentialDecay({ initValue: 0.1, transitionSteps: 100, decayRate: 0.5 }); // lr(100) = 0.05
 * ```
 */
export function exponentialDecay(o: ExponentialDecayOptions): (step: number) => number {
  readOptions(o);
  const { initValue, transitionSteps, decayRate, transitionBegin = 0, staircase = false, endValue } = o;
  assertFiniteNumber('initValue', initValue);
  assertInteger('transitionSteps', transitionSteps, 1);
  assertPositive('decayRate', decayRate);
  assertInteger('transitionBegin', transitionBegin, 0);
  if (endValue !== undefined) assertFiniteNumber('endValue', endValue);
  return (step) => {
    const count = step - transitionBegin;
    if (count <= 0) return initValue;
    let p = count / transitionSteps;
    if (staircase) p = Math.floor(p);
    let v = initValue * decayRate ** p;
    if (endValue !== undefined) v = decayRate < 1 ? Math.max(v, endValue) : Math.min(v, endValue);
    return v;
  };
}

/** Options of {@link cosineDecay}. */
export interface CosineDecayOptions {
  /** Value at step 0. */
  initValue: number;
  /** Steps T of the decay (≥ 1); constant afterwards. */
  decaySteps: number;
  /** Final value as a fraction of `initValue` (default 0). */
  alpha?: number;
  /** Power of the cosine factor (default 1). */
  exponent?: number;
}

/**
 * `initValue · ((1 − α)·(½(1 + cos(π·min(step, T)/T)))^p + α)` (optax `cosine_decay_schedule`).
 */
export function cosineDecay(options: CosineDecayOptions): (step: number) => number {
  const {
    initValue,
    decaySteps,
    alpha = 0,
    exponent = 1,
  } = readOptions<CosineDecayOptions>(options, 'options') as CosineDecayOptions;
  assertFiniteNumber('initValue', initValue);
  assertInteger('decaySteps', decaySteps, 1);
  assertFiniteNumber('alpha', alpha);
  assertPositive('exponent', exponent);
  return (step) => {
    const count = Math.min(Math.max(step, 0), decaySteps);
    const cosine = 0.5 * (1 + Math.cos((Math.PI * count) / decaySteps));
    return initValue * ((1 - alpha) * cosine ** exponent + alpha);
  };
}

/** Options of {@link piecewiseConstant}. */
export interface PiecewiseConstantOptions {
  /** Value before the first boundary. */
  initValue: number;
  /** `{ boundary: scale }`: from step `boundary` on, the value is multiplied by `scale` (cumulative). */
  boundariesAndScales: Record<number, number>;
}

/**
 * Piecewise constant (optax `piecewise_constant_schedule`): the value is multiplied by each
 * `scale` once `step >= boundary`.
 *
 * ```ts
 * piecewiseConstant({ initValue: 1, boundariesAndScales: { 10: 0.1, 20: 0.5 } })(25); // 0.05
 * ```
 */
export function piecewiseConstant(options: PiecewiseConstantOptions): (step: number) => number {
  const { initValue, boundariesAndScales } = readOptions<PiecewiseConstantOptions>(
    options,
    'options',
  ) as PiecewiseConstantOptions;
  assertFiniteNumber('initValue', initValue);
  if (boundariesAndScales == null || typeof boundariesAndScales !== 'object') {
    throw new ValueError(
      `boundariesAndScales must be an object {step: scale}, got ${describe(boundariesAndScales)}`,
      'boundariesAndScales',
    );
  }
  const pairs = Object.entries(boundariesAndScales)
    .map(([b, s]) => {
      const bn = Number(b);
      assertInteger('boundariesAndScales key', bn, 0);
      assertFiniteNumber(`boundariesAndScales[${b}]`, s);
      return [bn, s] as const;
    })
    .sort((a, b) => a[0] - b[0]);
  return (step) => {
    let v = initValue;
    for (const [b, s] of pairs) if (step >= b) v *= s;
    return v;
  };
}

/**
 * Joins schedules at boundaries (optax `join_schedules`): schedule `i + 1` starts at
 * `boundaries[i]` and is evaluated at `step − boundaries[i]`.
 */
export function joinSchedules(schedules: Schedule[], boundaries: number[]): (step: number) => number {
  if (!Array.isArray(schedules) || schedules.length === 0) {
    throw new ValueError(`schedules must be a non-empty array, got ${describe(schedules)}`, 'schedules');
  }
  if (!Array.isArray(boundaries) || boundaries.length !== schedules.length - 1) {
    throw new ValueError(
      `boundaries must have length schedules.length - 1 = ${schedules.length - 1}, got ${describe(boundaries)}`,
      'boundaries',
    );
  }
  boundaries.forEach((b, i) => {
    assertInteger(`boundaries[${i}]`, b, 0);
    if (i > 0 && b < boundaries[i - 1])
      throw new ValueError(`boundaries must be non-decreasing, got ${boundaries.join(', ')}`, 'boundaries');
  });
  schedules.forEach((s, i) => {
    assertSchedule(`schedules[${i}]`, s, true);
  });
  return (step) => {
    let i = 0;
    while (i < boundaries.length && step >= boundaries[i]) i++;
    const offset = i === 0 ? 0 : boundaries[i - 1];
    return evaluateSchedule(schedules[i], step - offset, `schedules[${i}]`);
  };
}

/**
 * Linear warm-up from `initValue` (default 0) to `after(0)` over `warmupSteps` steps, then
 * `after(step − warmupSteps)`.
 */
export function linearWarmup(
  warmupSteps: number,
  after: Schedule,
  options: { initValue?: number } = {},
): (step: number) => number {
  const { initValue = 0 } = readOptions<{ initValue?: number }>(options);
  assertInteger('warmupSteps', warmupSteps, 1);
  assertSchedule('after', after, true);
  const peak = evaluateSchedule(after, 0, 'after');
  return joinSchedules(
    [linearSchedule({ initValue, endValue: peak, transitionSteps: warmupSteps }), after],
    [warmupSteps],
  );
}

/** Options of {@link warmupCosineDecay}. */
export interface WarmupCosineDecayOptions {
  /** Value at step 0. */
  initValue: number;
  /** Value at the end of the warm-up. */
  peakValue: number;
  /** Length of the linear warm-up (≥ 0). */
  warmupSteps: number;
  /** Total steps including the warm-up (as in optax). */
  decaySteps: number;
  /** Final value at decaySteps (default 0). */
  endValue?: number;
  /** Power of the cosine factor (default 1). */
  exponent?: number;
}

/**
 * Linear warm-up from `initValue` to `peakValue` over `warmupSteps`, then cosine decay to
 * `endValue` (default 0) at `decaySteps` (optax `warmup_cosine_decay_schedule`).
 */
export function warmupCosineDecay(options: WarmupCosineDecayOptions): (step: number) => number {
  const {
    initValue,
    peakValue,
    warmupSteps,
    decaySteps,
    endValue = 0,
    exponent = 1,
  } = readOptions<WarmupCosineDecayOptions>(options, 'options') as WarmupCosineDecayOptions;
  assertFiniteNumber('initValue', initValue);
  assertFiniteNumber('peakValue', peakValue);
  if (peakValue === 0) throw new ValueError('peakValue must be non-zero, got 0', 'peakValue');
  assertInteger('warmupSteps', warmupSteps, 0);
  assertInteger('decaySteps', decaySteps, warmupSteps + 1);
  assertFiniteNumber('endValue', endValue);
  const decay = cosineDecay({
    initValue: peakValue,
    decaySteps: decaySteps - warmupSteps,
    alpha: endValue / peakValue,
    exponent,
  });
  if (warmupSteps === 0) return decay;
  return joinSchedules(
    [linearSchedule({ initValue, endValue: peakValue, transitionSteps: warmupSteps }), decay],
    [warmupSteps],
  );
}
