/**
 * GD and SAM/ASAM/USAM dynamics on a {@link Toy} in float64 (microseconds per step): the exact
 * counterpart of the tensor-tree {@link sam} transformation for landscapes with known answers.
 * @module
 */
import {
  Rng,
  ValueError,
  assertInteger,
  assertPositive,
  describe,
  readEnum,
  readNumber,
  readVector,
} from '@descent/tensor';
import type { SamMode } from '../perturbation';
import { resolveRho } from '../perturbation';
import { SwitchSchedule } from '../switchSchedule';
import type { Toy } from './toy';

/** Options of {@link simulateToy}. */
export interface ToyRunOptions {
  /** The start point w₀ (length d). */
  start: ArrayLike<number>;
  /** Number of steps T. */
  steps: number;
  /** Step size η. */
  learningRate: number;
  /** `'gd'` (default) or the SAM variant used when SAM is on. */
  method?: 'gd' | SamMode;
  /** ρ (default per mode; required for USAM). */
  rho?: number;
  /** ASAM's offset η in T_w = |w| + η (default 0.01). */
  asamOffset?: number;
  /** When SAM is on (default: every step); its `totalSteps` must equal `steps`. */
  schedule?: SwitchSchedule;
  /**
   * Standard deviation σ of Gaussian gradient noise (default 0): one draw ξₜ per step, added to
   * both passes of a SAM step (both see the same minibatch).
   */
  noise?: number;
  /** Seed of the noise (default 0). */
  seed?: number | string;
  /** Keep every iterate (default false). */
  record?: boolean;
}

/** What {@link simulateToy} returns. */
export interface ToyRun {
  /** The final point. */
  w: Float64Array;
  /** f at the final point. */
  value: number;
  /** The top Hessian eigenvalue at the final point. */
  topEigenvalue: number;
  /** w₀, …, w_T when `record` (else empty). */
  trajectory: Float64Array[];
  /** Whether any iterate became non-finite (the run stops there). */
  diverged: boolean;
}

function norm(v: Float64Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  return Math.sqrt(s);
}

/**
 * The float64 perturbation ε̂ of `mode` at gradient g and weights w (w is read by ASAM only but
 * must match g's length): ρg/‖g‖ (SAM), ρT²g/‖Tg‖ with T = |w| + offset (ASAM), ρg (USAM).
 *
 * ```ts
 * perturbVector('sam', [3, 4], [0, 0], 0.05); // Float64Array [0.03, 0.04]
 * ```
 */
export function perturbVector(
  mode: SamMode,
  g: ArrayLike<number>,
  w: ArrayLike<number>,
  rho: number,
  offset = 0.01,
  eps = 1e-12,
): Float64Array {
  const m = readEnum(mode, 'mode', ['sam', 'asam', 'usam']);
  const gv = readVector(g, 'g');
  const wv = readVector(w, 'w', { length: gv.length });
  const r = readNumber(rho, 'rho', { min: 0 });
  const o = readNumber(offset, 'offset', { min: 0 });
  const e = readNumber(eps, 'eps', { min: 0 });
  return perturbVectorUnchecked(m, gv, wv, r, o, e);
}

/** {@link perturbVector} without the input checks (the simulation's inner loop). */
function perturbVectorUnchecked(
  mode: SamMode,
  g: Float64Array,
  w: Float64Array,
  rho: number,
  offset: number,
  eps = 1e-12,
): Float64Array {
  if (mode === 'usam') return g.map((v) => rho * v);
  if (mode === 'sam') {
    const n = norm(g);
    return n === 0 ? new Float64Array(g.length) : g.map((v) => (rho * v) / (n + eps));
  }
  const t = w.map((v) => Math.abs(v) + offset);
  const tg = g.map((v, i) => t[i] * v);
  const n = norm(tg);
  return n === 0 ? new Float64Array(g.length) : tg.map((v, i) => (rho * t[i] * v) / (n + eps));
}

/**
 * Runs GD, or SAM (variant `method`) on the steps its schedule turns on, from `start`.
 *
 * ```ts
 * const valley = hyperbolaValley();
 * const gd = simulateToy(valley, { start: [2.8, 0.06], steps: 3000, learningRate: 0.25, noise: 1e-3 });
 * gd.topEigenvalue; // ≈ 6.8: a sharp minimum
 * ```
 */
export function simulateToy(toy: Toy, options: ToyRunOptions): ToyRun {
  if (toy == null || typeof toy.grad !== 'function')
    throw new ValueError(`toy must be a Toy, got ${describe(toy)}`, 'toy');
  if (options == null || typeof options !== 'object')
    throw new ValueError(`options must be an object, got ${describe(options)}`, 'options');
  const d = toy.dim;
  const start = options.start;
  if (start == null || typeof start.length !== 'number' || start.length !== d)
    throw new ValueError(`start must be an array of ${d} numbers, got ${describe(start)}`, 'start');
  const w = Float64Array.from(start);
  w.forEach((v, i) => {
    if (!Number.isFinite(v)) throw new ValueError(`start[${i}] must be finite, got ${v}`, 'start');
  });
  const steps = options.steps;
  assertInteger('steps', steps, 0);
  const eta = options.learningRate;
  assertPositive('learningRate', eta);
  const method = readEnum(options.method ?? 'gd', 'method', ['gd', 'sam', 'asam', 'usam'] as const);
  const rho = method === 'gd' ? 0 : resolveRho(method, options.rho);
  const offset = options.asamOffset ?? 0.01;
  assertPositive('asamOffset', offset, true);
  const sigma = options.noise ?? 0;
  assertPositive('noise', sigma, true);
  const schedule = options.schedule;
  if (schedule !== undefined) {
    if (!(schedule instanceof SwitchSchedule))
      throw new ValueError(`schedule must be a SwitchSchedule, got ${describe(schedule)}`, 'schedule');
    if (schedule.totalSteps !== steps)
      throw new ValueError(
        `schedule.totalSteps must equal steps = ${steps}, got ${schedule.totalSteps}`,
        'schedule',
      );
  }
  const rng = new Rng(options.seed ?? 0).fold('toy-noise');
  const trajectory: Float64Array[] = options.record ? [w.slice()] : [];
  const xi = new Float64Array(d);
  let diverged = false;
  for (let t = 0; t < steps; t++) {
    if (sigma > 0) for (let i = 0; i < d; i++) xi[i] = sigma * rng.normal();
    const g = toy.grad(w);
    for (let i = 0; i < d; i++) g[i] += xi[i];
    let step = g;
    if (method !== 'gd' && (schedule === undefined || schedule.active(t))) {
      const e = perturbVectorUnchecked(method, g, w, rho, offset);
      const we = w.map((v, i) => v + e[i]);
      step = toy.grad(we);
      for (let i = 0; i < d; i++) step[i] += xi[i];
    }
    for (let i = 0; i < d; i++) w[i] -= eta * step[i];
    if (!w.every(Number.isFinite)) {
      diverged = true;
      break;
    }
    if (options.record) trajectory.push(w.slice());
  }
  return {
    w,
    value: diverged ? Number.NaN : toy.value(w),
    topEigenvalue: diverged ? Number.NaN : toy.topEigenvalue(w),
    trajectory,
    diverged,
  };
}
