/**
 * The outer loop: λ ← λ − update(ĝ) with any hypergradient estimator and any float64
 * {@link GradientTransformation} (default Adam), on log λ where λ must stay positive
 * (∂F/∂log λ = λ ⊙ ∂F/∂λ), warm-starting the inner chains/runs from the previous estimate's
 * final states, with a fresh seed per outer step (`Rng(seed).fold('outer', step)`).
 *
 * Inner steps: an estimator built with a fixed step η keeps it at every λ the outer loop visits;
 * where λ changes the inner curvature (weight decays add exp(λⱼ) to the Hessian) give the
 * estimator the curvature rule `{ type: 'curvature', scale }` instead (η = scale / L̂(θ₀, λ) per
 * estimate; the power iteration's vector is warm-started across outer steps here), or bound λ
 * with `bounds`. `history[k].learningRate` records the inner step each estimate used.
 * @module
 */
import {
  type GradientTransformation,
  type RunResult,
  Rng,
  type Seed,
  ValueError,
  adam,
  describe,
  option,
  readVector,
  resolveOptions,
} from '@descent/tensor';
import type { HypergradientEstimator } from './estimator';
import { type BilevelProblem, checkProblem } from './problem';

/** Options of {@link bilevelTrain}. */
export interface BilevelTrainOptions {
  /** The hypergradient estimator (required). */
  estimator: HypergradientEstimator;
  /** Initial λ (required; > 0 where `logSpace`). */
  lambda0: ArrayLike<number>;
  /** Outer steps (default 100). */
  maxSteps?: number;
  /** Outer optimizer over the (log-)hyperparameters (default Adam, learning rate `learningRate`). */
  optimizer?: GradientTransformation<unknown>;
  /** Learning rate of the default Adam (default 0.05). */
  learningRate?: number;
  /** Optimise log λ (default true: λ stays positive). */
  logSpace?: boolean;
  /** λ is clipped into [lo, hi] after every update (default none; with `logSpace`, λ > 0 always). */
  bounds?: [number, number];
  /** Inner start of the first step (default zeros). */
  theta0?: ArrayLike<number>;
  /** Warm-start every estimate from the previous final states, recursion state (`carry`) and curvature vector (default true). */
  warmStart?: boolean;
  /** Seed (default 0); outer step k uses `Rng(seed).fold('outer', k)`'s first word as its estimate seed. */
  seed?: Seed;
  /** Called after every outer step; returning `false` stops. */
  onStep?: (entry: BilevelHistoryEntry) => unknown;
}

/** One outer step. */
export interface BilevelHistoryEntry {
  step: number;
  /** λ used at this step (before the update). */
  lambda: Float64Array;
  /** The estimate of dF/dλ. */
  hypergradient: Float64Array;
  /** The estimator's outer-loss estimate at λ. */
  outerValue: number;
  /** The inner step η the estimate used (fixed, or the curvature rule's scale / L̂; undefined if the estimator does not say). */
  learningRate?: number;
}

/** Result of {@link bilevelTrain}. */
export interface BilevelTrainResult extends RunResult<BilevelHistoryEntry> {
  /** λ after the last update. */
  lambda: Float64Array;
  /** Final inner states (warm start of a further run). */
  states: Float64Array[];
  /** Second-order products used. */
  secondOrderCalls: number;
}

/** Gradient-based hyperparameter optimisation with a hypergradient estimator (see the module comment). */
export function bilevelTrain(problem: BilevelProblem, options: BilevelTrainOptions): BilevelTrainResult {
  const start = Date.now();
  const P = checkProblem(problem);
  const o = resolveOptions(options, {
    estimator: option.custom((v, name) => {
      const e = v as HypergradientEstimator;
      if (e === null || typeof e !== 'object' || typeof e.estimate !== 'function') {
        throw new ValueError(`${name} must be a HypergradientEstimator { name, estimate }, got ${describe(v)}`, name);
      }
      return e;
    }, { required: true }),
    lambda0: option.vector({ length: P.hyperDim, required: true }),
    maxSteps: option.integer({ min: 0, max: 1e7, default: 100 }),
    optimizer: option.custom((v, name) => {
      const t = v as GradientTransformation<unknown>;
      if (t === null || typeof t !== 'object' || typeof t.init !== 'function' || typeof t.update !== 'function') {
        throw new ValueError(`${name} must be a GradientTransformation { init, update }, got ${describe(v)}`, name);
      }
      return t;
    }),
    learningRate: option.number({ gt: 0, default: 0.05 }),
    logSpace: option.boolean({ default: true }),
    bounds: option.custom((v, name) => {
      if (!Array.isArray(v) || v.length !== 2 || typeof v[0] !== 'number' || typeof v[1] !== 'number' || Number.isNaN(v[0]) || Number.isNaN(v[1]) || !(v[0] < v[1])) {
        throw new ValueError(`${name} must be [lo, hi] with lo < hi, got ${describe(v)}`, name);
      }
      return v as [number, number];
    }),
    theta0: option.vector({ length: P.dim }),
    warmStart: option.boolean({ default: true }),
    seed: option.seed(),
    onStep: option.func<NonNullable<BilevelTrainOptions['onStep']>>(),
  });
  if (o.logSpace && o.bounds && !(o.bounds[0] > 0)) {
    throw new ValueError(`bounds must be positive with logSpace, got [${o.bounds}]`, 'bounds');
  }
  if (o.logSpace) {
    for (let j = 0; j < o.lambda0.length; j++) {
      if (!(o.lambda0[j] > 0)) {
        throw new ValueError(`lambda0 must be > 0 with logSpace, got ${o.lambda0[j]} at index ${j}`, 'lambda0');
      }
    }
  }
  const opt = o.optimizer ?? adam({ learningRate: o.learningRate });
  let u = o.logSpace ? o.lambda0.map(Math.log) : Float64Array.from(o.lambda0);
  let state = opt.init(u);
  const root = new Rng(o.seed);
  const history: BilevelHistoryEntry[] = [];
  let states: Float64Array[] = o.theta0 === undefined ? [] : [o.theta0];
  let carry: Float64Array[] | undefined;
  let curvature: Float64Array | undefined;
  let gradientCalls = 0;
  let secondOrderCalls = 0;
  let stopReason: RunResult['stopReason'] = 'maxSteps';
  for (let step = 0; step < o.maxSteps; step++) {
    const lambda = o.logSpace ? u.map(Math.exp) : Float64Array.from(u);
    const seed = root.fold('outer', step).nextUint32();
    const theta0 = states.length === 0 ? undefined : states.length === 1 ? states[0] : states;
    const est = o.estimator.estimate(problem, lambda, curvature === undefined ? { theta0, seed, carry } : { theta0, seed, carry, curvature });
    const g = readVector(est.hypergradient, 'estimator.estimate().hypergradient', { length: P.hyperDim, copy: true });
    gradientCalls += est.gradientCalls;
    secondOrderCalls += est.secondOrderCalls;
    if (o.warmStart) {
      states = est.states;
      carry = est.carry;
      curvature = est.curvature?.vector;
    }
    const entry: BilevelHistoryEntry = { step, lambda, hypergradient: g, outerValue: est.outerValue, learningRate: est.learningRate };
    history.push(entry);
    const gu = o.logSpace ? g.map((x, j) => x * lambda[j]) : g;
    for (let j = 0; j < gu.length; j++) {
      // |g|² must stay finite for the optimizer's moments
      if (!(Math.abs(gu[j]) < 1e150)) {
        throw new ValueError(
          `estimator: the hypergradient at outer step ${step} is ${gu[j]} at index ${j} (the inner run is probably diverging: a fixed inner step can become unstable as λ moves; the curvature rule { type: 'curvature' } adapts it)`,
          'estimator',
        );
      }
    }
    const r = opt.update(gu, state, u);
    state = r.state;
    u = u.map((x, j) => x + r.updates[j]);
    if (o.bounds) {
      const [lo, hi] = o.logSpace ? [Math.log(o.bounds[0]), Math.log(o.bounds[1])] : o.bounds;
      u = u.map((x) => Math.min(hi, Math.max(lo, x)));
    }
    if (o.onStep && o.onStep(entry) === false) {
      stopReason = 'callback';
      break;
    }
  }
  return {
    lambda: o.logSpace ? u.map(Math.exp) : u,
    states,
    history,
    evaluations: gradientCalls,
    secondOrderCalls,
    timeMs: Date.now() - start,
    stopReason,
  };
}
