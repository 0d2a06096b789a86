/**
 * The deterministic inner solver of the baselines: T steps of gradient descent
 * θ_{t+1} = θ_t − η∇_θL_T(θ_t, λ) (the fixed-point map Φ(θ, λ) = θ − η∇_θL_T of hypertorch's
 * interface), optionally keeping the trajectory for reverse-mode unrolling.
 * @module
 */
import { ValueError, option } from '@descent/tensor';
import type { CheckedProblem } from './problem';

/** Inner-loop options shared by the deterministic baselines. */
export interface InnerLoopOptions {
  /** Inner gradient-descent step size η (required). */
  innerLearningRate: number;
  /** Inner steps T per estimate (default 100). */
  innerSteps?: number;
}

/** The option schema of {@link InnerLoopOptions}. */
export const innerLoopSchema = {
  innerLearningRate: option.number({ gt: 0, required: true }),
  innerSteps: option.integer({ min: 0, max: 1e7, default: 100 }),
};

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
  for (let t = 0; t < steps; t++) {
    if (keep) history.push(Float64Array.from(theta));
    const g = P.innerGradient(theta, lambda);
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
