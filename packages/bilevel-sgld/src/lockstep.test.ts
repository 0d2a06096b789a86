/**
 * Chains in lockstep with a batched gradient oracle (`innerGradients`): the batched oracle equals
 * one `innerGradient` per θ, and every SGLD estimator gives the same estimate with and without it
 * (each chain sees the same states and noise); a bad batched oracle is a typed error naming it.
 */
import { Rng, ShapeError, ValueError } from '@descent/tensor';
import type { BilevelProblem } from './problem';
import { checkProblem } from './problem';
import { ridgeData, ridgeProblem } from './ridge';
import { sgldCovariance } from './sgldCovariance';
import { sgldFirstOrder } from './sgldFirstOrder';
import { sgldPathwise } from './sgldPathwise';
import { maxRel } from './testing';
import { errorArgument } from '@descent/testkit';

const unbatched = (p: BilevelProblem): BilevelProblem => ({ ...p, innerGradients: undefined });

describe('lockstep chains with a batched gradient oracle', () => {
  const problem = ridgeProblem(ridgeData({ dim: 6, nTrain: 20, nVal: 20, seed: 4 }), { batchChains: true });
  const batchedGradients = (thetas: Float64Array[], l: Float64Array) => problem.innerGradients?.(thetas, l) ?? [];
  const lambda = Float64Array.of(0.5, 1, 2, 0.7, 1.5, 3);

  it("ridge's batched oracle (one gemm) equals one innerGradient per θ", () => {
    const r = new Rng(1);
    const thetas = Array.from({ length: 5 }, () => r.normalArray(6));
    const batched = batchedGradients(thetas, lambda);
    for (const [k, t] of thetas.entries()) expect(maxRel(batched[k], problem.innerGradient(t, lambda))).toBeLessThan(1e-12);
    expect(batchedGradients([], lambda)).toEqual([]);
    expect(ridgeProblem(ridgeData({ dim: 3, seed: 1 })).innerGradients).toBeUndefined(); // opt-in
  });

  it.each([
    ['covariance (C)', sgldCovariance],
    ['adjoint (B)', sgldFirstOrder],
    ['pathwise', sgldPathwise],
  ] as const)('%s: the same estimate, outer value, states and carry with and without batching', (_, make) => {
    const est = make({ learningRate: 0.02, temperature: 0.5, burnIn: 20, samples: 30, chains: 5, seed: 3 });
    const a = est.estimate(problem, lambda);
    const b = est.estimate(unbatched(problem), lambda);
    expect(maxRel(a.hypergradient, b.hypergradient)).toBeLessThan(1e-9);
    expect(Math.abs(a.outerValue - b.outerValue)).toBeLessThan(1e-9 * Math.abs(b.outerValue));
    for (const [c, s] of a.states.entries()) expect(maxRel(s, b.states[c])).toBeLessThan(1e-9);
    expect(a.gradientCalls).toBe(b.gradientCalls);
  });

  it('a batched oracle returning the wrong count or length is a typed error naming it', () => {
    const wrongCount = { ...problem, innerGradients: () => [new Float64Array(6)] };
    expect(() => checkProblem(wrongCount).innerGradients([new Float64Array(6), new Float64Array(6)], lambda)).toThrow(ShapeError);
    const wrongLength = { ...problem, innerGradients: (ts: Float64Array[]) => ts.map(() => new Float64Array(5)) };
    const estimate = () => sgldCovariance({ learningRate: 0.02, samples: 2, burnIn: 0 }).estimate(wrongLength, lambda);
    expect(estimate).toThrow(ShapeError);
    expect(errorArgument(estimate)).toBe('problem.innerGradients');
    const notFunction = { ...problem, innerGradients: 3 };
    expect(() => checkProblem(notFunction)).toThrow(ValueError);
    expect(() => batchedGradients(null as never, lambda)).toThrow(ValueError);
    expect(() => batchedGradients([new Float64Array(5)], lambda)).toThrow(ShapeError);
  });
});
