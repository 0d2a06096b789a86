import { Rng, ShapeError, ValueError, solve } from '@descent/tensor';
import { erm } from './erm';
import { LeastSquaresProblem } from './leastSquares';
import { sampleGradient, sampleLoss } from './problem';

/** Monte-Carlo mean and standard error of f(w; z) over m fresh samples. */
function monteCarloRisk(p: LeastSquaresProblem, w: Float64Array, m: number, seed: number) {
  const S = p.sample(m, new Rng(seed));
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < m; i++) {
    const v = sampleLoss(p, w, S.X.subarray(i * p.d, (i + 1) * p.d), S.y[i]);
    s += v;
    s2 += v * v;
  }
  const mean = s / m;
  return { mean, se: Math.sqrt((s2 / m - mean * mean) / m) };
}

describe('LeastSquaresProblem', () => {
  const w = Float64Array.from([0.9, -0.4, 0.1, 0.7, 0.2]);

  it.each([
    ['rademacher inputs, uniform noise', { inputs: 'rademacher', noise: 'uniform' }],
    [
      'gaussian inputs, gaussian noise, scaled',
      { inputs: 'gaussian', noise: 'gaussian', scales: [1, 2, 0.5, 1, 1.5] },
    ],
    ['rademacher noise, centre 0', { noise: 'rademacher', center: 'zero' }],
  ] as const)('population risk and gradient match Monte Carlo (%s)', (_, opts) => {
    const p = new LeastSquaresProblem({ ...opts, noiseVariance: 0.3, lambda: 0.2 } as never);
    const mc = monteCarloRisk(p, w, 200000, 7);
    expect(Math.abs(p.populationRisk(w) - mc.mean)).toBeLessThan(4 * mc.se);
    // ∇F = E ∇f: Monte-Carlo mean of per-sample gradients
    const S = p.sample(200000, new Rng(8));
    const g = new Float64Array(p.d);
    const gi = new Float64Array(p.d);
    for (let i = 0; i < S.n; i++) {
      sampleGradient(p, w, S.X.subarray(i * p.d, (i + 1) * p.d), S.y[i], gi);
      for (let j = 0; j < p.d; j++) g[j] += gi[j] / S.n;
    }
    const exact = p.populationGradient(w);
    for (let j = 0; j < p.d; j++)
      expect(Math.abs(g[j] - exact[j])).toBeLessThan(0.02 * Math.max(1, Math.abs(exact[j])));
  });

  it('w* has zero population gradient, F(w*) = σ²/2 with the centre at the truth, and excess = F − F*', () => {
    const p = new LeastSquaresProblem({ noiseVariance: 0.25 });
    expect(Array.from(p.minimizer)).toEqual(Array.from(p.truth));
    expect(p.optimalRisk).toBeCloseTo(0.125, 15);
    const q = new LeastSquaresProblem({ center: 'zero', scales: [1, 2, 3, 1, 1], lambda: 0.3 });
    for (const v of q.populationGradient(q.minimizer)) expect(Math.abs(v)).toBeLessThan(1e-15);
    expect(q.excessRisk(w)).toBeCloseTo(q.populationRisk(w) - q.optimalRisk, 14);
    expect(q.excessRisk(q.minimizer)).toBe(0);
    // with c = 0 the regulariser keeps F(w*) = Θ(λ) even without label noise
    const biased = new LeastSquaresProblem({ center: 'zero', noiseVariance: 0 });
    expect(biased.optimalRisk).toBeGreaterThan(0.04);
  });

  it('excess risk is exact for tiny deviations (no cancellation): ½(1 + λ)‖δ‖² at 1e-9', () => {
    const p = new LeastSquaresProblem({ lambda: 0.1 });
    const wd = p.minimizer.map((v, j) => v + (j === 0 ? 1e-9 : 0));
    expect(p.excessRisk(wd) / (0.55 * 1e-18)).toBeCloseTo(1, 6);
  });

  it.each(['rademacher', 'gaussian'] as const)(
    "ERM's mean excess risk matches the asymptotics tr(H⁻¹Σ_g)/(2n) (%s inputs, biased centre)",
    (inputs) => {
      const p = new LeastSquaresProblem({
        inputs,
        center: 'zero',
        noiseVariance: 0.1,
        scales: [1, 1.5, 0.7, 1, 1.2],
      });
      const n = 2000;
      const reps = 400;
      let mean = 0;
      for (let r = 0; r < reps; r++) {
        const S = p.sample(n, new Rng('asym').fold(inputs, r));
        mean += p.excessRisk(erm().fit(p, S, new Rng(0)).w) / reps;
      }
      // relative standard error of the mean of ≈ χ²-like excesses ≈ √(2/d)/√reps ≈ 3%
      expect(mean / p.asymptoticErmExcess(n)).toBeGreaterThan(0.9);
      expect(mean / p.asymptoticErmExcess(n)).toBeLessThan(1.1);
    },
  );

  it('samples have the documented moments: E[xxᵀ] = diag(s²), noise variance σ²', () => {
    for (const noise of ['uniform', 'gaussian', 'rademacher'] as const) {
      const p = new LeastSquaresProblem({
        noise,
        noiseVariance: 0.5,
        scales: [2, 1, 1, 1, 1],
        inputs: 'gaussian',
      });
      const S = p.sample(100000, new Rng(noise));
      let x0 = 0;
      let e2 = 0;
      for (let i = 0; i < S.n; i++) {
        x0 += S.X[i * 5] ** 2 / S.n;
        let u = 0;
        for (let j = 0; j < 5; j++) u += S.X[i * 5 + j] * p.truth[j];
        e2 += (S.y[i] - u) ** 2 / S.n;
      }
      expect(x0).toBeCloseTo(4, 1);
      expect(e2).toBeCloseTo(0.5, 1);
    }
  });

  it('ERM on least squares is the closed form (XᵀX/n + λI)⁻¹(Xᵀy/n + λc)', () => {
    const p = new LeastSquaresProblem({ center: 'zero', lambda: 0.05 });
    const S = p.sample(50, new Rng(4));
    const A: number[][] = [];
    const b: number[] = [];
    for (let a = 0; a < 5; a++) {
      A.push([]);
      let s = 0;
      for (let i = 0; i < S.n; i++) s += (S.X[i * 5 + a] * S.y[i]) / S.n;
      b.push(s);
      for (let c = 0; c < 5; c++) {
        let t = 0;
        for (let i = 0; i < S.n; i++) t += (S.X[i * 5 + a] * S.X[i * 5 + c]) / S.n;
        A[a].push(t + (a === c ? 0.05 : 0));
      }
    }
    const closed = solve(A, b);
    const fit = erm().fit(p, S, new Rng(0));
    expect(fit.steps).toBeLessThanOrEqual(2);
    for (let j = 0; j < 5; j++) expect(fit.w[j]).toBeCloseTo(closed[j], 13);
  });

  it('rejects bad options with typed errors naming the argument', () => {
    expect(() => new LeastSquaresProblem({ lambda: 0 })).toThrow(ValueError);
    expect(() => new LeastSquaresProblem({ lambda: -1 })).toThrow(/lambda/);
    expect(() => new LeastSquaresProblem({ d: 2.5 })).toThrow(/d must be an integer/);
    expect(() => new LeastSquaresProblem({ noiseVariance: Number.NaN })).toThrow(/noiseVariance/);
    expect(() => new LeastSquaresProblem({ noise: 'cauchy' as never })).toThrow(/noise must be one of/);
    expect(() => new LeastSquaresProblem({ inputs: 'sphere' as never })).toThrow(/inputs/);
    expect(() => new LeastSquaresProblem({ scales: [1, 2] })).toThrow(ShapeError);
    expect(() => new LeastSquaresProblem({ scales: [1, 1, 0, 1, 1] })).toThrow(/scales must be > 0/);
    expect(() => new LeastSquaresProblem({ truth: [1, 1, Number.NaN, 1, 1] })).toThrow(/truth/);
    expect(() => new LeastSquaresProblem({ center: 'origin' as never })).toThrow(/center/);
    expect(() => new LeastSquaresProblem({ lamda: 1 } as never)).toThrow(/did you mean lambda/);
    const p = new LeastSquaresProblem();
    expect(() => p.excessRisk([1, 2])).toThrow(ShapeError);
    expect(() => p.populationRisk([1, 2, 3, 4, Number.POSITIVE_INFINITY])).toThrow(
      /w must contain only finite/,
    );
    expect(() => p.sample(0, new Rng(0))).toThrow(/n must be an integer/);
    expect(() => p.asymptoticErmExcess(0)).toThrow(/n must be > 0/);
  });
});
