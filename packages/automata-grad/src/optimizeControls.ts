/**
 * The open-loop planning loop shared by the automaton planner and the STL baseline: controls
 * u = u_max·tanh(θ) (θ ∈ ℝ^{T×m}, so plain Adam needs no projection), a differentiable
 * objective of the rolled-out states maximised with an optax-style optimizer from
 * @descent/tensor, a temperature τ_k = max(τ_min, τ₀·γ^k), and an exact check of the hard
 * task (acceptance) on every iterate.
 * @module
 */
import {
  type GradientTransformation,
  Rng,
  ValueError,
  adam,
  applyUpdates,
  assertAllFinite,
  assertInteger,
  assertPositive,
  describe,
} from '@descent/tensor';
import { tf } from '@descent/tensor/tf';
import type { Dynamics } from './dynamics';
import { resolveBound } from './waypointTracker';

/** Options common to the open-loop planners. */
export interface OpenLoopOptions {
  /** The system. */
  dynamics: Dynamics;
  /** Initial state x₀ (length n). */
  x0: ArrayLike<number>;
  /** Number of control steps T ≥ 1 (the trajectory has T + 1 states). */
  horizon: number;
  /** Iteration budget (default 300). */
  iters?: number;
  /** Adam learning rate on θ (default 0.1); ignored when `optimizer` is given. */
  learningRate?: number;
  /** A custom optimizer (default `adam({ learningRate })`). */
  optimizer?: GradientTransformation<unknown>;
  /** Control bound: u_i = uMax_i·tanh(θ_i); one number for every component or one per component (default 1). */
  uMax?: number | ArrayLike<number>;
  /** Weight of the control cost mean(u²) subtracted from the task score (default 0). */
  controlCost?: number;
  /** Initial θ ~ initScale·N(0, 1) (default 0.1). */
  initScale?: number;
  /** Start from these controls (T×m, |u| < uMax) instead of random ones. */
  initialControls?: ArrayLike<ArrayLike<number>>;
  /**
   * Which iterate to return when no early stop happens: 'last' (default) or 'bestAccepted' (the
   * accepted iterate with the largest hard score, e.g. the largest margin).
   */
  select?: 'last' | 'bestAccepted';
  /** Initial temperature τ₀ (default 1), decay γ (default 0.98), floor τ_min (default 0.01). */
  tau0?: number;
  tauDecay?: number;
  tauMin?: number;
  /** Stop at the first iterate that satisfies the task (default true). */
  stopOnAccept?: boolean;
  /** Seed of the initial controls (default 0). */
  seed?: number;
  /** Called after every iteration with its history entry. */
  onIteration?: (entry: PlanHistoryEntry) => void;
}

/** One iteration of a planner. */
export interface PlanHistoryEntry {
  iter: number;
  tau: number;
  /** The smooth objective maximised at this iterate (task score − control cost). */
  objective: number;
  /** The hard task score of the iterate (automaton: max-plus violation, 0 iff accepted; STL: robustness). */
  hardScore: number;
  accepted: boolean;
}

/** Result of an open-loop planner. */
export interface PlanResult {
  /** Controls u₀ … u_{T−1} of the returned iterate (the first accepted one if any, else the last). */
  controls: number[][];
  /** States x₀ … x_T. */
  states: number[][];
  accepted: boolean;
  hardScore: number;
  /** Gradient steps taken before the returned iterate. */
  iterations: number;
  /** Iterations to the first accepted iterate, −1 if none. */
  firstAcceptIter: number;
  /** Wall time to the first accepted iterate (ms), NaN-free: −1 if none. */
  timeToAcceptMs: number;
  history: PlanHistoryEntry[];
  /** Value-and-gradient evaluations. */
  evaluations: number;
  timeMs: number;
}

/** Checks the common options; returns them with defaults. */
export function resolveOpenLoop(o: OpenLoopOptions) {
  if (o == null || typeof o !== 'object')
    throw new ValueError(`options must be an object, got ${describe(o)}`, 'options');
  const { dynamics } = o;
  if (dynamics == null || typeof dynamics.rollout !== 'function') {
    throw new ValueError(`dynamics must be a Dynamics, got ${describe(dynamics)}`, 'dynamics');
  }
  assertInteger('horizon', o.horizon, 1);
  if (o.x0 == null || o.x0.length !== dynamics.stateDim) {
    throw new ValueError(
      `x0 must have length ${dynamics.stateDim} (the state dimension), got ${describe(o.x0)}`,
      'x0',
    );
  }
  assertAllFinite('x0', o.x0);
  const iters = o.iters ?? 300;
  assertInteger('iters', iters, 0);
  const learningRate = o.learningRate ?? 0.1;
  assertPositive('learningRate', learningRate);
  const uMax = resolveBound(o.uMax, dynamics.controlDim);
  const controlCost = o.controlCost ?? 0;
  assertPositive('controlCost', controlCost, true);
  const initScale = o.initScale ?? 0.1;
  assertPositive('initScale', initScale, true);
  const tau0 = o.tau0 ?? 1;
  assertPositive('tau0', tau0);
  const tauDecay = o.tauDecay ?? 0.98;
  assertPositive('tauDecay', tauDecay);
  if (tauDecay > 1) throw new ValueError(`tauDecay must be in (0, 1], got ${tauDecay}`, 'tauDecay');
  const tauMin = o.tauMin ?? 0.01;
  assertPositive('tauMin', tauMin);
  return {
    dynamics,
    horizon: o.horizon,
    x0: Float32Array.from(o.x0),
    iters,
    optimizer: o.optimizer ?? adam({ learningRate }),
    uMax,
    controlCost,
    initScale,
    tau0,
    tauDecay,
    tauMin,
    stopOnAccept: o.stopOnAccept ?? true,
    initialControls: o.initialControls,
    select: o.select ?? 'last',
    seed: o.seed ?? 0,
    onIteration: o.onIteration,
  };
}

/** The temperature of iteration k: max(τ_min, τ₀·γ^k). */
export function temperature(k: number, tau0: number, tauDecay: number, tauMin: number): number {
  return Math.max(tauMin, tau0 * tauDecay ** k);
}

/**
 * Maximises `objective(states, τ)` over bounded open-loop controls. `check` decides acceptance
 * and the hard score of an iterate from its states (plain numbers).
 */
export function optimizeControls(
  options: OpenLoopOptions,
  objective: (states: tf.Tensor2D, tau: number) => tf.Scalar,
  check: (states: number[][]) => { accepted: boolean; hardScore: number },
): PlanResult {
  const o = resolveOpenLoop(options);
  const start = performance.now();
  const { dynamics, horizon: T, uMax } = o;
  const m = dynamics.controlDim;
  const rng = new Rng(o.seed).fold('init-controls');
  let theta = rng.normalArray(T * m, 0, o.initScale);
  if (o.initialControls !== undefined) {
    const u = o.initialControls;
    if (u.length !== T || Array.from(u).some((r) => r?.length !== m)) {
      throw new ValueError(`initialControls must be ${T}×${m}, got ${describe(u)}`, 'initialControls');
    }
    // θ = atanh(u/uMax), clipped away from ±1
    theta = Float64Array.from({ length: T * m }, (_, i) => {
      const r = u[Math.floor(i / m)][i % m] / uMax[i % m];
      if (!Number.isFinite(r)) throw new ValueError('initialControls must be finite', 'initialControls');
      return Math.atanh(Math.max(-1 + 1e-6, Math.min(1 - 1e-6, r)));
    });
  }
  let best: {
    controls: number[][];
    states: number[][];
    accepted: boolean;
    hardScore: number;
    iterations: number;
  } | null = null;
  let optState = o.optimizer.init(theta);
  const history: PlanHistoryEntry[] = [];
  let evaluations = 0;
  let firstAcceptIter = -1;
  let timeToAcceptMs = -1;
  let result: {
    controls: number[][];
    states: number[][];
    accepted: boolean;
    hardScore: number;
    iterations: number;
  } | null = null;
  const x0 = tf.tensor1d(o.x0);
  const uMaxT = tf.tensor2d(Float32Array.from(uMax), [1, m]);
  try {
    for (let k = 0; k <= o.iters; k++) {
      const tau = temperature(k, o.tau0, o.tauDecay, o.tauMin);
      const th = tf.tensor2d(Float32Array.from(theta), [T, m]);
      let statesKept: tf.Tensor2D | null = null;
      const f = (z: tf.Tensor): tf.Scalar => {
        const u = tf.mul(tf.tanh(z), uMaxT) as tf.Tensor2D;
        const xs = dynamics.rollout(x0, u);
        statesKept = tf.keep(xs.clone());
        const task = objective(xs, tau);
        return (
          o.controlCost > 0 ? tf.sub(task, tf.mul(tf.mean(tf.square(u)), o.controlCost)) : task
        ) as tf.Scalar;
      };
      const last = k === o.iters;
      let value: number;
      let grad: Float64Array | null = null;
      if (last) {
        value = tf.tidy(() => f(th).dataSync()[0]);
      } else {
        const vg = tf.valueAndGrad(f)(th);
        value = vg.value.dataSync()[0];
        grad = Float64Array.from(vg.grad.dataSync(), (g) => -g); // maximise
        tf.dispose([vg.value, vg.grad]);
        evaluations++;
      }
      th.dispose();
      const states = (statesKept as unknown as tf.Tensor2D).arraySync() as number[][];
      (statesKept as unknown as tf.Tensor2D).dispose();
      const { accepted, hardScore } = check(states);
      const entry = { iter: k, tau, objective: value, hardScore, accepted };
      history.push(entry);
      o.onIteration?.(entry);
      if (accepted && firstAcceptIter < 0) {
        firstAcceptIter = k;
        timeToAcceptMs = performance.now() - start;
      }
      if (o.select === 'bestAccepted' && accepted && (best === null || hardScore > best.hardScore)) {
        best = { controls: controlsOf(theta, T, m, uMax), states, accepted, hardScore, iterations: k };
      }
      if ((accepted && o.stopOnAccept) || last) {
        result = best ?? {
          controls: controlsOf(theta, T, m, uMax),
          states,
          accepted,
          hardScore,
          iterations: k,
        };
        break;
      }
      if (grad === null || !grad.every(Number.isFinite)) {
        throw new ValueError(`the objective's gradient is not finite at iteration ${k}`, 'objective');
      }
      const upd = o.optimizer.update(grad, optState, theta);
      optState = upd.state;
      theta = applyUpdates(theta, upd.updates);
    }
  } finally {
    x0.dispose();
    uMaxT.dispose();
  }
  const r = result!;
  return { ...r, firstAcceptIter, timeToAcceptMs, history, evaluations, timeMs: performance.now() - start };
}

function controlsOf(theta: Float64Array, T: number, m: number, uMax: Float64Array): number[][] {
  return Array.from({ length: T }, (_, t) =>
    Array.from({ length: m }, (_, i) => uMax[i] * Math.tanh(theta[t * m + i])),
  );
}
