/**
 * The multi-minima toy (paper notes §5.2 item 7): deterministic hypergradients depend on the basin
 * the inner solver lands in; the SGLD estimators of the Gibbs objective average over both wells
 * and match the quadrature oracle within standard errors.
 */
import { fdGrad } from '@descent/tensor';
import { doubleWellProblem } from './doubleWell';
import { iftCG } from './ift';
import { sgld } from './sgld';
import { sgldCovariance } from './sgldCovariance';
import { errorArgument } from '@descent/testkit';

const problem = doubleWellProblem();

describe('doubleWellProblem', () => {
  it('has two minima for |λ| < 1.54 and one beyond; they are stationary with positive curvature', () => {
    for (const l of [-1, 0, 0.3, 1.2]) {
      const minima = problem.innerMinima(l);
      expect(minima).toHaveLength(2);
      for (const x of minima) {
        expect(Math.abs(problem.innerGradient([x], [l])[0] as number)).toBeLessThan(1e-12);
      }
    }
    expect(problem.innerMinima(2)).toHaveLength(1);
    expect(problem.innerMinima(-2)).toHaveLength(1);
  });

  it('the quadrature hypergradient is the derivative of the quadrature objective', () => {
    for (const [l, tau] of [
      [0, 0.5],
      [0.3, 0.2],
      [-0.8, 1],
    ]) {
      const fd = fdGrad((x) => problem.objective(x[0], tau), [l], { h: 1e-5 })[0];
      expect(Math.abs(problem.hypergradient(l, tau) - fd)).toBeLessThan(1e-7 * Math.max(1, Math.abs(fd)));
    }
    // τ → 0 with one dominant well: F_τ → L_V at the global minimum
    const minima = problem.innerMinima(0.3);
    expect(problem.objective(0.3, 0.002)).toBeCloseTo(0.5 * (minima[0] - 1) ** 2, 2);
  });

  it('deterministic hypergradients from two inner starts differ: each is its basin’s implicit derivative', () => {
    const l = 0.3;
    const est = iftCG({ innerLearningRate: 0.05, innerSteps: 400, maxIter: 1 });
    const [left, right] = problem.innerMinima(l);
    const gl = est.estimate(problem, [l], { theta0: [-1] }).hypergradient[0];
    const gr = est.estimate(problem, [l], { theta0: [1] }).hypergradient[0];
    expect(gl).toBeCloseTo(problem.basinHypergradient(l, left), 8);
    expect(gr).toBeCloseTo(problem.basinHypergradient(l, right), 8);
    expect(Math.abs(gl - gr)).toBeGreaterThan(0.1);
  });

  it('SGLD chains started in both wells: mean L_V ≈ F_τ and the covariance estimator (C) ≈ ∇F_τ within 4 SE (over seeds)', () => {
    const l = 0.3;
    const tau = 0.5;
    const starts = Array.from({ length: 16 }, (_, c) => [c % 2 === 0 ? -1 : 1]);
    for (const seed of [1, 2]) {
      const o = { learningRate: 0.005, temperature: tau, burnIn: 2000, samples: 400, thin: 10, chains: 16, seed };
      const r = sgld((x) => problem.innerGradient(x, [l]), starts, o);
      const means = r.samples.map((ch) => ch.reduce((s, x) => s + 0.5 * (x[0] - 1) ** 2, 0) / ch.length);
      const m = means.reduce((a, b) => a + b, 0) / means.length;
      const se = Math.sqrt(means.reduce((a, b) => a + (b - m) ** 2, 0) / (means.length - 1) / means.length);
      expect(Math.abs(m - problem.objective(l, tau))).toBeLessThan(4 * se);
      const c = sgldCovariance(o).estimate(problem, [l], { theta0: starts });
      expect(Math.abs(c.hypergradient[0] - problem.hypergradient(l, tau))).toBeLessThan(4 * (c.standardError?.[0] ?? 0));
    }
    // the stochastic objective weighs both wells: neither mass is negligible at this τ
    const mass = problem.rightWellMass(l, tau);
    expect(mass).toBeGreaterThan(0.1);
    expect(mass).toBeLessThan(0.9);
  });

  it('bad input: typed errors naming the argument', () => {
    expect(errorArgument(() => problem.objective(0, 0))).toBe('temperature');
    expect(errorArgument(() => problem.objective(Number.NaN, 1))).toBe('lambda');
    expect(errorArgument(() => problem.basinHypergradient(0, 0))).toBe('theta');
    expect(errorArgument(() => problem.innerGradient([1, 2], [0]))).toBe('theta');
    expect(errorArgument(() => problem.innerGradient([1], [Number.NaN]))).toBe('lambda[0]');
    expect(errorArgument(() => doubleWellProblem({ target: Number.NaN }))).toBe('target');
  });
});
