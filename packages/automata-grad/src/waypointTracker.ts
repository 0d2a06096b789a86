/**
 * A simple waypoint tracker: the feasibility certificate of the task suite. It follows a
 * polyline of positions with a per-system feedback law (single integrator: full speed towards
 * the waypoint; double integrator: saturated PD on position and velocity; unicycle: turn towards
 * the waypoint, drive at a speed that shrinks with the heading error) and switches to the next
 * waypoint within a radius. It needs hand-given obstacle-free waypoints, so it is no planner; it
 * shows that a task is feasible under the dynamics and the control bound.
 * @module
 */
import {
  type MatrixInput,
  type VectorLike,
  NotSupportedError,
  ValueError,
  assertInteger,
  assertPositive,
  describe,
  readRows,
  readVector,
} from '@descent/tensor';
import type { Dynamics } from './dynamics';

/** Options of {@link trackWaypoints}. */
export interface TrackOptions {
  /** `singleIntegrator`, `doubleIntegrator` (2-d) or `unicycle`. */
  dynamics: Dynamics;
  /** Initial state (length n). */
  x0: VectorLike;
  /** Positions (x, y) to visit in order; the tracker holds the last one. */
  waypoints: MatrixInput;
  /** Control steps T. */
  horizon: number;
  /** Control bound |u_i| ≤ uMax_i: one number for every component or one per component (default 1). */
  uMax?: number | VectorLike;
  /** Switch to the next waypoint within this distance (default 0.04; 0.08 for the double integrator). */
  radius?: number;
}

/** Result of {@link trackWaypoints}. */
export interface TrackResult {
  /** Controls u₀ … u_{T−1} (|u_i| ≤ uMax). */
  controls: number[][];
  /** States x₀ … x_T. */
  states: number[][];
  /** Number of waypoints reached (within the radius) before the horizon ended. */
  reached: number;
}

const clip = (v: number, b: number) => Math.max(-b, Math.min(b, v));

/** Follows the waypoints with a feedback law for the system (see the module comment). */
export function trackWaypoints(options: TrackOptions): TrackResult {
  const { dynamics, x0, waypoints, horizon } = options ?? ({} as TrackOptions);
  if (dynamics == null || typeof dynamics.stepValue !== 'function') {
    throw new ValueError(`dynamics must be a Dynamics, got ${describe(dynamics)}`, 'dynamics');
  }
  assertInteger('horizon', horizon, 1);
  const x0v = readVector(x0, 'x0', { length: dynamics.stateDim, copy: true });
  const wps = readRows(waypoints, 'waypoints', { cols: 2 });
  const ub = resolveBound(options.uMax, dynamics.controlDim);
  const kind = dynamics.name;
  if (kind === 'doubleIntegrator' && dynamics.stateDim !== 4) {
    throw new NotSupportedError('trackWaypoints: the double integrator must be 2-d', 'dynamics');
  }
  if (kind === 'singleIntegrator' && dynamics.stateDim !== 2) {
    throw new NotSupportedError('trackWaypoints: the single integrator must be 2-d', 'dynamics');
  }
  if (kind !== 'singleIntegrator' && kind !== 'doubleIntegrator' && kind !== 'unicycle') {
    throw new NotSupportedError(
      `trackWaypoints supports singleIntegrator, doubleIntegrator and unicycle, got ${kind}`,
      'dynamics',
    );
  }
  const radius = options.radius ?? (kind === 'doubleIntegrator' ? 0.08 : 0.04);
  assertPositive('radius', radius);
  const dt = probeDt(dynamics);
  let x: Float64Array = x0v;
  const states: number[][] = [Array.from(x)];
  const controls: number[][] = [];
  let k = 0;
  let reached = 0;
  for (let t = 0; t < horizon; t++) {
    const w = wps[k];
    const dx = w[0] - x[0];
    const dy = w[1] - x[1];
    const dist = Math.hypot(dx, dy);
    if (dist < radius && k < wps.length - 1) {
      k++;
      reached = Math.max(reached, k);
      t--;
      continue;
    }
    if (dist < radius) reached = wps.length;
    let u: number[];
    if (kind === 'singleIntegrator') {
      const s = dist > 0 ? Math.min(Math.min(ub[0], ub[1]), dist / dt) / dist : 0;
      u = [clip(dx * s, ub[0]), clip(dy * s, ub[1])];
    } else if (kind === 'doubleIntegrator') {
      const kp = 4;
      const kd = 3;
      u = [clip(kp * dx - kd * x[2], ub[0]), clip(kp * dy - kd * x[3], ub[1])];
    } else {
      const e = Math.atan2(Math.sin(Math.atan2(dy, dx) - x[2]), Math.cos(Math.atan2(dy, dx) - x[2]));
      // slow down while the heading is off (nearly turning in place beyond 45°), and keep the
      // turning circle at full turn rate inside the waypoint: v ≤ ω_max·dist/(2|sin e|)
      const v = Math.min(
        ub[0] * Math.max(Math.cos(e), 0) ** 3,
        2 * dist,
        (ub[1] * dist) / (2 * Math.abs(Math.sin(e)) + 1e-9),
      );
      u = [v, clip(4 * e, ub[1])];
    }
    controls.push(u);
    x = dynamics.stepValue(x, u, t) as Float64Array;
    states.push(Array.from(x));
  }
  return { controls, states, reached };
}

/** A control bound as one positive number per control component (a number, an array, a typed array or a rank-1 tensor). */
export function resolveBound(
  uMax: number | VectorLike | undefined,
  m: number,
  name = 'uMax',
): Float64Array {
  if (uMax === undefined) return new Float64Array(m).fill(1);
  if (typeof uMax === 'number') {
    assertPositive(name, uMax);
    return new Float64Array(m).fill(uMax);
  }
  const out = readVector(uMax, name, { length: m, copy: true });
  for (let i = 0; i < out.length; i++) assertPositive(`${name}[${i}]`, out[i]);
  return out;
}

/** Δt of a system from one plain step with a unit control (the systems here are forward Euler). */
function probeDt(dynamics: Dynamics): number {
  const x = new Float64Array(dynamics.stateDim);
  const u = new Float64Array(dynamics.controlDim);
  u[0] = 1;
  const y = dynamics.stepValue(x, u, 0);
  const dt = dynamics.name === 'doubleIntegrator' ? y[dynamics.stateDim / 2] : y[0];
  if (!(dt > 0))
    throw new NotSupportedError('trackWaypoints: could not read Δt from the dynamics', 'dynamics');
  return dt;
}
