/**
 * The paper's "recurrent algorithm with a first-order approximation", RECONSTRUCTED (the method
 * section of Kim & Hospedales 2025 could not be read; paper notes §2.4). Two candidates:
 *
 * - **A, `'hessianDropped'`**: the forward recursion of {@link sgldPathwise} with (I − ηH_t)
 *   replaced by `decay`·I: J_{t+1} = ρJ_t − ηB_t, reset to 0 every `windowSteps` steps;
 *   ĝ = ∇_λL_V + J_tᵀ∇_θL_V. No HVPs. J grows like −η·t·E[B] inside a window, so the estimate's
 *   scale is set by ηW, not by H⁻¹ (only the direction can be right; 1-D with ρ = 1 − ηa and no
 *   window reduces it to the exact pathwise recursion — tested).
 * - **B, `'adjoint'`** (default): an adjoint vector carried forward along the chain,
 *   z_{t+1} = z_t − η(H_t z_t + ∇_θL_V(θ_t)),  ĝ_t = ∇_λL_V(θ_t) + B_tᵀz_t. O(d + p) memory, one
 *   HVP and one mixed VJP per step. z converges linearly (η·λmax < 2) to −H⁻¹∇_θL_V (Neumann /
 *   Richardson along the chain), so ĝ → the IFT hypergradient as τ → 0; on quadratics with B
 *   linear in θ its mean equals ∇F_η, the target of the exact pathwise estimator (DERIVED: both
 *   are −ηΣ_k[(I−ηA)^k V (I−ηA)^{k+1} Σ_η]ᵢᵢ plus the IFT term; tested on ridge). With
 *   `secondOrder: 'fd'` H_t z_t is the forward difference [∇_θL_T(θ_t + δz_t) − ∇_θL_T(θ_t)]/δ
 *   (one extra gradient) and Bᵀz a central difference of ∇_λL_T: first-order oracles only.
 * @module
 */
import { ValueError, option, resolveOptions } from '@descent/tensor';
import { type EstimateContext, type HypergradientEstimator, readEstimateInputs } from './estimator';
import type { BilevelProblem, SecondOrderMode } from './problem';
import { type EstimatorChainOptions, chainOptionSchema } from './sgld';
import { runSgldEstimate } from './sgldEstimate';
import { flattenColumns } from './sgldPathwise';

/** Which reconstruction of the first-order recursion. */
export type FirstOrderVariant = 'adjoint' | 'hessianDropped';

/** Options of {@link sgldFirstOrder}. */
export interface SgldFirstOrderOptions extends EstimatorChainOptions {
  /** `'adjoint'` (B, default) or `'hessianDropped'` (A). */
  variant?: FirstOrderVariant;
  /** A only: J is reset to 0 every `windowSteps` chain steps (default 10; `Infinity` = never). */
  windowSteps?: number;
  /** A only: J ← decay·J − ηB (default 1). */
  decay?: number;
  /** Second-order products: the problem's exact ones (default) or finite differences (B only). */
  secondOrder?: SecondOrderMode;
}

/** The first-order SGLD hypergradient, reconstruction A or B (see the module comment). */
export function sgldFirstOrder(options: SgldFirstOrderOptions): HypergradientEstimator {
  const o = resolveOptions(options, {
    ...chainOptionSchema,
    variant: option.oneOf(['adjoint', 'hessianDropped'], { default: 'adjoint' }),
    windowSteps: option.integer({ min: 1, allowInfinity: true, default: 10 }),
    decay: option.number({ min: 0, max: 1, default: 1 }),
    secondOrder: option.oneOf(['exact', 'fd'], { default: 'exact' }),
  });
  return {
    name: o.variant === 'adjoint' ? 'sgld-adjoint' : 'sgld-hessian-dropped',
    estimate(problem: BilevelProblem, lambda: ArrayLike<number>, context?: EstimateContext) {
      const inputs = readEstimateInputs(problem, lambda, context, o.chains, o.seed, (P) =>
        o.variant === 'adjoint' ? P.dim : P.dim * P.hyperDim,
      );
      const P = inputs.problem;
      const l = inputs.lambda;
      const d = P.dim;
      const p = P.hyperDim;
      if (o.variant === 'hessianDropped') {
        return runSgldEstimate(inputs, o, (_c, carry, eta) => {
          const J = Array.from({ length: p }, (_, j) => (carry ? carry.slice(j * d, (j + 1) * d) : new Float64Array(d)));
          const e = new Float64Array(p);
          const sum = new Float64Array(p);
          let n = 0;
          return {
            beforeStep(theta, _g, step) {
              const reset = Number.isFinite(o.windowSteps) && step % o.windowSteps === 0;
              for (let j = 0; j < p; j++) {
                e.fill(0);
                e[j] = 1;
                const Bj = P.mixedJvp(theta, l, e, o.secondOrder);
                const col = J[j];
                for (let i = 0; i < d; i++) col[i] = (reset ? 0 : o.decay * col[i]) - eta * Bj[i];
              }
            },
            sample(theta) {
              const gv = P.outerGradient(theta, l);
              const h = P.outerHyperGradient(theta, l);
              for (let j = 0; j < p; j++) {
                let s = h[j];
                for (let i = 0; i < d; i++) s += J[j][i] * gv[i];
                sum[j] += s;
              }
              n++;
            },
            estimate: () => sum.map((s) => s / n),
            carry: () => flattenColumns(J),
          };
        });
      }
      return runSgldEstimate(inputs, o, (_c, carry, eta) => {
        const z = carry ?? new Float64Array(d);
        const probe = new Float64Array(d);
        const sum = new Float64Array(p);
        let n = 0;
        let zNorm = Math.sqrt(z.reduce((a, v) => a + v * v, 0));
        return {
          beforeStep(theta, g) {
            let Hz: Float64Array;
            if (o.secondOrder === 'fd') {
              // forward difference of the inner gradient along z (g = ∇_θL_T(θ_t) is already known)
              let tn = 0;
              for (let i = 0; i < d; i++) tn += theta[i] * theta[i];
              const delta = zNorm === 0 ? 0 : (1e-6 * Math.max(1, Math.sqrt(tn))) / zNorm;
              if (delta === 0) Hz = new Float64Array(d);
              else {
                for (let i = 0; i < d; i++) probe[i] = theta[i] + delta * z[i];
                const gp = P.innerGradient(probe, l);
                Hz = gp.map((v, i) => (v - g[i]) / delta);
              }
            } else Hz = P.hvp(theta, l, z, 'exact');
            const gv = P.outerGradient(theta, l);
            let s = 0;
            for (let i = 0; i < d; i++) {
              z[i] -= eta * (Hz[i] + gv[i]);
              s += z[i] * z[i];
            }
            zNorm = Math.sqrt(s);
            if (!Number.isFinite(zNorm)) {
              throw new ValueError('learningRate is too large: the adjoint recursion diverged (needs η·λmax(H) < 2)', 'learningRate');
            }
          },
          sample(theta) {
            const Bz = P.mixedVjp(theta, l, z, o.secondOrder);
            const h = P.outerHyperGradient(theta, l);
            for (let j = 0; j < p; j++) sum[j] += h[j] + Bz[j];
            n++;
          },
          estimate: () => sum.map((s) => s / n),
          carry: () => Float64Array.from(z),
        };
      });
    },
  };
}
