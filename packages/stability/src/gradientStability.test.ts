import { Rng } from '@descent/tensor';
import { erm } from './erm';
import { leastSquaresFamily, logisticFamily } from './families';
import { gradientStability } from './gradientStability';
import { LeastSquaresProblem } from './leastSquares';
import { stabilityExperiment } from './rateExperiment';
import { sgd } from './sgd';

const NS = [100, 200, 400, 800, 1600, 3200];

describe('empirical gradient stability β̂(n)', () => {
  it('ERM with fixed noise: β̂·n is constant within a factor of 2 and β̂ ∝ n^−1', () => {
    for (const seed of [0, 1]) {
      const r = stabilityExperiment({
        family: leastSquaresFamily('fixed'),
        algorithm: erm(),
        ns: NS,
        replacements: 20,
        seed,
      });
      const bn = r.points.map((p) => p.betaTimesN);
      expect(Math.max(...bn) / Math.min(...bn)).toBeLessThan(2);
      expect(r.slope.slope).toBeGreaterThan(-1.2);
      expect(r.slope.slope).toBeLessThan(-0.8);
    }
  });

  it('SGD T=n (averaged over its coins) and logistic ERM: β̂ ∝ n^−1', () => {
    const s = stabilityExperiment({
      family: leastSquaresFamily('fixed'),
      algorithm: sgd(),
      ns: NS,
      replacements: 10,
      coins: 10,
      seed: 0,
    });
    expect(s.slope.slope).toBeGreaterThan(-1.3);
    expect(s.slope.slope).toBeLessThan(-0.7);
    const l = stabilityExperiment({
      family: logisticFamily('fixed'),
      algorithm: erm(),
      ns: NS,
      replacements: 10,
      seed: 0,
    });
    expect(l.slope.slope).toBeGreaterThan(-1.2);
    expect(l.slope.slope).toBeLessThan(-0.8);
  });

  it('with σ² = 1/n the gradients at the optimum shrink, so β̂ falls faster than 1/n (≈ n^−1.5)', () => {
    const r = stabilityExperiment({
      family: leastSquaresFamily('low'),
      algorithm: erm(),
      ns: NS,
      replacements: 20,
      seed: 0,
    });
    expect(r.slope.slope).toBeLessThan(-1.25);
    expect(r.slope.slope).toBeGreaterThan(-1.75);
  });

  it('a deterministic algorithm is exactly stable under replacing a point by itself', () => {
    const p = new LeastSquaresProblem();
    const S = p.sample(50, new Rng(1));
    const r = gradientStability(p, erm(), S, new Rng(2));
    expect(r.perReplacement).toHaveLength(5);
    expect(r.beta).toBeGreaterThan(0);
    expect(r.beta).toBe(Math.max(...r.perReplacement));
    expect(gradientStability(p, erm(), S, new Rng(2))).toEqual(r);
  });

  it('rejects bad options', () => {
    const p = new LeastSquaresProblem();
    const S = p.sample(20, new Rng(1));
    expect(() => gradientStability(p, erm(), S, new Rng(0), { replacements: 0 })).toThrow(/replacements/);
    expect(() => gradientStability(p, erm(), S, new Rng(0), { coins: 1.5 })).toThrow(/coins/);
    expect(() => gradientStability(p, erm(), { ...S, d: 4 }, new Rng(0))).toThrow(/data.d must be 5/);
  });
});
