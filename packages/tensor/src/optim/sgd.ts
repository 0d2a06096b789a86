/**
 * Momentum (optax `trace`) and SGD.
 * @module
 */
import { ValueError, assertInRange, describe } from '../errors';
import { readOptions } from '../options/read';
import { type Schedule, assertSchedule } from './schedule';
import { scaleByLearningRate } from './scale';
import { type GradientTransformation, chain, checkVector, stateArray } from './transformation';

/** State of {@link trace}. */
export interface TraceState {
  /** The momentum buffer t. */
  trace: number[];
}

/** Options of {@link trace}. */
export interface TraceOptions {
  /** Momentum coefficient β ∈ [0, 1) (default 0.9). */
  decay?: number;
  /** Nesterov momentum (default false). */
  nesterov?: boolean;
}

/**
 * Heavy-ball momentum (optax `trace`): t ← g + β t; the update is t, or g + β t with Nesterov.
 */
export function trace(options: TraceOptions = {}): GradientTransformation<TraceState> {
  const { decay = 0.9, nesterov = false } = readOptions<TraceOptions>(options);
  if (typeof nesterov !== 'boolean')
    throw new ValueError(`nesterov must be true or false, got ${describe(nesterov)}`, 'nesterov');
  assertInRange('decay', decay, 0, 1, { maxExclusive: true });
  return {
    init: (params) => ({ trace: new Array<number>(params.length).fill(0) }),
    update(grads, state) {
      checkVector('grads', grads);
      const t0 = stateArray(state, 'trace', grads.length);
      const t = new Array<number>(grads.length);
      const u = new Float64Array(grads.length);
      for (let i = 0; i < u.length; i++) {
        t[i] = grads[i] + decay * t0[i];
        u[i] = nesterov ? grads[i] + decay * t[i] : t[i];
      }
      return { updates: u, state: { trace: t } };
    },
  };
}

/** Options of {@link sgd}. */
export interface SgdOptions {
  /** Step size η (a constant ≥ 0 or a schedule). Required. */
  learningRate: Schedule;
  /** Momentum β ∈ [0, 1) (default 0: plain SGD). */
  momentum?: number;
  /** Nesterov momentum (default false; needs momentum > 0). */
  nesterov?: boolean;
}

/**
 * SGD with optional (Nesterov) momentum, as optax: `chain(trace({decay: β, nesterov}), scaleByLearningRate(η))`.
 * Without momentum: x ← x − η g. With momentum: t ← g + β t, x ← x − η t.
 *
 * ```ts
 * const opt = sgd({ learningRate: 0.1, momentum: 0.9 });
 * let s = opt.init(x); const r = opt.update(g, s); x = applyUpdates(x, r.updates); s = r.state;
 * ```
 */
export function sgd(options: SgdOptions): GradientTransformation<unknown[]> {
  readOptions(options);
  if (options == null || options.learningRate === undefined) {
    throw new ValueError('learningRate is required, got undefined', 'learningRate');
  }
  const { learningRate, momentum = 0, nesterov = false } = options;
  assertSchedule('learningRate', learningRate);
  assertInRange('momentum', momentum, 0, 1, { maxExclusive: true });
  if (nesterov && momentum === 0)
    throw new ValueError('nesterov needs momentum > 0, got momentum 0', 'nesterov');
  return momentum > 0
    ? chain(trace({ decay: momentum, nesterov }), scaleByLearningRate(learningRate))
    : chain(scaleByLearningRate(learningRate));
}
