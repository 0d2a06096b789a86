/**
 * Exact polyline following (ours; the planner's follower of a searched kinematic path, issue 16):
 * bounded open-loop controls whose trajectory lies on a polyline of positions and stops (or, for
 * the single integrator, turns) exactly at each vertex, for the package's 2-d systems:
 *
 * - single integrator: constant velocity along each segment, n = ⌈max_i |Δp_i| / (Δt·s·uMax_i)⌉
 *   steps, so every vertex is a state;
 * - double integrator (from rest): rest to rest on each segment, acceleration +A for n steps then
 *   −A for n steps along the segment's direction; in discrete time the distance covered is
 *   A·Δt²·n², so A = d/(Δt²n²) with the smallest n that keeps |A·c_i| ≤ s·uMax_i; the velocity is
 *   zero again at the vertex;
 * - unicycle: turn in place (v = 0) to the segment's heading, then drive straight (ω = 0).
 *
 * s = `scale` (default 0.95) keeps the controls inside the bound, so that the planner's
 * parametrisation θ = atanh(u/uMax) stays finite. After the last vertex the system holds (zero
 * control). Returns null when the path does not fit in the horizon, the system is not one of the
 * three, or (double integrator) the start is not at rest.
 * @module
 */
import type { Dynamics } from './dynamics';

/** Options of {@link followPolyline}. */
export interface FollowOptions {
  dynamics: Dynamics;
  /** Initial state; its first two coordinates must be the polyline's first vertex. */
  x0: ArrayLike<number>;
  /** Vertices (x, y), the first one the start position. */
  points: readonly (readonly number[])[];
  horizon: number;
  /** Control bound per component. */
  uMax: ArrayLike<number>;
  /** Fraction of the bound used (default 0.95). */
  scale?: number;
}

/** Result of {@link followPolyline}. */
export interface FollowResult {
  /** Controls u₀ … u_{T−1}. */
  controls: number[][];
  /** Steps used before holding (≤ T). */
  used: number;
}

/** Controls that follow the polyline exactly (see the module comment), or null. */
export function followPolyline(options: FollowOptions): FollowResult | null {
  const { dynamics, x0, points, horizon: T, uMax } = options;
  const s = options.scale ?? 0.95;
  const dt = dynamics.dt ?? 0.1;
  const controls: number[][] = [];
  const kind = dynamics.name;
  if (kind === 'singleIntegrator' && dynamics.stateDim === 2) {
    for (let i = 1; i < points.length; i++) {
      const d = [points[i][0] - points[i - 1][0], points[i][1] - points[i - 1][1]];
      const n = Math.max(
        1,
        Math.ceil(Math.max(Math.abs(d[0]) / uMax[0], Math.abs(d[1]) / uMax[1]) / (dt * s)),
      );
      for (let t = 0; t < n; t++) controls.push([d[0] / (n * dt), d[1] / (n * dt)]);
    }
  } else if (kind === 'doubleIntegrator' && dynamics.stateDim === 4) {
    if (x0[2] !== 0 || x0[3] !== 0) return null;
    for (let i = 1; i < points.length; i++) {
      const d = [points[i][0] - points[i - 1][0], points[i][1] - points[i - 1][1]];
      const len = Math.hypot(d[0], d[1]);
      if (len === 0) continue;
      // A·|c_i| ≤ s·uMax_i with A = len/(Δt²n²), c = d/len
      const need = Math.max(Math.abs(d[0]) / uMax[0], Math.abs(d[1]) / uMax[1]) / (s * dt * dt);
      const n = Math.max(1, Math.ceil(Math.sqrt(need)));
      const a = [d[0] / (dt * dt * n * n), d[1] / (dt * dt * n * n)];
      for (let t = 0; t < n; t++) controls.push([a[0], a[1]]);
      for (let t = 0; t < n; t++) controls.push([-a[0], -a[1]]);
    }
  } else if (kind === 'unicycle') {
    let heading = x0[2];
    for (let i = 1; i < points.length; i++) {
      const d = [points[i][0] - points[i - 1][0], points[i][1] - points[i - 1][1]];
      const len = Math.hypot(d[0], d[1]);
      if (len === 0) continue;
      const target = Math.atan2(d[1], d[0]);
      const turn = Math.atan2(Math.sin(target - heading), Math.cos(target - heading));
      if (turn !== 0) {
        const nt = Math.ceil(Math.abs(turn) / (dt * s * uMax[1]));
        for (let t = 0; t < nt; t++) controls.push([0, turn / (nt * dt)]);
      }
      heading += turn;
      const nd = Math.max(1, Math.ceil(len / (dt * s * uMax[0])));
      for (let t = 0; t < nd; t++) controls.push([len / (nd * dt), 0]);
    }
  } else {
    return null;
  }
  const used = controls.length;
  if (used > T) return null;
  const m = dynamics.controlDim;
  while (controls.length < T) controls.push(new Array<number>(m).fill(0));
  return { controls, used };
}
