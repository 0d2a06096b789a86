/**
 * The deterministic inner solver of the baselines: T steps of gradient descent
 * θ_{t+1} = θ_t − η∇_θL_T(θ_t, λ) (the fixed-point map Φ(θ, λ) = θ − η∇_θL_T of hypertorch's
 * interface), optionally keeping the trajectory for reverse-mode unrolling.
 * @module
 */
import { ValueError, option } from '@descent/tensor';
import { type HypergradientEstimate, readEstimateInputs } from './estimator';
import type { CheckedProblem } from './problem';
import { type CurvatureEstimate, type ResolvedStepSize, type StepSize, readStepSize, resolveStep } from './stepSize';

/** Inner-loop options shared by the deterministic baselines. */
export interface InnerLoopOptions {
  /**
   * Inner gradient-descent step size (required): a number η, or `{ type: 'curvature', scale }` for
   * η = scale / L̂(θ₀, λ) recomputed at every estimate (see `StepSize`; stays stable when the outer
   * loop moves λ to a more curved inner loss).
   */
  innerLearningRate: StepSize;
  /** Inner steps T per estimate (default 100). */
  innerSteps?: number;
}

/** The option schema of {@link InnerLoopOptions}. */
export const innerLoopSchema = {
  innerLearningRate: option.custom(readStepSize, { required: true }),
  innerSteps: option.integer({ min: 0, max: 1e7, default: 100 }),
};

/** The checked start of a deterministic baseline's estimate: one inner run from `theta` with step `eta`. */
export interface InnerStart {
  problem: CheckedProblem;
  lambda: Float64Array;
  /** The inner state (a copy of the start; the estimator runs it forward in place). */
  theta: Float64Array;
  /** The inner step of this estimate (fixed, or the curvature rule at the start). */
  eta: number;
  curvature?: CurvatureEstimate;
}

/** Reads a baseline's `estimate` arguments (one inner run) and resolves its inner step. */
export function startInner(problem: unknown, lambda: unknown, context: unknown, rule: ResolvedStepSize): InnerStart {
  const inputs = readEstimateInputs(problem, lambda, context, 1, 0);
  const theta = inputs.starts[0];
  const { eta, curvature } = resolveStep(inputs.problem, rule, theta, inputs.lambda, inputs.curvature, 'innerLearningRate');
  return { problem: inputs.problem, lambda: inputs.lambda, theta, eta, curvature };
}

/** A baseline's result: `hypergradient`, L_V at the final inner state, the state, costs and the step used. */
export function innerResult(s: InnerStart, hypergradient: Float64Array): HypergradientEstimate {
  return {
    hypergradient,
    outerValue: s.problem.outerValue(s.theta, s.lambda),
    states: [s.theta],
    gradientCalls: s.problem.counts.gradients,
    secondOrderCalls: s.problem.counts.secondOrder,
    learningRate: s.eta,
    curvature: s.curvature,
  };
}

/**
 * Runs an oracle call after step `t` > 0 of an inner run: an error there (e.g. a float32 loss
 * overflowing to Infinity while θ is still finite) is rethrown as a ValueError naming the step
 * option, with the oracle's error as `cause` (the run was fine at step 0, so the step is the
 * likely culprit).
 */
export function divergenceGuard<R>(call: () => R, t: number, eta: number, name: string): R {
  try {
    return call();
  } catch (e) {
    const err = new ValueError(
      `${name}: the inner run failed at step ${t} with η = ${eta} (diverging? a fixed step needs η·λmax(H) < 2 at every λ the outer loop visits; { type: 'curvature' } adapts it): ${(e as Error).message}`,
      name,
    );
    Object.defineProperty(err, 'cause', { value: e });
    throw err;
  }
}

/**
 * Gradient growth within one inner run taken as divergence: with a stable step on an L-smooth,
 * μ-strongly convex loss ‖∇L‖ stays below √(L/μ)·‖∇L(θ₀)‖ (here: condition numbers up to 10¹²).
 */
const GROWTH = 1e6;

/** Runs T gradient-descent steps from `theta` (modified in place); returns θ_0..θ_{T−1} when `keep`. */
export function innerDescent(
  P: CheckedProblem,
  lambda: Float64Array,
  theta: Float64Array,
  steps: number,
  eta: number,
  keep = false,
): Float64Array[] {
  const history: Float64Array[] = [];
  let g0 = 0;
  for (let t = 0; t < steps; t++) {
    if (keep) history.push(Float64Array.from(theta));
    const g = t === 0 ? P.innerGradient(theta, lambda) : divergenceGuard(() => P.innerGradient(theta, lambda), t, eta, 'innerLearningRate');
    let gn = 0;
    for (let i = 0; i < g.length; i++) gn += g[i] * g[i];
    if (t === 0) g0 = gn;
    else if (g0 > 0 && gn > GROWTH * GROWTH * g0) {
      throw new ValueError(
        `innerLearningRate ${eta} is too large: the inner gradient grew ${GROWTH.toExponential(0)}-fold in ${t} steps of gradient descent (a stable step has η·λmax(H) < 2 at every λ the outer loop visits; { type: 'curvature' } adapts it)`,
        'innerLearningRate',
      );
    }
    let norm = 0;
    for (let i = 0; i < theta.length; i++) {
      theta[i] -= eta * g[i];
      norm += theta[i] * theta[i];
    }
    if (!Number.isFinite(norm)) {
      throw new ValueError(`innerLearningRate ${eta} is too large: gradient descent diverged at step ${t}`, 'innerLearningRate');
    }
  }
  return history;
}
