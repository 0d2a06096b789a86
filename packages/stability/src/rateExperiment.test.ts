import { ValueError, fitPowerLaw } from '@descent/tensor';
import type { Algorithm } from './algorithm';
import { erm } from './erm';
import { leastSquaresFamily, logisticFamily } from './families';
import { pgd } from './pgd';
import { rateExperiment, stabilityExperiment } from './rateExperiment';
import { sgd } from './sgd';

// The notes' calibrated setting: d = 5, λ = 0.1, Rademacher x, uniform noise, n ≤ 3200,
// 100 repetitions, float64. Their measurement: slopes −1.11/−1.18 (mean/q95) with fixed noise
// and −2.11/−2.18 with σ² = 1/n.
const NS = [100, 200, 400, 800, 1600, 3200];
const FIXED: [number, number] = [-1.3, -0.8];
const LOW: [number, number] = [-2.4, -1.7];

function expectSlopes(
  algorithm: Algorithm,
  regime: 'fixed' | 'low',
  range: [number, number],
  ns = NS,
  repetitions = 100,
) {
  const r = rateExperiment({
    family: leastSquaresFamily(regime),
    algorithm,
    ns,
    repetitions,
    seed: 'slopes',
  });
  const q95 = r.quantileLevels.indexOf(0.95);
  for (const slope of [r.slopes.mean.slope, r.slopes.quantiles[q95].slope]) {
    expect(slope).toBeGreaterThanOrEqual(range[0]);
    expect(slope).toBeLessThanOrEqual(range[1]);
  }
  return r;
}

describe('rateExperiment: the two regimes of the paper', () => {
  it.each([
    ['ERM', erm()],
    ['SGD T=n', sgd()],
  ])('%s: slope ≈ −1 with fixed noise and ≈ −2 with σ² = 1/n (mean and 95% quantile)', (_, algorithm) => {
    const fixed = expectSlopes(algorithm, 'fixed', FIXED);
    const low = expectSlopes(algorithm, 'low', LOW);
    // F(w*) is constant in one regime and 1/(2n) in the other
    expect(fixed.points.map((p) => p.optimalRisk)).toEqual(NS.map(() => 0.125));
    for (const p of low.points) expect(p.optimalRisk).toBeCloseTo(1 / (2 * p.n), 15);
    // the gradient generalisation gap: √(F(w*)/n), i.e. slopes −1/2 and −1
    expect(fixed.gradientGapSlopes.mean.slope).toBeCloseTo(-0.5, 0);
    expect(low.gradientGapSlopes.mean.slope).toBeCloseTo(-1, 0);
  });

  it('PGD (T = ⌈2κ ln n⌉) and SGD with T = n² show the same two rates', () => {
    expectSlopes(pgd(), 'fixed', FIXED, NS.slice(0, 5), 40);
    expectSlopes(pgd(), 'low', LOW, NS.slice(0, 5), 40);
    const small = [50, 100, 200, 400];
    expectSlopes(sgd({ maxSteps: 'n2' }), 'fixed', FIXED, small, 40);
    expectSlopes(sgd({ maxSteps: 'n2' }), 'low', LOW, small, 40);
  });

  it('the control: labels as clean as the low-noise regime but F(w*) = Θ(λ) (centre 0) gives 1/n asymptotically', () => {
    const r = rateExperiment({
      family: leastSquaresFamily('biased'),
      algorithm: erm(),
      ns: NS,
      repetitions: 100,
      seed: 'slopes',
    });
    // excess ≈ 0.14/n (bias-driven gradient noise) + 2.3/n² (label noise): the 1/n term wins from n ≈ 20
    const tail = fitPowerLaw(
      NS.slice(3),
      r.points.slice(3).map((p) => p.excessSummary.mean),
    ).slope;
    expect(tail).toBeGreaterThanOrEqual(FIXED[0]);
    expect(tail).toBeLessThanOrEqual(FIXED[1]);
    expect(r.slopes.mean.slope).toBeGreaterThanOrEqual(FIXED[0]);
    expect(r.slopes.mean.slope).toBeLessThanOrEqual(FIXED[1]);
    for (const p of r.points) expect(p.optimalRisk).toBeGreaterThan(0.3);
  });

  it('logistic regression: 1/n at fixed separation, 1/n² when F(w*) = 1/n', () => {
    for (const [regime, range] of [
      ['fixed', FIXED],
      ['low', LOW],
    ] as const) {
      const r = rateExperiment({
        family: logisticFamily(regime),
        algorithm: erm(),
        ns: NS,
        repetitions: 60,
        seed: 'logistic',
      });
      expect(r.slopes.mean.slope).toBeGreaterThanOrEqual(range[0]);
      expect(r.slopes.mean.slope).toBeLessThanOrEqual(range[1]);
    }
  });
});

describe('rateExperiment: determinism and input checks', () => {
  const base = { family: leastSquaresFamily('fixed'), algorithm: sgd(), repetitions: 5, seed: 3 };

  it('same seed, same bits; a point does not depend on the other sample sizes; another seed differs', () => {
    const a = rateExperiment({ ...base, ns: [20, 40] });
    const b = rateExperiment({ ...base, ns: [20, 40] });
    expect(b).toEqual(a);
    const only40 = rateExperiment({ ...base, ns: [40] });
    expect(only40.points[0].excess).toEqual(a.points[1].excess);
    const other = rateExperiment({ ...base, ns: [20, 40], seed: 'three' });
    expect(other.points[0].excess).not.toEqual(a.points[0].excess);
    expect(JSON.parse(JSON.stringify(a))).toEqual(a);
  });

  it('rejects bad input with typed errors naming the argument', () => {
    expect(() => rateExperiment({ ...base, ns: [] })).toThrow(/ns must be a non-empty array/);
    expect(() => rateExperiment({ ...base, ns: [100, 50] })).toThrow(/ns must be increasing/);
    expect(() => rateExperiment({ ...base, ns: [1] })).toThrow(/ns\[0\] must be an integer >= 2/);
    expect(() => rateExperiment({ ...base, ns: [10], repetitions: 0 })).toThrow(/repetitions/);
    expect(() => rateExperiment({ ...base, ns: [10], quantiles: [1.5] })).toThrow(
      /quantiles\[0\] must be in \[0, 1\]/,
    );
    expect(() => rateExperiment({ ...base, ns: [10], seed: Number.NaN })).toThrow(
      /seed must be a finite number or a string/,
    );
    expect(() => rateExperiment({ ...base, ns: [10], family: {} as never })).toThrow(ValueError);
    expect(() => rateExperiment({ ...base, ns: [10], algorithm: erm as never })).toThrow(
      /algorithm must be an Algorithm/,
    );
    expect(() => leastSquaresFamily('tiny' as never)).toThrow(
      /regime must be one of 'fixed', 'low', 'biased'/,
    );
    expect(() => logisticFamily('low', { riskScale: 0 })).toThrow(/riskScale/);
    expect(() => leastSquaresFamily('low', { center: 'zero' } as never)).toThrow(
      /center is set by the regime/,
    );
    expect(() => rateExperiment({ ...base, ns: [10], repetiton: 3 } as never)).toThrow(
      /repetiton is not an option of rateExperiment options \(did you mean repetitions\?\)/,
    );
    expect(() => stabilityExperiment({ family: base.family, algorithm: erm(), ns: [10], coins: 0 })).toThrow(
      /coins must be an integer >= 1/,
    );
  });
});
