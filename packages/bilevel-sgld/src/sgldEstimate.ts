/**
 * The chain driver shared by the SGLD hypergradient estimators: runs `chains` SGLD chains on
 * ∇_θL_T(·, λ) from the given starts (each chain on its own stream `Rng(seed).fold('chain', c)`),
 * lets the estimator's visitor accumulate along each chain, and combines the per-chain estimates
 * (mean, standard error across chains) and the mean outer loss over kept samples.
 * @module
 */
import { Rng } from '@descent/tensor';
import { type EstimateInputs, type HypergradientEstimate, acrossChains } from './estimator';
import { type ChainVisitor, type ResolvedEstimatorChainOptions, runChains } from './sgld';
import { resolveStep } from './stepSize';

/** One chain's accumulator: sees each state before its step and each kept sample with its L_V. */
export interface ChainAccumulator {
  beforeStep?: ChainVisitor['beforeStep'];
  /** A kept sample θ and L_V(θ, λ). */
  sample(theta: Float64Array, outerValue: number): void;
  /** The chain's hypergradient estimate (length p). */
  estimate(): Float64Array;
  /** The recursion's auxiliary state at the end of the chain (warm start of the next estimate). */
  carry?(): Float64Array;
}

/**
 * Runs the chains and combines the per-chain estimates. The step η (fixed, or the curvature rule
 * at chain 0's start) is resolved first and handed to each accumulator.
 */
export function runSgldEstimate(
  inputs: EstimateInputs,
  options: ResolvedEstimatorChainOptions,
  accumulator: (chain: number, carry: Float64Array | undefined, eta: number) => ChainAccumulator,
): HypergradientEstimate {
  const { problem: P, lambda, starts } = inputs;
  const { eta, curvature } = resolveStep(P, options.learningRate, starts[0], lambda, inputs.curvature, 'learningRate');
  const o = { ...options, learningRate: eta };
  const root = new Rng(inputs.seed);
  const rows: Float64Array[] = [];
  const carries: Float64Array[] = [];
  let outerSum = 0;
  let outerCount = 0;
  // all chains in lockstep: one (possibly batched) gradient call per step for every chain
  const accs = starts.map((_, c) => accumulator(c, inputs.carry?.[c], eta));
  const visitors: ChainVisitor[] = accs.map((acc) => ({
    beforeStep: acc.beforeStep?.bind(acc),
    sample(theta) {
      const v = P.outerValue(theta, lambda);
      outerSum += v;
      outerCount++;
      acc.sample(theta, v);
    },
  }));
  const rngs = starts.map((_, c) => root.fold('chain', c));
  runChains((thetas) => P.innerGradients(thetas, lambda), starts, o, rngs, visitors);
  for (const acc of accs) {
    rows.push(acc.estimate());
    if (acc.carry) carries.push(acc.carry());
  }
  const { mean, standardError } = acrossChains(rows);
  return {
    hypergradient: mean,
    standardError,
    outerValue: outerSum / outerCount,
    states: starts,
    gradientCalls: P.counts.gradients,
    secondOrderCalls: P.counts.secondOrder,
    carry: carries.length > 0 ? carries : undefined,
    learningRate: eta,
    curvature,
  };
}
