/**
 * Implicit-function-theorem hypergradients after T inner gradient-descent steps:
 * ∇F ≈ ∇_λL_V − Bᵀv with v ≈ H⁻¹∇_θL_V, v from
 *
 * - {@link iftNeumann} (Lorraine, Vicol, Duvenaud 2020): v = α Σ_{j=0..K} (I − αH)^j ∇_θL_V
 *   (K HVPs; converges monotonically for α·λmax(H) < 1 on SPD H; α defaults to the inner step);
 * - {@link iftCG} (Pedregosa 2016 HOAG; Rajeswaran et al. 2019 iMAML): K conjugate-gradient steps
 *   on (H + δI)v = ∇_θL_V (K = d reaches the exact solve on SPD H).
 * @module
 */
import { option, resolveOptions } from '@descent/tensor';
import type { EstimateContext, HypergradientEstimate, HypergradientEstimator } from './estimator';
import { type InnerLoopOptions, innerDescent, innerLoopSchema, innerResult, startInner } from './innerDescent';
import type { ResolvedStepSize } from './stepSize';
import type { BilevelProblem, CheckedProblem, SecondOrderMode } from './problem';

/** Options of {@link iftNeumann}. */
export interface IftNeumannOptions extends InnerLoopOptions {
  /** Neumann terms K (default 20). */
  terms?: number;
  /** α of the series (default: the inner step of the estimate). */
  alpha?: number;
  /** Second-order products: exact (default) or finite differences. */
  secondOrder?: SecondOrderMode;
}

/** Options of {@link iftCG}. */
export interface IftCgOptions extends InnerLoopOptions {
  /** Largest number of CG iterations K (default 20; stops earlier at `tol`). */
  maxIter?: number;
  /** Stop when ‖r‖ ≤ tol·‖∇_θL_V‖ (default 1e-10). */
  tol?: number;
  /** Damping δ ≥ 0 of H + δI (default 0). */
  damping?: number;
  /** Second-order products: exact (default) or finite differences. */
  secondOrder?: SecondOrderMode;
}

/** Runs the inner loop, then `solve(P, θ_T, ∇_θL_V)` → v, and returns ∇_λL_V − Bᵀv. */
function iftEstimate(
  problem: unknown,
  lambda: unknown,
  context: unknown,
  inner: { innerSteps: number; innerLearningRate: ResolvedStepSize; secondOrder: SecondOrderMode },
  solve: (P: CheckedProblem, theta: Float64Array, l: Float64Array, gv: Float64Array, eta: number) => Float64Array,
): HypergradientEstimate {
  const s = startInner(problem, lambda, context, inner.innerLearningRate);
  const { problem: P, lambda: l, theta } = s;
  innerDescent(P, l, theta, inner.innerSteps, s.eta);
  const gv = P.outerGradient(theta, l);
  const v = solve(P, theta, l, gv, s.eta);
  const Bv = P.mixedVjp(theta, l, v, inner.secondOrder);
  return innerResult(s, P.outerHyperGradient(theta, l).map((h, j) => h - Bv[j]));
}

/** IFT with a truncated Neumann series for H⁻¹ (see the module comment). */
export function iftNeumann(options: IftNeumannOptions): HypergradientEstimator {
  const o = resolveOptions(options, {
    ...innerLoopSchema,
    terms: option.integer({ min: 0, max: 1e6, default: 20 }),
    alpha: option.number({ gt: 0 }),
    secondOrder: option.oneOf(['exact', 'fd'], { default: 'exact' }),
  });
  return {
    name: `ift-neumann-${o.terms}`,
    estimate(problem: BilevelProblem, lambda: ArrayLike<number>, context?: EstimateContext) {
      return iftEstimate(problem, lambda, context, o, (P, theta, l, gv, eta) => {
        const alpha = o.alpha ?? eta;
        let term = Float64Array.from(gv);
        const v = Float64Array.from(gv);
        for (let j = 0; j < o.terms; j++) {
          const Ht = P.hvp(theta, l, term, o.secondOrder);
          term = term.map((x, i) => x - alpha * Ht[i]);
          for (let i = 0; i < v.length; i++) v[i] += term[i];
        }
        return v.map((x) => alpha * x);
      });
    },
  };
}

/** IFT with conjugate gradients on (H + δI)v = ∇_θL_V (see the module comment). */
export function iftCG(options: IftCgOptions): HypergradientEstimator {
  const o = resolveOptions(options, {
    ...innerLoopSchema,
    maxIter: option.integer({ min: 0, max: 1e6, default: 20 }),
    tol: option.number({ min: 0, default: 1e-10 }),
    damping: option.number({ min: 0, default: 0 }),
    secondOrder: option.oneOf(['exact', 'fd'], { default: 'exact' }),
  }, { renamed: { iterations: 'maxIter' } });
  return {
    name: `ift-cg-${o.maxIter}`,
    estimate(problem: BilevelProblem, lambda: ArrayLike<number>, context?: EstimateContext) {
      return iftEstimate(problem, lambda, context, o, (P, theta, l, gv) => {
        const n = gv.length;
        const v = new Float64Array(n);
        const r = Float64Array.from(gv);
        const dir = Float64Array.from(gv);
        let rr = r.reduce((s, x) => s + x * x, 0);
        const stop = (o.tol * Math.sqrt(rr)) ** 2;
        for (let k = 0; k < o.maxIter && rr > stop && rr > 0; k++) {
          const Hd = P.hvp(theta, l, dir, o.secondOrder);
          let dHd = 0;
          for (let i = 0; i < n; i++) {
            Hd[i] += o.damping * dir[i];
            dHd += dir[i] * Hd[i];
          }
          if (!(dHd > 0)) break; // not positive definite along dir: keep the iterate
          const a = rr / dHd;
          let rrNew = 0;
          for (let i = 0; i < n; i++) {
            v[i] += a * dir[i];
            r[i] -= a * Hd[i];
            rrNew += r[i] * r[i];
          }
          const beta = rrNew / rr;
          for (let i = 0; i < n; i++) dir[i] = r[i] + beta * dir[i];
          rr = rrNew;
        }
        return v;
      });
    },
  };
}
