/**
 * The exact pathwise (forward-mode) hypergradient through the SGLD chain, paper notes §2.3
 * item 3 (DERIVED): with the noise held fixed, J_t = ∂θ_t/∂λ obeys
 *
 *   J_{t+1} = (I − ηH_t) J_t − ηB_t,  J_0 = 0;   ĝ_t = ∇_λL_V(θ_t) + J_tᵀ∇_θL_V(θ_t)
 *
 * and the mean of ĝ over kept samples estimates ∇ of the discretised stationary objective F_η
 * (not F_τ). Memory d·p, p HVPs and p mixed JVPs per step: for small p only ("FMD through SGLD").
 * @module
 */
import { option, resolveOptions } from '@descent/tensor';
import { type EstimateContext, type HypergradientEstimator, readEstimateInputs } from './estimator';
import type { BilevelProblem, SecondOrderMode } from './problem';
import { type EstimatorChainOptions, chainOptionSchema } from './sgld';
import { runSgldEstimate } from './sgldEstimate';

/** J's columns, concatenated (the `carry` layout of the forward recursions). */
export function flattenColumns(J: Float64Array[]): Float64Array {
  const d = J[0]?.length ?? 0;
  const out = new Float64Array(J.length * d);
  for (let j = 0; j < J.length; j++) out.set(J[j], j * d);
  return out;
}

/** Options of {@link sgldPathwise}. */
export interface SgldPathwiseOptions extends EstimatorChainOptions {
  /** Second-order products: the problem's exact ones (default) or finite differences. */
  secondOrder?: SecondOrderMode;
}

/** The exact forward-mode hypergradient through SGLD (see the module comment). */
export function sgldPathwise(options: SgldPathwiseOptions): HypergradientEstimator {
  const o = resolveOptions(options, {
    ...chainOptionSchema,
    secondOrder: option.oneOf(['exact', 'fd'], { default: 'exact' }),
  });
  return {
    name: 'sgld-pathwise',
    estimate(problem: BilevelProblem, lambda: ArrayLike<number>, context?: EstimateContext) {
      const inputs = readEstimateInputs(problem, lambda, context, o.chains, o.seed, (P) => P.dim * P.hyperDim);
      const P = inputs.problem;
      const l = inputs.lambda;
      const p = P.hyperDim;
      return runSgldEstimate(inputs, o, (_c, carry, eta) => {
        const J = Array.from({ length: p }, (_, j) =>
          carry ? carry.slice(j * P.dim, (j + 1) * P.dim) : new Float64Array(P.dim),
        );
        const e = new Float64Array(p);
        const sum = new Float64Array(p);
        let n = 0;
        return {
          beforeStep(theta) {
            for (let j = 0; j < p; j++) {
              const HJ = P.hvp(theta, l, J[j], o.secondOrder);
              e.fill(0);
              e[j] = 1;
              const Bj = P.mixedJvp(theta, l, e, o.secondOrder);
              const col = J[j];
              for (let i = 0; i < col.length; i++) col[i] -= eta * (HJ[i] + Bj[i]);
            }
          },
          sample(theta) {
            const gv = P.outerGradient(theta, l);
            const h = P.outerHyperGradient(theta, l);
            for (let j = 0; j < p; j++) {
              let s = h[j];
              const col = J[j];
              for (let i = 0; i < col.length; i++) s += col[i] * gv[i];
              sum[j] += s;
            }
            n++;
          },
          estimate: () => sum.map((s) => s / n),
          carry: () => flattenColumns(J),
        };
      });
    },
  };
}
