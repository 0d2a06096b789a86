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
  type MatrixInput,
  type ResolvedOptions,
  type RunResult,
  type Seed,
  type StopReason,
  type VectorLike,
  Rng,
  ValueError,
  adam,
  applyUpdates,
  describe,
  option,
  readMatrix,
  readVector,
  resolveOptions,
} from '@descent/tensor';
import { tf } from '@descent/tensor/tf';
import type { Dynamics } from './dynamics';
import { requireBackend } from './backendCheck';
import { resolveBound } from './waypointTracker';

/** Options common to the open-loop planners. */
export interface OpenLoopOptions {
  /** The system. */
  dynamics: Dynamics;
  /** Initial state x₀ (length n): an array, a typed array or a rank-1 tensor. */
  x0: VectorLike;
  /** Number of control steps T ≥ 1 (the trajectory has T + 1 states). */
  horizon: number;
  /** Gradient-step budget (default 300; `planOpenLoop`: 600). Was `iters`. */
  maxSteps?: number;
  /** Adam learning rate on θ (default 0.1); ignored when `optimizer` is given. */
  learningRate?: number;
  /** A custom optimizer (default `adam({ learningRate })`). */
  optimizer?: GradientTransformation<unknown>;
  /** Control bound: u_i = uMax_i·tanh(θ_i); one number for every component or one per component (default 1). */
  uMax?: number | VectorLike;
  /** Weight of the control cost mean(u²) subtracted from the task score (default 0). */
  controlCost?: number;
  /** Initial θ ~ initScale·N(0, 1) (default 0.1). */
  initScale?: number;
  /** Start from these controls (T×m, |u| < uMax; nested arrays or a rank-2 tensor) instead of random ones. */
  initialControls?: MatrixInput;
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
  /** Seed of the initial controls: a number or a string (default 0), through the shared `Rng`. */
  seed?: Seed;
  /** Called after every step with its history entry. Was `onIteration`. */
  onStep?: (entry: PlanHistoryEntry) => void;
  /**
   * Stop (stop reason 'tolStagnation') when the hard score has not improved by more than 1%
   * (relative, plus 1e-6) over this many steps (default 0 = off; `planOpenLoop`: see its own option).
   */
  patience?: number;
}

/** One step of a planner. */
export interface PlanHistoryEntry {
  /** 0-based index of the iterate (step k is the iterate after k gradient steps). */
  step: number;
  tau: number;
  /** The smooth objective maximised at this iterate (task score − control cost). */
  objective: number;
  /** The hard task score of the iterate (automaton: max-plus violation, 0 iff accepted; STL: robustness). */
  hardScore: number;
  accepted: boolean;
}

/**
 * Result of an open-loop planner, a `RunResult`: `stopReason` is `'converged'` when it stopped at
 * an accepted iterate (`stopOnAccept`), else `'maxSteps'`.
 */
export interface PlanResult extends RunResult<PlanHistoryEntry> {
  /** Controls u₀ … u_{T−1} of the returned iterate (the first accepted one if any, else the last). */
  controls: number[][];
  /** States x₀ … x_T. */
  states: number[][];
  accepted: boolean;
  hardScore: number;
  /** Gradient steps taken before the returned iterate. Was `iterations`. */
  steps: number;
  /** Steps to the first accepted iterate, −1 if none. Was `firstAcceptIter`. */
  firstAcceptStep: number;
  /** Wall time to the first accepted iterate (ms), NaN-free: −1 if none. */
  timeToAcceptMs: number;
  /** Value-and-gradient evaluations. */
  evaluations: number;
  timeMs: number;
}

/** Old option names → new ones: passing an old name is a ValueError that names the new one. */
export const RENAMED_OPTIONS: Record<string, string> = {
  iters: 'maxSteps',
  onIteration: 'onStep',
  marginIters: 'marginSteps',
};

function readDynamics(v: unknown, name: string): Dynamics {
  const d = v as Dynamics;
  if (
    d == null ||
    typeof d !== 'object' ||
    typeof d.rollout !== 'function' ||
    typeof d.stepValue !== 'function'
  )
    throw new ValueError(`${name} must be a Dynamics, got ${describe(v)}`, name);
  return d;
}

function readOptimizer(v: unknown, name: string): GradientTransformation<unknown> {
  const o = v as GradientTransformation<unknown>;
  if (o == null || typeof o !== 'object' || typeof o.init !== 'function' || typeof o.update !== 'function')
    throw new ValueError(`${name} must be a GradientTransformation (init/update), got ${describe(v)}`, name);
  return o;
}

const passThrough = <T>(v: unknown): T => v as T;

/** The option schema of the open-loop planners (`maxSteps` defaults to `defaultMaxSteps`). */
export function openLoopSchema(defaultMaxSteps: number) {
  return {
    dynamics: option.custom(readDynamics, { required: true }),
    x0: option.custom(passThrough<VectorLike>, { required: true }),
    horizon: option.integer({ min: 1, max: 1e6, required: true }),
    maxSteps: option.integer({ min: 0, max: 1e7, default: defaultMaxSteps }),
    learningRate: option.number({ gt: 0 }),
    optimizer: option.custom(readOptimizer),
    uMax: option.custom(passThrough<number | VectorLike>),
    controlCost: option.number({ min: 0, default: 0 }),
    initScale: option.number({ min: 0, default: 0.1 }),
    initialControls: option.custom(passThrough<MatrixInput>),
    select: option.oneOf(['last', 'bestAccepted'] as const, { default: 'last' }),
    tau0: option.number({ gt: 0 }),
    tauDecay: option.number({ gt: 0, max: 1, default: 0.98 }),
    tauMin: option.number({ gt: 0, default: 0.01 }),
    stopOnAccept: option.boolean({ default: true }),
    seed: option.seed(),
    onStep: option.func<(entry: PlanHistoryEntry) => void>(),
    patience: option.integer({ min: 0, max: 1e7, default: 0 }),
  };
}

/** The resolved configuration of one run of the loop (internal callers build it directly). */
export interface OpenLoopConfig {
  dynamics: Dynamics;
  x0: Float64Array;
  horizon: number;
  maxSteps: number;
  optimizer: GradientTransformation<unknown>;
  uMax: Float64Array;
  controlCost: number;
  initScale: number;
  /** Flat row-major T×m initial controls, or undefined for random ones. */
  initialControls?: Float64Array;
  select: 'last' | 'bestAccepted';
  tau0: number;
  tauDecay: number;
  tauMin: number;
  stopOnAccept: boolean;
  seed: Seed;
  onStep?: (entry: PlanHistoryEntry) => void;
  /**
   * Stop when the hard score has not improved by more than 1% (relative, plus 1e-6) over this
   * many steps (stop reason 'tolStagnation'; default 0 = off).
   */
  patience?: number;
}

/** Reads bounded controls T×m (array of rows or rank-2 tensor) as a flat row-major Float64Array. */
export function readControls(u: unknown, T: number, m: number, name = 'initialControls'): Float64Array {
  return readMatrix(u, name, { rows: T, cols: m }).data.slice();
}

/**
 * Resolves an open-loop options object against `schema` (the common schema plus the caller's
 * own options) with the renamed options reported by their new names, then reads the parts that
 * depend on the system (x0's length, the bound per control, the initial controls' shape).
 */
export function resolveOpenLoop<S extends ReturnType<typeof openLoopSchema>>(
  options: unknown,
  schema: S,
  name: string,
): Omit<ResolvedOptions<S>, 'dynamics' | 'x0' | 'uMax' | 'initialControls'> & {
  dynamics: Dynamics;
  x0: Float64Array;
  uMax: Float64Array;
  initialControls: Float64Array | undefined;
} {
  const o = resolveOptions(options, schema, { name, renamed: RENAMED_OPTIONS });
  const dynamics = o.dynamics as Dynamics;
  const x0 = readVector(o.x0 as VectorLike, 'x0', { length: dynamics.stateDim, copy: true });
  const uMax = resolveBound(o.uMax as number | VectorLike | undefined, dynamics.controlDim);
  const T = o.horizon as number;
  const initialControls =
    o.initialControls === undefined ? undefined : readControls(o.initialControls, T, dynamics.controlDim);
  return { ...o, dynamics, x0, uMax, initialControls };
}

/** The temperature of step k: max(τ_min, τ₀·γ^k). */
export function temperature(k: number, tau0: number, tauDecay: number, tauMin: number): number {
  return Math.max(tauMin, tau0 * tauDecay ** k);
}

/**
 * Maximises `objective(states, τ)` over bounded open-loop controls. `check` decides acceptance
 * and the hard score of an iterate from its states (plain numbers). Needs a ready tfjs backend
 * (`await ready()` from `@descent/tensor/tf`).
 */
export function optimizeControls(
  options: OpenLoopOptions,
  objective: (states: tf.Tensor2D, tau: number) => tf.Scalar,
  check: (states: number[][]) => { accepted: boolean; hardScore: number },
): PlanResult {
  const o = resolveOpenLoop(options, openLoopSchema(300), 'optimizeControls options');
  if (typeof objective !== 'function')
    throw new ValueError(`objective must be a function, got ${describe(objective)}`, 'objective');
  if (typeof check !== 'function')
    throw new ValueError(`check must be a function, got ${describe(check)}`, 'check');
  return runOpenLoop(
    { ...o, tau0: o.tau0 ?? 1, optimizer: o.optimizer ?? adam({ learningRate: o.learningRate ?? 0.1 }) },
    objective,
    check,
  );
}

/**
 * The loop itself on a resolved configuration. `check` also gets the iterate's controls (e.g. to
 * replay them in float64).
 */
export function runOpenLoop(
  o: OpenLoopConfig,
  objective: (states: tf.Tensor2D, tau: number) => tf.Scalar,
  check: (states: number[][], controls: () => number[][]) => { accepted: boolean; hardScore: number },
): PlanResult {
  requireBackend('the open-loop planner');
  const start = performance.now();
  const { dynamics, horizon: T, uMax } = o;
  const m = dynamics.controlDim;
  const rng = new Rng(o.seed).fold('init-controls');
  let theta = rng.normalArray(T * m, 0, o.initScale);
  if (o.initialControls !== undefined) {
    const u = o.initialControls;
    // θ = atanh(u/uMax), clipped away from ±1
    theta = Float64Array.from({ length: T * m }, (_, i) => {
      const r = u[i] / uMax[i % m];
      return Math.atanh(Math.max(-1 + 1e-6, Math.min(1 - 1e-6, r)));
    });
  }
  type Iterate = {
    controls: number[][];
    states: number[][];
    accepted: boolean;
    hardScore: number;
    steps: number;
  };
  let best: Iterate | null = null;
  let optState = o.optimizer.init(theta);
  const history: PlanHistoryEntry[] = [];
  let evaluations = 0;
  let firstAcceptStep = -1;
  let timeToAcceptMs = -1;
  let result: Iterate | null = null;
  let stopReason: StopReason = 'maxSteps';
  const patience = o.patience ?? 0;
  let bestHard = Number.NEGATIVE_INFINITY;
  let improvedAt = 0;
  const x0 = tf.tensor1d(Float32Array.from(o.x0));
  const uMaxT = tf.tensor2d(Float32Array.from(uMax), [1, m]);
  try {
    for (let k = 0; k <= o.maxSteps; k++) {
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
      const last = k === o.maxSteps;
      let value: number;
      let grad: Float64Array | null = null;
      try {
        if (last) {
          value = tf.tidy(() => f(th).dataSync()[0]);
        } else {
          const vg = tf.valueAndGrad(f)(th);
          value = vg.value.dataSync()[0];
          grad = Float64Array.from(vg.grad.dataSync(), (g) => -g); // maximise
          tf.dispose([vg.value, vg.grad]);
          evaluations++;
        }
      } catch (e) {
        if (statesKept !== null) (statesKept as tf.Tensor2D).dispose();
        throw e;
      } finally {
        th.dispose();
      }
      const states = (statesKept as unknown as tf.Tensor2D).arraySync() as number[][];
      (statesKept as unknown as tf.Tensor2D).dispose();
      const { accepted, hardScore } = check(states, () => controlsOf(theta, T, m, uMax));
      const entry = { step: k, tau, objective: value, hardScore, accepted };
      history.push(entry);
      o.onStep?.(entry);
      if (accepted && firstAcceptStep < 0) {
        firstAcceptStep = k;
        timeToAcceptMs = performance.now() - start;
      }
      if (o.select === 'bestAccepted' && accepted && (best === null || hardScore > best.hardScore)) {
        best = { controls: controlsOf(theta, T, m, uMax), states, accepted, hardScore, steps: k };
      }
      if (k === 0 || hardScore > bestHard + 0.01 * Math.abs(bestHard) + 1e-6) {
        bestHard = hardScore;
        improvedAt = k;
      }
      const stagnant = patience > 0 && !accepted && k - improvedAt >= patience;
      if ((accepted && o.stopOnAccept) || last || stagnant) {
        if (accepted && o.stopOnAccept) stopReason = 'converged';
        else if (stagnant && !last) stopReason = 'tolStagnation';
        result = best ?? { controls: controlsOf(theta, T, m, uMax), states, accepted, hardScore, steps: k };
        break;
      }
      if (grad === null || !grad.every(Number.isFinite)) {
        throw new ValueError(`the objective's gradient is not finite at step ${k}`, 'objective');
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
  return {
    ...r,
    firstAcceptStep,
    timeToAcceptMs,
    history,
    evaluations,
    timeMs: performance.now() - start,
    stopReason,
  };
}

function controlsOf(theta: Float64Array, T: number, m: number, uMax: Float64Array): number[][] {
  return Array.from({ length: T }, (_, t) =>
    Array.from({ length: m }, (_, i) => uMax[i] * Math.tanh(theta[t * m + i])),
  );
}
