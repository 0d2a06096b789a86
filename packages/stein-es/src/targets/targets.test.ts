import { Rng, fdGrad } from '@descent/tensor';
import {
  G2_MEAN,
  bananaTarget,
  doubleBananaTarget,
  funnelTarget,
  g2Covariance,
  gaussianTarget,
  gmm4Target,
  mixture1dTarget,
} from './index';

const all = () => [
  gaussianTarget(2),
  gaussianTarget(10),
  gmm4Target(2),
  gmm4Target(10),
  bananaTarget(),
  bananaTarget({ dim: 10 }),
  funnelTarget(2),
  funnelTarget(10),
  doubleBananaTarget(2),
  mixture1dTarget(),
];

describe('benchmark targets', () => {
  it('gradLogP is −∇U (finite differences, relative 1e-6)', () => {
    const rng = new Rng(1);
    for (const t of all()) {
      for (let r = 0; r < 3; r++) {
        const x = rng.normalArray(t.dim, 0, 0.8);
        const fd = fdGrad((z) => -t.negLogP(z), x);
        const g = t.gradLogP(x);
        for (let i = 0; i < t.dim; i++)
          expect(Math.abs(g[i] - fd[i])).toBeLessThan(1e-6 * (1 + Math.abs(fd[i])));
      }
    }
  });

  it('the exact samplers match closed-form moments', () => {
    const rng = new Rng(2);
    const n = 20000;
    const g = gaussianTarget().sample(n, rng.fold('g'));
    const S = g2Covariance();
    const m = [0, 0];
    for (const x of g) for (let c = 0; c < 2; c++) m[c] += x[c] / n;
    // 5 standard errors
    expect(Math.abs(m[0] - G2_MEAN[0])).toBeLessThan(5 * Math.sqrt(S[0] / n));
    expect(Math.abs(m[1] - G2_MEAN[1])).toBeLessThan(5 * Math.sqrt(S[3] / n));
    // funnel: v ~ N(0, 9)
    const f = funnelTarget(3).sample(n, rng.fold('f'));
    const v2 = f.reduce((s, x) => s + x[0] * x[0], 0) / n;
    expect(Math.abs(v2 - 9)).toBeLessThan(5 * 9 * Math.sqrt(2 / n));
    // banana: x1 ~ N(0, s²) with s = 2, and E[x2] = 0
    const b = bananaTarget().sample(n, rng.fold('b'));
    const bm = b.reduce((s, x) => s + x[1], 0) / n;
    expect(Math.abs(bm)).toBeLessThan(5 * Math.sqrt((1 + 2 * 0.25 * 16) / n));
    // gmm4: mode frequencies are the weights
    const q = [0, 0, 0, 0];
    for (const x of gmm4Target().sample(n, rng.fold('m'))) q[(x[0] > 0 ? 1 : 0) + (x[1] > 0 ? 2 : 0)]++;
    [0.1, 0.2, 0.3, 0.4].forEach((w, k) => {
      expect(Math.abs(q[k] / n - w)).toBeLessThan(0.02);
    });
  });

  it('the double-banana grid sampler matches the density (mean by quadrature ≈ (−0.0147, 0.3003))', () => {
    const xs = doubleBananaTarget().sample(20000, new Rng(3));
    const m = [0, 0];
    for (const x of xs) for (let c = 0; c < 2; c++) m[c] += x[c] / xs.length;
    expect(Math.abs(m[0] + 0.0147)).toBeLessThan(0.03);
    expect(Math.abs(m[1] - 0.3003)).toBeLessThan(0.03);
  });
});
