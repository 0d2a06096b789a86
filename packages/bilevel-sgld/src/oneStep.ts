/**
 * One-step and first-order hypergradient approximations after T inner gradient-descent steps
 * (θ_T from θ_{T−1}; ∂θ_{T−1}/∂λ taken as 0):
 *
 * - {@link t1t2} (Luketina et al. 2016): ∇_λL_V(θ_T) − ηB(θ_{T−1})ᵀ∇_θL_V(θ_T);
 * - {@link dartsFD} (Liu et al. 2019, second order by finite differences): w = θ_T,
 *   w′ = w − ξ∇_wL_T(w), w± = w ± ε∇_{w′}L_V(w′), ε = epsScale/‖∇_{w′}L_V‖:
 *   ∇_λL_V(w′) − ξ[∇_λL_T(w⁺) − ∇_λL_T(w⁻)]/(2ε) (first-order oracles only; → the mixed-partial
 *   VJP as ε → 0, i.e. T1–T2 at the look-ahead point);
 * - {@link dartsFirstOrder}: ∇_λL_V(θ_T) only (identically 0 for pure regularisers);
 * - {@link ignoreHypergradient}: 0 (the "ignore" baseline).
 * @module
 */
import { option, resolveOptions } from '@descent/tensor';
import type { EstimateContext, HypergradientEstimator } from './estimator';
import { type InnerLoopOptions, innerDescent, innerLoopSchema, innerResult, startInner } from './innerDescent';
import type { BilevelProblem, SecondOrderMode } from './problem';

/** Options of {@link t1t2}. */
export interface T1T2Options extends InnerLoopOptions {
  /** Mixed product: exact (default) or finite differences. */
  secondOrder?: SecondOrderMode;
}

/** T1–T2 one-step look-ahead hypergradient (see the module comment). */
export function t1t2(options: T1T2Options): HypergradientEstimator {
  const o = resolveOptions(options, { ...innerLoopSchema, secondOrder: option.oneOf(['exact', 'fd'], { default: 'exact' }) });
  return {
    name: 't1-t2',
    estimate(problem: BilevelProblem, lambda: ArrayLike<number>, context?: EstimateContext) {
      const s = startInner(problem, lambda, context, o.innerLearningRate);
      const { problem: P, lambda: l, theta, eta } = s;
      innerDescent(P, l, theta, Math.max(0, o.innerSteps - 1), eta);
      const prev = Float64Array.from(theta);
      innerDescent(P, l, theta, 1, eta);
      const gv = P.outerGradient(theta, l);
      const Bg = P.mixedVjp(prev, l, gv, o.secondOrder);
      return innerResult(s, P.outerHyperGradient(theta, l).map((h, j) => h - eta * Bg[j]));
    },
  };
}

/** Options of {@link dartsFD}. */
export interface DartsFdOptions extends InnerLoopOptions {
  /** Look-ahead step ξ (default: the inner step of the estimate). */
  xi?: number;
  /** ε = epsScale/‖∇_{w′}L_V‖ (default 0.01, DARTS). */
  epsScale?: number;
}

/** DARTS second-order hypergradient by finite differences (see the module comment). */
export function dartsFD(options: DartsFdOptions): HypergradientEstimator {
  const o = resolveOptions(options, {
    ...innerLoopSchema,
    xi: option.number({ gt: 0 }),
    epsScale: option.number({ gt: 0, default: 0.01 }),
  });
  return {
    name: 'darts-fd',
    estimate(problem: BilevelProblem, lambda: ArrayLike<number>, context?: EstimateContext) {
      const s = startInner(problem, lambda, context, o.innerLearningRate);
      const { problem: P, lambda: l, theta: w } = s;
      const xi = o.xi ?? s.eta;
      innerDescent(P, l, w, o.innerSteps, s.eta);
      const gw = P.innerGradient(w, l);
      const wp = w.map((x, i) => x - xi * gw[i]);
      const gv = P.outerGradient(wp, l);
      const norm = Math.sqrt(gv.reduce((s, x) => s + x * x, 0));
      const g = P.outerHyperGradient(wp, l);
      if (norm > 0) {
        const eps = o.epsScale / norm;
        const gPlus = P.innerHyperGradient(w.map((x, i) => x + eps * gv[i]), l);
        const gMinus = P.innerHyperGradient(w.map((x, i) => x - eps * gv[i]), l);
        for (let j = 0; j < g.length; j++) g[j] -= (xi * (gPlus[j] - gMinus[j])) / (2 * eps);
      }
      return innerResult(s, g);
    },
  };
}

/** DARTS first order: ∇_λL_V(θ_T) after T inner steps. */
export function dartsFirstOrder(options: InnerLoopOptions): HypergradientEstimator {
  const o = resolveOptions(options, innerLoopSchema);
  return {
    name: 'darts-first-order',
    estimate(problem: BilevelProblem, lambda: ArrayLike<number>, context?: EstimateContext) {
      const s = startInner(problem, lambda, context, o.innerLearningRate);
      innerDescent(s.problem, s.lambda, s.theta, o.innerSteps, s.eta);
      return innerResult(s, s.problem.outerHyperGradient(s.theta, s.lambda));
    },
  };
}

/** The "ignore" baseline: a zero hypergradient (λ never moves); the inner loop still runs for the outer value. */
export function ignoreHypergradient(options: InnerLoopOptions): HypergradientEstimator {
  const o = resolveOptions(options, innerLoopSchema);
  return {
    name: 'ignore',
    estimate(problem: BilevelProblem, lambda: ArrayLike<number>, context?: EstimateContext) {
      const s = startInner(problem, lambda, context, o.innerLearningRate);
      innerDescent(s.problem, s.lambda, s.theta, o.innerSteps, s.eta);
      return innerResult(s, new Float64Array(s.problem.hyperDim));
    },
  };
}
