/**
 * Differentiating the unrolled inner loop θ_T(λ) of T gradient-descent steps exactly:
 *
 * - {@link unrolledReverse} (RMD; Maclaurin et al. 2015, Franceschi et al. 2017): store θ_0..θ_T,
 *   then α_T = ∇_θL_V(θ_T), g = ∇_λL_V(θ_T), and for t = T−1 … T−K:
 *   g ← g − ηB_tᵀα_{t+1}, α_t = α_{t+1} − ηH_tα_{t+1}. `truncate: K` keeps only the last K steps
 *   (truncated back-propagation, Shaban et al. 2019). Memory O(T·d).
 * - {@link forwardMode} (FMD; Franceschi et al. 2017): J_{t+1} = (I − ηH_t)J_t − ηB_t, then
 *   g = ∇_λL_V(θ_T) + J_Tᵀ∇_θL_V(θ_T). Memory O(d·p), p HVPs per step.
 *
 * Both give the same number (the derivative of the same finite computation; tested).
 * @module
 */
import { option, resolveOptions } from '@descent/tensor';
import type { EstimateContext, HypergradientEstimator } from './estimator';
import { type InnerLoopOptions, innerDescent, innerLoopSchema, innerResult, startInner } from './innerDescent';
import type { BilevelProblem, SecondOrderMode } from './problem';

/** Options of {@link unrolledReverse}. */
export interface UnrolledReverseOptions extends InnerLoopOptions {
  /** Back-propagate through the last K steps only (default Infinity: full unrolling). */
  truncate?: number;
  /** Second-order products: exact (default) or finite differences. */
  secondOrder?: SecondOrderMode;
}

/** Reverse-mode differentiation through T unrolled inner steps (optionally truncated). */
export function unrolledReverse(options: UnrolledReverseOptions): HypergradientEstimator {
  const o = resolveOptions(options, {
    ...innerLoopSchema,
    truncate: option.integer({ min: 0, allowInfinity: true, default: Infinity }),
    secondOrder: option.oneOf(['exact', 'fd'], { default: 'exact' }),
  });
  return {
    name: Number.isFinite(o.truncate) ? `rmd-truncated-${o.truncate}` : 'rmd',
    estimate(problem: BilevelProblem, lambda: ArrayLike<number>, context?: EstimateContext) {
      const s = startInner(problem, lambda, context, o.innerLearningRate);
      const { problem: P, lambda: l, theta, eta } = s;
      const history = innerDescent(P, l, theta, o.innerSteps, eta, true);
      let alpha = P.outerGradient(theta, l);
      const g = P.outerHyperGradient(theta, l);
      const stop = Math.max(0, o.innerSteps - o.truncate);
      for (let t = o.innerSteps - 1; t >= stop; t--) {
        const Bt = P.mixedVjp(history[t], l, alpha, o.secondOrder);
        for (let j = 0; j < g.length; j++) g[j] -= eta * Bt[j];
        const Ha = P.hvp(history[t], l, alpha, o.secondOrder);
        alpha = alpha.map((a, i) => a - eta * Ha[i]);
      }
      return innerResult(s, g);
    },
  };
}

/** Options of {@link forwardMode}. */
export interface ForwardModeOptions extends InnerLoopOptions {
  /** Second-order products: exact (default) or finite differences. */
  secondOrder?: SecondOrderMode;
}

/** Forward-mode differentiation through T unrolled inner steps. */
export function forwardMode(options: ForwardModeOptions): HypergradientEstimator {
  const o = resolveOptions(options, {
    ...innerLoopSchema,
    secondOrder: option.oneOf(['exact', 'fd'], { default: 'exact' }),
  });
  return {
    name: 'fmd',
    estimate(problem: BilevelProblem, lambda: ArrayLike<number>, context?: EstimateContext) {
      const s = startInner(problem, lambda, context, o.innerLearningRate);
      const { problem: P, lambda: l, theta, eta } = s;
      const p = P.hyperDim;
      const J = Array.from({ length: p }, () => new Float64Array(P.dim));
      const e = new Float64Array(p);
      for (let t = 0; t < o.innerSteps; t++) {
        for (let j = 0; j < p; j++) {
          const HJ = P.hvp(theta, l, J[j], o.secondOrder);
          e.fill(0);
          e[j] = 1;
          const Bj = P.mixedJvp(theta, l, e, o.secondOrder);
          for (let i = 0; i < P.dim; i++) J[j][i] -= eta * (HJ[i] + Bj[i]);
        }
        innerDescent(P, l, theta, 1, eta);
      }
      const gv = P.outerGradient(theta, l);
      const g = P.outerHyperGradient(theta, l);
      for (let j = 0; j < p; j++) for (let i = 0; i < P.dim; i++) g[j] += J[j][i] * gv[i];
      return innerResult(s, g);
    },
  };
}
