/**
 * Discrete-time systems (forward Euler), each with a vectorised open-loop rollout (cumulative
 * sums, no sequential loop), a batched tensor step for closed-loop policies and a plain-number
 * step for reference. Trajectories include the initial state: rollout(x₀, u₀ … u_{T−1}) =
 * x₀ … x_T, i.e. T + 1 states, all read by the automaton.
 * @module
 */
import {
  ShapeError,
  assertAllFinite,
  assertInteger,
  assertPositive,
  describe,
  readOptions,
} from '@descent/tensor';
import { tf } from '@descent/tensor/tf';

/** A controlled system x_{t+1} = f(x_t, u_t). */
export interface Dynamics {
  readonly name: string;
  /** State dimension n. */
  readonly stateDim: number;
  /** Control dimension m. */
  readonly controlDim: number;
  /** Time step Δt (optional for user systems; the planners' warm start reads it, default 0.1). */
  readonly dt?: number;
  /** x₀ ([n]) and u ([T, m]) → states [T + 1, n], differentiable in both. */
  rollout(x0: tf.Tensor1D, u: tf.Tensor2D): tf.Tensor2D;
  /** One step for a batch: x [B, n], u [B, m], step index t → [B, n]. */
  step(x: tf.Tensor2D, u: tf.Tensor2D, t: number): tf.Tensor2D;
  /** One step on plain numbers. */
  stepValue(x: ArrayLike<number>, u: ArrayLike<number>, t: number): Float64Array;
}

/** Options of the integrators. */
export interface IntegratorOptions {
  /** Time step Δt (default 0.1). */
  dt?: number;
  /** Spatial dimension (default 2). */
  dim?: number;
}

/**
 * Σ_{s<t} z_s for t = 0 … T (rows), i.e. [0; cumsum(z)] with T + 1 rows. The cumulative sum runs
 * over the last axis of the transpose: tfjs 4.22's Cumsum gradient has the wrong shape for axis 0.
 */
function exclusiveCumsum(z: tf.Tensor2D): tf.Tensor2D {
  const c = tf.transpose(tf.cumsum(tf.transpose(z), 1));
  return tf.concat([tf.zerosLike(tf.slice(z, [0, 0], [1, -1])), c], 0) as tf.Tensor2D;
}

/** Single integrator (point mass with velocity control): x_{t+1} = x_t + Δt·u_t. */
export function singleIntegrator(options: IntegratorOptions = {}): Dynamics {
  const { dt = 0.1, dim = 2 } = readOptions<IntegratorOptions>(options);
  assertPositive('dt', dt);
  assertInteger('dim', dim, 1);
  return {
    name: 'singleIntegrator',
    dt,
    stateDim: dim,
    controlDim: dim,
    rollout: (x0, u) =>
      tf.tidy(() => tf.add(tf.reshape(x0, [1, dim]), tf.mul(exclusiveCumsum(u), dt)) as tf.Tensor2D),
    step: (x, u) => tf.tidy(() => tf.add(x, tf.mul(u, dt)) as tf.Tensor2D),
    stepValue: (x, u) => Float64Array.from({ length: dim }, (_, i) => x[i] + dt * u[i]),
  };
}

/** Double integrator (point mass with acceleration control): p += Δt·v, v += Δt·u; state [p, v]. */
export function doubleIntegrator(options: IntegratorOptions = {}): Dynamics {
  const { dt = 0.1, dim = 2 } = readOptions<IntegratorOptions>(options);
  assertPositive('dt', dt);
  assertInteger('dim', dim, 1);
  return {
    name: 'doubleIntegrator',
    dt,
    stateDim: 2 * dim,
    controlDim: dim,
    rollout: (x0, u) =>
      tf.tidy(() => {
        const p0 = tf.reshape(tf.slice(x0, [0], [dim]), [1, dim]);
        const v0 = tf.reshape(tf.slice(x0, [dim], [dim]), [1, dim]);
        const v = tf.add(v0, tf.mul(exclusiveCumsum(u), dt)) as tf.Tensor2D; // v_0 … v_T
        const T = u.shape[0];
        const p = tf.add(p0, tf.mul(exclusiveCumsum(tf.slice(v, [0, 0], [T, dim]) as tf.Tensor2D), dt));
        return tf.concat([p, v], 1) as tf.Tensor2D;
      }),
    step: (x, u) =>
      tf.tidy(() => {
        const p = tf.slice(x, [0, 0], [-1, dim]);
        const v = tf.slice(x, [0, dim], [-1, dim]);
        return tf.concat([tf.add(p, tf.mul(v, dt)), tf.add(v, tf.mul(u, dt))], 1) as tf.Tensor2D;
      }),
    stepValue: (x, u) => {
      const out = new Float64Array(2 * dim);
      for (let i = 0; i < dim; i++) {
        out[i] = x[i] + dt * x[dim + i];
        out[dim + i] = x[dim + i] + dt * u[i];
      }
      return out;
    },
  };
}

/**
 * Unicycle (stlpy's `Unicycle`): state (p_x, p_y, θ), control (v, ω):
 * p_x += Δt·v·cos θ, p_y += Δt·v·sin θ, θ += Δt·ω. θ_t is a cumulative sum of ω, so the open-loop
 * rollout is still loop-free.
 */
export function unicycle(options: { dt?: number } = {}): Dynamics {
  const { dt = 0.1 } = readOptions<{ dt?: number }>(options);
  assertPositive('dt', dt);
  return {
    name: 'unicycle',
    dt,
    stateDim: 3,
    controlDim: 2,
    rollout: (x0, u) =>
      tf.tidy(() => {
        const T = u.shape[0];
        const v = tf.slice(u, [0, 0], [T, 1]);
        const w = tf.slice(u, [0, 1], [T, 1]);
        const th = tf.add(tf.slice(x0, [2], [1]), tf.mul(exclusiveCumsum(w as tf.Tensor2D), dt)); // θ_0 … θ_T
        const thT = tf.slice(th, [0, 0], [T, 1]);
        const vel = tf.concat([tf.mul(v, tf.cos(thT)), tf.mul(v, tf.sin(thT))], 1) as tf.Tensor2D;
        const p = tf.add(tf.reshape(tf.slice(x0, [0], [2]), [1, 2]), tf.mul(exclusiveCumsum(vel), dt));
        return tf.concat([p, th], 1) as tf.Tensor2D;
      }),
    step: (x, u) =>
      tf.tidy(() => {
        const th = tf.slice(x, [0, 2], [-1, 1]);
        const v = tf.slice(u, [0, 0], [-1, 1]);
        const w = tf.slice(u, [0, 1], [-1, 1]);
        const d = tf.concat([tf.mul(v, tf.cos(th)), tf.mul(v, tf.sin(th)), w], 1);
        return tf.add(x, tf.mul(d, dt)) as tf.Tensor2D;
      }),
    stepValue: (x, u) =>
      Float64Array.of(x[0] + dt * u[0] * Math.cos(x[2]), x[1] + dt * u[0] * Math.sin(x[2]), x[2] + dt * u[1]),
  };
}

/** Options of {@link adaptiveCruiseControl}. */
export interface AccOptions {
  /** Time step Δt (default 0.1). */
  dt?: number;
  /** Lead-car speed: a constant or one value per step (default 20 m/s). */
  vLead?: number | ArrayLike<number>;
}

/**
 * Adaptive cruise control: state (gap, v_ego), control a_ego:
 * gap += Δt·(v_lead,t − v_ego), v_ego += Δt·a.
 */
export function adaptiveCruiseControl(options: AccOptions = {}): Dynamics {
  const { dt = 0.1, vLead = 20 } = readOptions<AccOptions>(options);
  assertPositive('dt', dt);
  const lead = (t: number): number => {
    if (typeof vLead === 'number') return vLead;
    if (t >= vLead.length)
      throw new ShapeError(
        `vLead must have one value per step (>= ${t + 1}), got length ${vLead.length}`,
        'vLead',
      );
    return vLead[t];
  };
  if (typeof vLead !== 'number') assertAllFinite('vLead', vLead);
  else if (!Number.isFinite(vLead))
    throw new ShapeError(`vLead must be finite, got ${describe(vLead)}`, 'vLead');
  return {
    name: 'adaptiveCruiseControl',
    dt,
    stateDim: 2,
    controlDim: 1,
    rollout: (x0, u) =>
      tf.tidy(() => {
        const T = u.shape[0];
        const v = tf.add(tf.slice(x0, [1], [1]), tf.mul(exclusiveCumsum(u), dt)); // [T+1, 1]
        const vl = tf.tensor2d(
          Float32Array.from({ length: T }, (_, t) => lead(t)),
          [T, 1],
        );
        const gap = tf.add(
          tf.slice(x0, [0], [1]),
          tf.mul(exclusiveCumsum(tf.sub(vl, tf.slice(v, [0, 0], [T, 1])) as tf.Tensor2D), dt),
        );
        return tf.concat([gap, v], 1) as tf.Tensor2D;
      }),
    step: (x, u, t) =>
      tf.tidy(() => {
        const gap = tf.slice(x, [0, 0], [-1, 1]);
        const v = tf.slice(x, [0, 1], [-1, 1]);
        return tf.concat(
          [tf.add(gap, tf.mul(tf.sub(lead(t), v), dt)), tf.add(v, tf.mul(u, dt))],
          1,
        ) as tf.Tensor2D;
      }),
    stepValue: (x, u, t) => Float64Array.of(x[0] + dt * (lead(t) - x[1]), x[1] + dt * u[0]),
  };
}
