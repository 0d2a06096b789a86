/**
 * The SGLD covariance (score-function) hypergradient, reconstruction C of the paper notes §2.4
 * (exact identity §2.3 item 2, DERIVED): for p(θ|λ) ∝ exp(−L_T(θ, λ)/τ) and F(λ) = E_p L_V,
 *
 *   ∇_λF = E_p[∇_λL_V] − (1/τ) Cov_p(L_V, ∇_λL_T)
 *
 * estimated by running means over the kept SGLD samples of each chain (first-order oracles only,
 * O(d + p) memory). On exact Gibbs samples it is unbiased for ∇F_τ; on SGLD samples its mean is
 * the same formula under the chain's N(μ, τ(A − ηA²/2)⁻¹) law on quadratics (oracle:
 * `RidgeProblem.covarianceEstimatorMean`). Its variance grows like 1/τ: poor for small τ.
 * @module
 */
import { ValueError, resolveOptions } from '@descent/tensor';
import { type EstimateContext, type HypergradientEstimator, readEstimateInputs } from './estimator';
import type { BilevelProblem } from './problem';
import { type EstimatorChainOptions, chainOptionSchema } from './sgld';
import { runSgldEstimate } from './sgldEstimate';

/** Options of {@link sgldCovariance}: the chain settings (temperature must be > 0). */
export type SgldCovarianceOptions = EstimatorChainOptions;

/** The covariance hypergradient estimator on SGLD samples (see the module comment). */
export function sgldCovariance(options: SgldCovarianceOptions): HypergradientEstimator {
  const o = resolveOptions(options, chainOptionSchema);
  if (o.temperature === 0) {
    throw new ValueError('temperature must be > 0 for the covariance estimator (it divides by τ), got 0', 'temperature');
  }
  return {
    name: 'sgld-covariance',
    estimate(problem: BilevelProblem, lambda: ArrayLike<number>, context?: EstimateContext) {
      const inputs = readEstimateInputs(problem, lambda, context, o.chains, o.seed);
      const P = inputs.problem;
      const l = inputs.lambda;
      const p = P.hyperDim;
      return runSgldEstimate(inputs, o, () => {
        // running sums of (L_V − s), (g − s_g), (L_V − s)(g − s_g), ∇_λL_V; shifts s = first sample
        let n = 0;
        let shift = 0;
        let gShift: Float64Array | undefined;
        let sumV = 0;
        const sumG = new Float64Array(p);
        const sumVG = new Float64Array(p);
        const sumOuter = new Float64Array(p);
        return {
          sample(theta, v) {
            const g = P.innerHyperGradient(theta, l);
            const h = P.outerHyperGradient(theta, l);
            if (gShift === undefined) {
              shift = v;
              gShift = Float64Array.from(g);
            }
            const dv = v - shift;
            sumV += dv;
            for (let j = 0; j < p; j++) {
              const dg = g[j] - gShift[j];
              sumG[j] += dg;
              sumVG[j] += dv * dg;
              sumOuter[j] += h[j];
            }
            n++;
          },
          estimate() {
            const out = new Float64Array(p);
            for (let j = 0; j < p; j++) {
              const cov = n > 1 ? (sumVG[j] - (sumV * sumG[j]) / n) / (n - 1) : 0;
              out[j] = sumOuter[j] / n - cov / o.temperature;
            }
            return out;
          },
        };
      });
    },
  };
}
