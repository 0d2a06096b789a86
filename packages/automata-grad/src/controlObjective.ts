/**
 * The automaton score as a plain black-box objective of a flat control vector, for
 * gradient-free optimisers (e.g. SV-CMA-ES from @descent/stein-es, which finds several diverse
 * plans at once). Float64, no tensors: rollout by the plain-number step, score by the exact
 * semiring recursion.
 * @module
 */
import { ValueError, assertAllFinite, assertInteger, describe } from '@descent/tensor';
import type { SymbolicAutomaton } from './automaton';
import { compile } from './compile';
import type { Dynamics } from './dynamics';
import type { WeightFn } from './guard';
import { resolveBound } from './waypointTracker';
import { type SemiringName, resolveSemiring } from './semiring';

/** Options of {@link controlObjective}. */
export interface ControlObjectiveOptions {
  automaton: SymbolicAutomaton;
  dynamics: Dynamics;
  x0: ArrayLike<number>;
  horizon: number;
  /** Controls are clipped to [−uMax_i, uMax_i]: one number or one bound per component (default 1). */
  uMax?: number | ArrayLike<number>;
  /** Semiring of the score (default 'maxPlus': the cost is the total violation, 0 iff accepted). */
  semiring?: Extract<SemiringName, 'maxPlus' | 'maxMin' | 'log' | 'softMaxMin'>;
  tau?: number;
  weightFn?: WeightFn;
}

/**
 * Returns `cost(u) = −W(rollout(x₀, clip(u)))` for a flat control vector u of length T·m
 * (row-major u₀ … u_{T−1}), to be minimised; with the default max-plus violation score the cost
 * is ≥ 0 and equals 0 exactly when the trajectory is accepted.
 *
 * ```ts
 * const cost = controlObjective({ automaton, dynamics, x0, horizon: 50 });
 * const es = new SVCMAES({ means0: { lower, upper, count: 4 }, popSize: 8, seed: 1 }); // @descent/stein-es
 * while (!es.stop()) { const xs = es.ask(); es.tell(xs, xs.map(cost)); }
 * ```
 */
export function controlObjective(options: ControlObjectiveOptions): (u: ArrayLike<number>) => number {
  const { automaton, dynamics, x0, horizon } = options ?? ({} as ControlObjectiveOptions);
  if (automaton == null || typeof automaton.accepts !== 'function') {
    throw new ValueError(`automaton must be a SymbolicAutomaton, got ${describe(automaton)}`, 'automaton');
  }
  assertInteger('horizon', horizon, 1);
  if (x0 == null || x0.length !== dynamics.stateDim) {
    throw new ValueError(`x0 must have length ${dynamics.stateDim}, got ${describe(x0)}`, 'x0');
  }
  assertAllFinite('x0', x0);
  const uMax = resolveBound(options.uMax, dynamics.controlDim);
  const s = resolveSemiring(options.semiring ?? 'maxPlus', options.tau);
  const op = compile(automaton, s, {
    weightFn: options.weightFn ?? (s.name === 'maxMin' || s.name === 'softMaxMin' ? 'signed' : 'violation'),
  });
  const m = dynamics.controlDim;
  return (u) => {
    if (u == null || u.length !== horizon * m) {
      throw new ValueError(`u must have length horizon·m = ${horizon * m}, got ${describe(u)}`, 'u');
    }
    const xs: Float64Array[] = [Float64Array.from(x0)];
    const ut = new Float64Array(m);
    for (let t = 0; t < horizon; t++) {
      for (let i = 0; i < m; i++) ut[i] = Math.max(-uMax[i], Math.min(uMax[i], u[t * m + i]));
      xs.push(dynamics.stepValue(xs[t], ut, t));
    }
    const w = op.scoreValue(xs);
    return w === -Infinity ? Number.MAX_VALUE : 0 - w;
  };
}
