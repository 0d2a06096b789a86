import { Rng, ValueError } from '@descent/tensor';
import { LogisticProblem, sigmoid, softplus } from './logistic';
import { sampleLoss } from './problem';

/** Central finite-difference Hessian of the population risk (from the exact gradient). */
function fdHessian(p: LogisticProblem, w: Float64Array, h = 1e-4): Float64Array[] {
  return Array.from(w, (_, j) => {
    const a = w.slice();
    const b = w.slice();
    a[j] += h;
    b[j] -= h;
    const ga = p.populationGradient(a);
    const gb = p.populationGradient(b);
    return ga.map((v, k) => (v - gb[k]) / (2 * h));
  });
}

describe('LogisticProblem', () => {
  const w = Float64Array.from([1.5, -0.3, 0.2, 0.1, 0]);

  it.each(['truth', 'zero'] as const)(
    'population risk matches Monte Carlo and its gradient matches finite differences (centre %s)',
    (center) => {
      const p = new LogisticProblem({ separation: 2, center });
      const S = p.sample(200000, new Rng(3));
      let s = 0;
      let s2 = 0;
      for (let i = 0; i < S.n; i++) {
        const v = sampleLoss(p, w, S.X.subarray(i * 5, i * 5 + 5), S.y[i]);
        s += v;
        s2 += v * v;
      }
      const mean = s / S.n;
      const se = Math.sqrt((s2 / S.n - mean * mean) / S.n);
      expect(Math.abs(p.populationRisk(w) - mean)).toBeLessThan(4 * se);
      const g = p.populationGradient(w);
      for (let j = 0; j < 5; j++) {
        const a = w.slice();
        const b = w.slice();
        a[j] += 1e-5;
        b[j] -= 1e-5;
        expect(g[j]).toBeCloseTo((p.populationRisk(a) - p.populationRisk(b)) / 2e-5, 8);
      }
    },
  );

  it('w* is the stationary point: 2m with the centre at the truth (well-specified model), α*m with c = 0', () => {
    const p = new LogisticProblem({ separation: 2, direction: [0, 3, 0, 4, 0] });
    expect(Array.from(p.minimizer)).toEqual([0, 2.4, 0, 3.2, 0].map((v, j) => (j === 1 || j === 3 ? v : 0)));
    for (const v of p.populationGradient(p.minimizer)) expect(Math.abs(v)).toBeLessThan(1e-15);
    const q = new LogisticProblem({ separation: 2, center: 'zero' });
    for (const v of q.populationGradient(q.minimizer)) expect(Math.abs(v)).toBeLessThan(1e-14);
    expect(q.minimizer[0]).toBeGreaterThan(0);
    expect(q.minimizer[0]).toBeLessThan(4);
  });

  it('excess risk resolves 1e-11 without cancellation: F(w* + δ) − F(w*) → ½δᵀ∇²F δ as δ → 0', () => {
    for (const center of ['truth', 'zero'] as const) {
      const p = new LogisticProblem({ separation: 2, center });
      const H = fdHessian(p, p.minimizer);
      const dir = [1, -2, 0.5, 0.3, 1];
      for (const eps of [1e-3, 1e-4, 1e-5]) {
        const delta = dir.map((v) => v * eps);
        let q = 0;
        for (let j = 0; j < 5; j++) for (let k = 0; k < 5; k++) q += 0.5 * delta[j] * H[j][k] * delta[k];
        const excess = p.excessRisk(p.minimizer.map((v, j) => v + delta[j]));
        // the cubic Taylor term makes the ratio 1 + O(ε); at ε = 1e-5 the excess is ≈ 4e-11
        expect(Math.abs(excess / q - 1)).toBeLessThan(10 * eps);
      }
    }
  });

  it('separationForOptimalRisk inverts the Bayes-calibrated risk', () => {
    for (const target of [0.3, 1e-2, 1e-4]) {
      const r = LogisticProblem.separationForOptimalRisk(target);
      expect(new LogisticProblem({ separation: r }).optimalRisk / target).toBeCloseTo(1, 9);
    }
    expect(new LogisticProblem({ separation: 0 }).optimalRisk).toBeCloseTo(Math.LN2, 14);
    expect(() => LogisticProblem.separationForOptimalRisk(0.7)).toThrow(/target must be < log 2/);
    expect(() => LogisticProblem.separationForOptimalRisk(0)).toThrow(ValueError);
  });

  it('samples are ±m + N(0, I) with balanced labels, and φ, φ′, φ″ are consistent', () => {
    const p = new LogisticProblem({ separation: 1.5 });
    const S = p.sample(50000, new Rng(1));
    let pos = 0;
    let proj = 0;
    for (let i = 0; i < S.n; i++) {
      pos += S.y[i] > 0 ? 1 : 0;
      proj += (S.y[i] * S.X[i * 5]) / S.n;
    }
    expect(pos / S.n).toBeCloseTo(0.5, 1);
    expect(proj).toBeCloseTo(1.5, 1);
    for (const u of [-30, -2, 0, 0.7, 40]) {
      for (const y of [-1, 1]) {
        const h = 1e-6;
        expect(p.dphi(u, y)).toBeCloseTo((p.phi(u + h, y) - p.phi(u - h, y)) / (2 * h), 6);
        expect(p.d2phi(u)).toBeCloseTo((p.dphi(u + h, y) - p.dphi(u - h, y)) / (2 * h), 6);
      }
    }
    expect(softplus(800)).toBe(800);
    expect(softplus(-800)).toBe(0);
    expect(sigmoid(-800)).toBe(0);
    expect(sigmoid(800)).toBe(1);
  });

  it('rejects bad options with typed errors naming the argument', () => {
    expect(() => new LogisticProblem({ separation: -1 })).toThrow(/separation/);
    expect(() => new LogisticProblem({ lambda: 0 })).toThrow(/lambda/);
    expect(() => new LogisticProblem({ direction: [0, 0, 0, 0, 0] })).toThrow(/direction must be non-zero/);
    expect(() => new LogisticProblem({ direction: [1, 2] })).toThrow(/direction must have length d = 5/);
    expect(() => new LogisticProblem({ center: [1, 2, 3, 4, 5] as never })).toThrow(/center/);
    expect(() => new LogisticProblem().populationGradient([Number.NaN, 0, 0, 0, 0])).toThrow(
      /w must contain only finite/,
    );
  });
});
