/**
 * The SGLD hypergradient estimators against the exact ridge oracles (paper notes §5.2 item 3):
 * each Monte-Carlo estimate lies within 4 standard errors (across 32 chains) of the quantity it
 * targets, over seeds and problems; the targets are told apart where they differ; limits and
 * reductions hold exactly.
 */
import { ValueError, maxRelativeError } from '@descent/tensor';
import type { BilevelProblem } from './problem';
import { ridgeData, ridgeProblem } from './ridge';
import { sgldCovariance } from './sgldCovariance';
import { sgldFirstOrder } from './sgldFirstOrder';
import { sgldPathwise } from './sgldPathwise';
import { maxZ, smallRidge } from './testing';
import { errorArgument } from '@descent/testkit';

const CHAINS = { burnIn: 300, samples: 1000, chains: 32 };

describe('each SGLD estimator targets its exact oracle (within 4 SE)', () => {
  for (const [seed, penalty, ratio, tau] of [
    [1, 'perParameter', 0.8, 0.5],
    [2, 'perParameter', 1.5, 1],
    [3, 'scalar', 1, 0.3],
  ] as const) {
    const { problem, lambda, lmax } = smallRidge(seed, penalty);
    const eta = ratio / lmax;
    const o = { ...CHAINS, learningRate: eta, temperature: tau, seed };
    const start = { theta0: problem.innerMinimizer(lambda) };
    const fEta = problem.hypergradient(lambda, { temperature: tau, learningRate: eta });
    it(`pathwise, adjoint (B; exact and finite-difference products) → ∇F_η (seed ${seed}, ${penalty}, η·λmax = ${ratio}, τ = ${tau})`, () => {
      for (const est of [sgldPathwise(o), sgldFirstOrder(o), sgldFirstOrder({ ...o, secondOrder: 'fd' })]) {
        const r = est.estimate(problem, lambda, start);
        expect(maxZ(r.hypergradient, fEta, r.standardError)).toBeLessThan(4);
      }
    });
    it(`covariance (C) → its SGLD mean, = ∇F_τ as η → 0 (seed ${seed}, ${penalty})`, () => {
      const r = sgldCovariance(o).estimate(problem, lambda, start);
      const target = problem.covarianceEstimatorMean(lambda, { temperature: tau, learningRate: eta });
      expect(maxZ(r.hypergradient, target, r.standardError)).toBeLessThan(4);
    });
  }

  it('the oracles tell the targets apart: pathwise/adjoint hit F_η, not F_τ; the covariance estimator on SGLD samples hits neither', () => {
    const { problem, lambda, lmax } = smallRidge(2);
    const eta = 1.8 / lmax;
    const o = { burnIn: 300, samples: 2000, chains: 32, learningRate: eta, temperature: 1, seed: 11 };
    const start = { theta0: problem.innerMinimizer(lambda) };
    const fEta = problem.hypergradient(lambda, { temperature: 1, learningRate: eta });
    const fTau = problem.hypergradient(lambda, { temperature: 1 });
    const b = sgldFirstOrder(o).estimate(problem, lambda, start);
    expect(maxZ(b.hypergradient, fEta, b.standardError)).toBeLessThan(4);
    expect(maxZ(b.hypergradient, fTau, b.standardError)).toBeGreaterThan(6);
    const c = sgldCovariance(o).estimate(problem, lambda, start);
    expect(maxZ(c.hypergradient, fEta, c.standardError)).toBeGreaterThan(6);
  });

  it('the covariance estimator on (nearly) exact Gibbs samples (η → 0, thinned) targets ∇F_τ', () => {
    const { problem, lambda, lmax } = smallRidge(4);
    const eta = 0.02 / lmax;
    const r = sgldCovariance({ learningRate: eta, temperature: 0.5, burnIn: 200, samples: 400, thin: 100, chains: 16, seed: 4 }).estimate(
      problem,
      lambda,
      { theta0: problem.innerMinimizer(lambda) },
    );
    expect(maxZ(r.hypergradient, problem.hypergradient(lambda, { temperature: 0.5 }), r.standardError)).toBeLessThan(4);
  });
});

describe('limits and reductions', () => {
  it('τ = 0: pathwise and adjoint converge to the deterministic IFT hypergradient', () => {
    const { problem, lambda, lmax } = smallRidge(5);
    const o = { learningRate: 1 / lmax, temperature: 0, burnIn: 2000, samples: 1, chains: 1 };
    const det = problem.hypergradient(lambda);
    expect(maxRelativeError(sgldPathwise(o).estimate(problem, lambda).hypergradient, det)).toBeLessThan(1e-8);
    expect(maxRelativeError(sgldFirstOrder(o).estimate(problem, lambda).hypergradient, det)).toBeLessThan(1e-8);
    expect(sgldFirstOrder(o).estimate(problem, lambda).standardError).toBeUndefined();
  });

  it('A (Hessian dropped) with decay 1 − ηa and no window is the exact pathwise recursion in 1-D', () => {
    const problem = ridgeProblem(ridgeData({ dim: 1, nTrain: 10, nVal: 10, sparsity: 0, seed: 6 }));
    const lambda = [0.7];
    const a = problem.hessian(lambda).data[0];
    const eta = 0.5 / a;
    const o = { learningRate: eta, temperature: 0.4, burnIn: 50, samples: 200, chains: 2, seed: 6 };
    const exact = sgldPathwise(o).estimate(problem, lambda).hypergradient;
    const A = sgldFirstOrder({ ...o, variant: 'hessianDropped', decay: 1 - eta * a, windowSteps: Infinity }).estimate(problem, lambda);
    expect(maxRelativeError(A.hypergradient, exact)).toBeLessThan(1e-10);
  });

  it('A without the Hessian has the wrong scale: its τ = 0 value is set by η·window, not by H⁻¹', () => {
    const { problem, lambda, lmax } = smallRidge(1);
    const o = { learningRate: 0.5 / lmax, temperature: 0, burnIn: 0, samples: 40, chains: 1, variant: 'hessianDropped' as const };
    const start = { theta0: problem.innerMinimizer(lambda) };
    const g10 = sgldFirstOrder({ ...o, windowSteps: 10 }).estimate(problem, lambda, start).hypergradient;
    const g20 = sgldFirstOrder({ ...o, windowSteps: 20 }).estimate(problem, lambda, start).hypergradient;
    // at θ = μ (τ = 0, no motion) J = −η·k·diag(μ): the mean over window positions k is (W + 1)/2
    expect(maxRelativeError(g20, g10.map((x) => (x * 21) / 11))).toBeLessThan(1e-10);
  });

  it('same seed, same bits; warm starts are per chain', () => {
    const { problem, lambda, lmax } = smallRidge(1);
    const est = sgldFirstOrder({ learningRate: 0.5 / lmax, burnIn: 10, samples: 10, chains: 3, seed: 'x' });
    const a = est.estimate(problem, lambda);
    expect(est.estimate(problem, lambda).hypergradient).toEqual(a.hypergradient);
    expect(est.estimate(problem, lambda, { seed: 'y' }).hypergradient).not.toEqual(a.hypergradient);
    expect(a.states).toHaveLength(3);
    const warm = est.estimate(problem, lambda, { theta0: a.states });
    expect(warm.hypergradient).not.toEqual(a.hypergradient);
  });
});

describe('bad input', () => {
  const { problem, lambda } = smallRidge(1);
  const est = sgldFirstOrder({ learningRate: 0.01, burnIn: 2, samples: 2, chains: 2 });
  it('options, λ, context and problem are checked; bad oracle outputs name the oracle', () => {
    expect(errorArgument(() => sgldCovariance({ learningRate: 0.01, temperature: 0 }))).toBe('temperature');
    expect(errorArgument(() => sgldFirstOrder({ learningRate: 0.01, variant: 'C' as never }))).toBe('variant');
    expect(errorArgument(() => sgldFirstOrder({ learningRate: 0.01, windowSteps: 0 }))).toBe('windowSteps');
    expect(errorArgument(() => sgldPathwise({} as never))).toBe('learningRate');
    expect(errorArgument(() => est.estimate(problem, [1, 2]))).toBe('lambda');
    expect(errorArgument(() => est.estimate(problem, lambda, { theta0: [1] }))).toBe('context.theta0');
    expect(errorArgument(() => est.estimate(problem, lambda, { theta0: [[0, 0, 0, 0]] }))).toBe('context.theta0');
    expect(errorArgument(() => est.estimate(problem, lambda, { bogus: 1 } as never))).toBe('context.bogus');
    expect(errorArgument(() => est.estimate(null as never, lambda))).toBe('problem');
    expect(errorArgument(() => est.estimate({ ...problem, dim: 0 }, lambda))).toBe('problem.dim');
    const nan: BilevelProblem = { ...problem, innerGradient: () => [Number.NaN, 0, 0, 0] };
    expect(errorArgument(() => est.estimate(nan, lambda))).toBe('problem.innerGradient');
    const short: BilevelProblem = { ...problem, innerHvp: () => [1] };
    expect(errorArgument(() => est.estimate(short, lambda))).toBe('problem.innerHvp');
    expect(errorArgument(() => sgldFirstOrder({ learningRate: 10, burnIn: 200, samples: 1, chains: 1 }).estimate(problem, lambda))).toBe('learningRate');
    expect(() => sgldPathwise({ learningRate: 0.1, stepSize: 1 } as never)).toThrow(ValueError);
  });
});
