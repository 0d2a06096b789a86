/**
 * Closed-loop planning (the paper's closed-loop problem): train a small MLP feedback policy
 * u_t = u_max·tanh(MLP([x_t, t/T])) so that trajectories from sampled initial states are
 * accepted, by maximising the mean automaton score of a batch of closed-loop rollouts. The
 * paper's controller parameterisation is not known (notes 2.5); a tanh MLP is our choice.
 * @module
 */
import {
  type MatrixInput,
  type RunResult,
  type Seed,
  type VectorLike,
  Rng,
  ValueError,
  adam,
  applyUpdates,
  describe,
  option,
  readInteger,
  readRows,
  readVector,
  resolveOptions,
} from '@descent/tensor';
import { tf } from '@descent/tensor/tf';
import type { SymbolicAutomaton } from './automaton';
import { compile } from './compile';
import type { Dynamics } from './dynamics';
import { RENAMED_OPTIONS, temperature } from './optimizeControls';
import { requireBackend } from './backendCheck';
import { logSemiring } from './semiring';

/** Options of {@link trainPolicy}. */
export interface PolicyOptions {
  automaton: SymbolicAutomaton;
  dynamics: Dynamics;
  /** Draws one initial state (length n) from a keyed stream. */
  x0Sampler: (rng: Rng) => VectorLike;
  /** Control steps T ≥ 1. */
  horizon: number;
  /** Hidden layer widths (default [32, 32]). */
  hidden?: number[];
  /** Gradient steps (default 200). Was `iters`. */
  maxSteps?: number;
  /** Rollouts per step (default 16). */
  batch?: number;
  /** Adam learning rate (default 0.01). */
  learningRate?: number;
  /** Control bound (default 1). */
  uMax?: number;
  /** Temperature schedule of the log semiring (defaults 1, 0.98, 0.01). */
  tau0?: number;
  tauDecay?: number;
  tauMin?: number;
  /** Initial states for the success rate (default 32 draws from `x0Sampler`). */
  evalStates?: MatrixInput;
  /** Evaluate the success rate every this many steps (default 25; 0 = only at the end). */
  evalEvery?: number;
  /** Seed of the initial parameters and the sampled states: a number or a string (default 0). */
  seed?: Seed;
}

/** One logged step of {@link trainPolicy}. */
export interface PolicyHistoryEntry {
  /** 0-based gradient step. */
  step: number;
  tau: number;
  /** Mean smooth score of the training batch. */
  meanScore: number;
  /** Fraction of the evaluation states whose closed-loop trajectory is accepted (when evaluated). */
  successRate?: number;
}

/** Result of {@link trainPolicy} (a `RunResult`; `stopReason` is always `'maxSteps'`). */
export interface PolicyResult extends RunResult<PolicyHistoryEntry> {
  /** Flat MLP parameters (layer by layer: W row-major [in, out], then b). */
  params: Float64Array;
  /** The trained feedback law u = π(x, t). */
  policy: (x: ArrayLike<number>, t: number) => Float64Array;
  /** Closed-loop rollout of the trained policy on plain numbers: x₀ … x_T. */
  rollout: (x0: ArrayLike<number>) => number[][];
  /** Final success rate on the evaluation states. */
  successRate: number;
  history: PolicyHistoryEntry[];
  evaluations: number;
  timeMs: number;
}

interface Layer {
  inDim: number;
  outDim: number;
  wOffset: number;
  bOffset: number;
}

function layout(sizes: number[]): { layers: Layer[]; size: number } {
  const layers: Layer[] = [];
  let off = 0;
  for (let i = 0; i + 1 < sizes.length; i++) {
    const l = { inDim: sizes[i], outDim: sizes[i + 1], wOffset: off, bOffset: off + sizes[i] * sizes[i + 1] };
    off = l.bOffset + sizes[i + 1];
    layers.push(l);
  }
  return { layers, size: off };
}

function mlpTensor(p: tf.Tensor1D, layers: Layer[], input: tf.Tensor2D, uMax: number): tf.Tensor2D {
  let h: tf.Tensor2D = input;
  layers.forEach((l, i) => {
    const W = tf.reshape(tf.slice(p, [l.wOffset], [l.inDim * l.outDim]), [l.inDim, l.outDim]) as tf.Tensor2D;
    const b = tf.slice(p, [l.bOffset], [l.outDim]);
    const z = tf.add(tf.matMul(h, W), b) as tf.Tensor2D;
    h = tf.tanh(z);
    if (i === layers.length - 1) h = tf.mul(h, uMax) as tf.Tensor2D;
  });
  return h;
}

function mlpValue(p: Float64Array, layers: Layer[], input: Float64Array, uMax: number): Float64Array {
  let h = input;
  layers.forEach((l, i) => {
    const out = new Float64Array(l.outDim);
    for (let j = 0; j < l.outDim; j++) {
      let s = p[l.bOffset + j];
      for (let k = 0; k < l.inDim; k++) s += h[k] * p[l.wOffset + k * l.outDim + j];
      out[j] = Math.tanh(s) * (i === layers.length - 1 ? uMax : 1);
    }
    h = out;
  });
  return h;
}

/**
 * Trains a feedback policy by gradient ascent on the mean automaton score (log semiring,
 * violation weights, τ annealed) of batched closed-loop rollouts.
 */
export function trainPolicy(options: PolicyOptions): PolicyResult {
  const o = resolveOptions(
    options,
    {
      automaton: option.custom(
        (v, name) => {
          const a = v as SymbolicAutomaton;
          if (a == null || typeof a !== 'object' || typeof a.accepts !== 'function')
            throw new ValueError(`${name} must be a SymbolicAutomaton, got ${describe(v)}`, name);
          return a;
        },
        { required: true },
      ),
      dynamics: option.custom(
        (v, name) => {
          const d = v as Dynamics;
          if (d == null || typeof d !== 'object' || typeof d.step !== 'function' || typeof d.stepValue !== 'function')
            throw new ValueError(`${name} must be a Dynamics, got ${describe(v)}`, name);
          return d;
        },
        { required: true },
      ),
      x0Sampler: option.func<(rng: Rng) => VectorLike>({ required: true }),
      horizon: option.integer({ min: 1, max: 1e5, required: true }),
      hidden: option.custom(
        (v, name) => {
          if (!Array.isArray(v) || v.length === 0)
            throw new ValueError(`${name} must be a non-empty array of layer widths, got ${describe(v)}`, name);
          return v.map((h, i) => readInteger(h, `${name}[${i}]`, { min: 1, max: 4096 }));
        },
        { default: [32, 32] },
      ),
      maxSteps: option.integer({ min: 0, max: 1e7, default: 200 }),
      batch: option.integer({ min: 1, max: 1e5, default: 16 }),
      learningRate: option.number({ gt: 0, default: 0.01 }),
      uMax: option.number({ gt: 0, default: 1 }),
      tau0: option.number({ gt: 0, default: 1 }),
      tauDecay: option.number({ gt: 0, max: 1, default: 0.98 }),
      tauMin: option.number({ gt: 0, default: 0.01 }),
      evalStates: option.custom((v) => v as MatrixInput),
      evalEvery: option.integer({ min: 0, max: 1e7, default: 25 }),
      seed: option.seed(),
    },
    { name: 'trainPolicy options', renamed: RENAMED_OPTIONS },
  );
  const { automaton, dynamics, hidden, maxSteps, batch, uMax, tau0, tauDecay, tauMin, evalEvery } = o;
  const lr = o.learningRate;
  automaton.validate();
  automaton.checkStateDim(dynamics.stateDim);
  requireBackend('trainPolicy');
  const T = o.horizon;
  const n = dynamics.stateDim;
  const m = dynamics.controlDim;
  const rng = new Rng(o.seed);
  const sample = (key: string, i: number, j: number): Float64Array =>
    readVector(o.x0Sampler!(rng.fold(key, i, j)), 'x0Sampler(rng)', { length: n, copy: true });
  const evalStates =
    o.evalStates === undefined
      ? Array.from({ length: 32 }, (_, j) => sample('eval', 0, j))
      : readRows(o.evalStates, 'evalStates', { cols: n });
  const { layers, size } = layout([n + 1, ...hidden, m]);
  const init = rng.fold('init');
  let params: Float64Array = new Float64Array(size);
  layers.forEach((l, i) => {
    const scale = (i === layers.length - 1 ? 0.1 : 1) / Math.sqrt(l.inDim);
    const w = init.fold('layer', i).normalArray(l.inDim * l.outDim, 0, scale);
    params.set(w, l.wOffset);
  });
  const opt = adam({ learningRate: lr });
  let state = opt.init(params);

  const rolloutValue = (p: Float64Array, x0: ArrayLike<number>): number[][] => {
    const xs: number[][] = [Array.from(x0)];
    let x: Float64Array = Float64Array.from(x0);
    const inp = new Float64Array(n + 1);
    for (let t = 0; t < T; t++) {
      inp.set(x);
      inp[n] = t / T;
      x = dynamics.stepValue(x, mlpValue(p, layers, inp, uMax), t);
      xs.push(Array.from(x));
    }
    return xs;
  };
  const successRate = (p: Float64Array): number =>
    evalStates.reduce((acc, x0) => acc + Number(automaton.accepts(rolloutValue(p, x0))), 0) /
    evalStates.length;

  const start = performance.now();
  const history: PolicyHistoryEntry[] = [];
  let evaluations = 0;
  for (let k = 0; k < maxSteps; k++) {
    const tau = temperature(k, tau0, tauDecay, tauMin);
    const op = compile(automaton, logSemiring({ tau }));
    const x0s = Array.from({ length: batch }, (_, j) => sample('x0', k, j));
    const pT = tf.tensor1d(Float32Array.from(params));
    const x0T = tf.tensor2d(Float32Array.from(x0s.flatMap((x) => Array.from(x))), [batch, n]);
    const f = (p: tf.Tensor): tf.Scalar => {
      let x: tf.Tensor2D = x0T;
      const states: tf.Tensor2D[] = [x];
      for (let t = 0; t < T; t++) {
        const inp = tf.concat([x, tf.fill([batch, 1], t / T)], 1) as tf.Tensor2D;
        x = dynamics.step(x, mlpTensor(p as tf.Tensor1D, layers, inp, uMax), t);
        states.push(x);
      }
      return tf.neg(tf.mean(op.score(tf.stack(states, 1)))) as tf.Scalar;
    };
    const { value, grad } = tf.valueAndGrad(f)(pT);
    const meanScore = -value.dataSync()[0];
    const g = Float64Array.from(grad.dataSync());
    tf.dispose([value, grad, pT, x0T]);
    evaluations++;
    if (!g.every(Number.isFinite))
      throw new ValueError(`the policy gradient is not finite at step ${k}`, 'objective');
    const upd = opt.update(g, state, params);
    state = upd.state;
    params = applyUpdates(params, upd.updates);
    const entry: PolicyHistoryEntry = { step: k, tau, meanScore };
    if (evalEvery > 0 && (k + 1) % evalEvery === 0) entry.successRate = successRate(params);
    history.push(entry);
  }
  const final = params;
  const inp = new Float64Array(n + 1);
  return {
    params: final,
    policy: (x, t) => {
      inp.set(Array.from(x).slice(0, n));
      inp[n] = t / T;
      return mlpValue(final, layers, inp, uMax);
    },
    rollout: (x0) => rolloutValue(final, x0),
    successRate: successRate(final),
    history,
    evaluations,
    timeMs: performance.now() - start,
    stopReason: 'maxSteps',
  };
}
