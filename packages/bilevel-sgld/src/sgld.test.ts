/**
 * SGLD on quadratics, where the chain is a Gaussian AR(1) process with exact moments (paper notes
 * §2.2, §5.2 item 1): mean μ, covariance τ(A − ηA²/2)⁻¹ (not τA⁻¹), lag-1 autocorrelation 1 − ηa.
 * Standard errors are across independent chains.
 */
import { Rng, ShapeError, ValueError } from '@descent/tensor';
import { sgld, sgldStep } from './sgld';
import { errorArgument } from '@descent/testkit';

/** A = R diag(a) Rᵀ with R the rotation by `angle`. */
function rotated(a: [number, number], angle: number): number[][] {
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  const R = [
    [c, -s],
    [s, c],
  ];
  return [0, 1].map((i) => [0, 1].map((j) => R[i][0] * a[0] * R[j][0] + R[i][1] * a[1] * R[j][1]));
}

/** τ(A − ηA²/2)⁻¹ for 2×2 A, via the eigen-decomposition. */
function sgldCov(a: [number, number], angle: number, eta: number, tau: number): number[][] {
  const v = a.map((x) => tau / (x * (1 - (eta * x) / 2))) as [number, number];
  return rotated(v, angle);
}

function perChainStats(samples: Float64Array[][], mu: number[]) {
  const d = mu.length;
  return samples.map((chain) => {
    const n = chain.length;
    const mean = new Float64Array(d);
    for (const s of chain) for (let i = 0; i < d; i++) mean[i] += s[i] / n;
    const cov = new Float64Array(d * d);
    for (const s of chain) for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) cov[i * d + j] += ((s[i] - mu[i]) * (s[j] - mu[j])) / n;
    return { mean, cov };
  });
}

function meanAndSe(xs: number[]): { mean: number; se: number } {
  const n = xs.length;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
  return { mean, se: sd / Math.sqrt(n) };
}

describe('sgld on an anisotropic rotated quadratic', () => {
  const mu = [0.5, -1];
  const cases: { a: [number, number]; eta: number; tau: number }[] = [
    { a: [1, 4], eta: 0.1, tau: 1 },
    { a: [1, 4], eta: 0.45, tau: 1 }, // η·a_max = 1.8: variance 2.5/4 along a = 4 vs 0.25 for τA⁻¹
    { a: [0.5, 2], eta: 0.2, tau: 0.3 },
  ];
  for (const { a, eta, tau } of cases) {
    it(`mean μ and covariance τ(A − ηA²/2)⁻¹ within 4 SE (a = ${a}, η = ${eta}, τ = ${tau}), over seeds`, () => {
      const angle = Math.PI / 6;
      const A = rotated(a, angle);
      const grad = (x: Float64Array) => [0, 1].map((i) => A[i][0] * (x[0] - mu[0]) + A[i][1] * (x[1] - mu[1]));
      const expected = sgldCov(a, angle, eta, tau);
      for (const seed of [1, 2, 3]) {
        const r = sgld(grad, mu, { learningRate: eta, temperature: tau, burnIn: 200, samples: 1000, chains: 64, seed });
        const stats = perChainStats(r.samples, mu);
        for (let i = 0; i < 2; i++) {
          const m = meanAndSe(stats.map((s) => s.mean[i]));
          expect(Math.abs(m.mean - mu[i])).toBeLessThan(4 * m.se);
          for (let j = 0; j < 2; j++) {
            const c = meanAndSe(stats.map((s) => s.cov[i * 2 + j]));
            expect(Math.abs(c.mean - expected[i][j])).toBeLessThan(4 * c.se);
          }
        }
        // the pooled estimate agrees with the per-chain one
        expect(r.covariance[0]).toBeCloseTo(meanAndSe(stats.map((s) => s.cov[0])).mean, 1);
      }
    });
  }

  it('distinguishes the discretised covariance from τA⁻¹ and from a sampler missing the √2', () => {
    const a = 4;
    const eta = 0.45;
    const r = sgld((x) => [a * x[0]], [0], { learningRate: eta, temperature: 1, burnIn: 200, samples: 1000, chains: 64, seed: 7 });
    const v = meanAndSe(perChainStats(r.samples, [0]).map((s) => s.cov[0]));
    const exact = 1 / (a * (1 - (eta * a) / 2)); // 2.5
    expect(Math.abs(v.mean - exact)).toBeLessThan(4 * v.se);
    expect(Math.abs(v.mean - 1 / a)).toBeGreaterThan(20 * v.se); // τA⁻¹ = 0.25
    expect(Math.abs(v.mean - exact / 2)).toBeGreaterThan(20 * v.se); // noise √(ητ) instead of √(2ητ)
  });

  it('lag-1 autocorrelation is 1 − ηa per eigen-direction', () => {
    for (const [a, eta] of [
      [1, 0.1],
      [4, 0.4],
    ]) {
      const r = sgld((x) => [a * x[0]], [0], { learningRate: eta, temperature: 0.5, burnIn: 100, samples: 2000, chains: 32, seed: 3 });
      const rhos = r.samples.map((chain) => {
        let num = 0;
        let den = 0;
        for (let t = 0; t < chain.length; t++) {
          den += chain[t][0] ** 2;
          if (t > 0) num += chain[t][0] * chain[t - 1][0];
        }
        return num / den;
      });
      const m = meanAndSe(rhos);
      expect(Math.abs(m.mean - (1 - eta * a))).toBeLessThan(4 * m.se + 2 / 2000); // + the O(1/n) bias of the estimator
    }
  });

  it('η → 0 approaches τA⁻¹', () => {
    const r = sgld((x) => [2 * x[0]], [0], { learningRate: 0.01, temperature: 1, burnIn: 300, samples: 1000, thin: 10, chains: 32, seed: 4 });
    const v = meanAndSe(perChainStats(r.samples, [0]).map((s) => s.cov[0]));
    const exact = 1 / (2 * (1 - 0.01)); // 0.505 vs τA⁻¹ = 0.5
    expect(Math.abs(v.mean - exact)).toBeLessThan(4 * v.se);
    expect(Math.abs(v.mean - 0.5)).toBeLessThan(0.05);
  });
});

describe('sgld bookkeeping', () => {
  const grad = (x: Float64Array) => Array.from(x);
  it('same seed, same bits; different seeds differ; seed 0 is an ordinary seed', () => {
    const run = (seed: number | string) => sgld(grad, [1, 2], { learningRate: 0.1, samples: 20, chains: 3, seed });
    const a = run(0);
    const b = run(0);
    expect(a.samples).toEqual(b.samples);
    expect(a.mean).toEqual(b.mean);
    expect(run(1).mean).not.toEqual(a.mean);
    expect(run('x').mean).not.toEqual(a.mean);
  });

  it('keeps burnIn + samples·thin steps per chain, thinned; temperature 0 is gradient descent', () => {
    const seen: number[] = [];
    const r = sgld(grad, [1], {
      learningRate: 0.5,
      temperature: 0,
      burnIn: 2,
      samples: 3,
      thin: 2,
      chains: 2,
      onSample: (_t, info) => {
        seen.push(info.index);
      },
    });
    expect(r.evaluations).toBe(2 * (2 + 3 * 2));
    expect(seen).toEqual([0, 1, 2, 0, 1, 2]);
    // θ_t = 0.5^t: kept t = 4, 6, 8
    expect(Array.from(r.samples[0], (s) => s[0])).toEqual([0.5 ** 4, 0.5 ** 6, 0.5 ** 8]);
    expect(r.states[0][0]).toBe(0.5 ** 8);
    expect(r.stopReason).toBe('maxSteps');
  });

  it('onSample returning false stops; per-chain starts; keepSamples false keeps moments only', () => {
    const r = sgld(grad, [[1], [100]], { learningRate: 0.5, temperature: 0, burnIn: 0, samples: 1, chains: 2, keepSamples: false });
    expect(r.samples).toEqual([[], []]);
    expect(r.mean[0]).toBeCloseTo((0.5 + 50) / 2, 12);
    const s = sgld(grad, [1], { learningRate: 0.1, samples: 10, chains: 2, onSample: () => false });
    expect(s.stopReason).toBe('callback');
  });

  it('sgldStep is θ − ηg + √(2ητ)ξ with ξ from the given Rng', () => {
    const xi = new Rng(5).normalArray(2);
    const out = sgldStep([1, 2], [0.5, -1], 0.1, 2, new Rng(5));
    expect(out[0]).toBeCloseTo(1 - 0.05 + Math.sqrt(0.4) * xi[0], 14);
    expect(out[1]).toBeCloseTo(2 + 0.1 + Math.sqrt(0.4) * xi[1], 14);
  });

  it('bad input: typed errors naming the argument', () => {
    const bad = (f: () => unknown, arg: string) => expect(errorArgument(f)).toBe(arg);
    bad(() => sgld(grad, [1], { learningRate: -1 }), 'learningRate');
    bad(() => sgld(grad, [1], { learningRate: 0.1, temperature: Number.NaN }), 'temperature');
    bad(() => sgld(grad, [1], { learningRate: 0.1, chains: 0 }), 'chains');
    bad(() => sgld(grad, [Number.NaN], { learningRate: 0.1 }), 'theta0');
    bad(() => sgld(() => [Number.NaN], [1], { learningRate: 0.1 }), 'gradient(theta)');
    bad(() => sgld(() => [1, 2], [1], { learningRate: 0.1 }), 'gradient(theta)');
    bad(() => sgld((x) => [10 * x[0]], [1], { learningRate: 1, samples: 500 }), 'learningRate'); // η·a = 10: diverges
    bad(() => sgldStep([1], [1, 2], 0.1, 1, new Rng(1)), 'gradient');
    expect(() => sgld(grad, [1], { learningRate: 0.1, stepSize: 1 } as never)).toThrow(ValueError);
    expect(() => sgld(grad, [[1], [2]], { learningRate: 0.1, chains: 3 })).toThrow(ShapeError);
  });
});
