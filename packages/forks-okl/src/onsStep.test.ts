import { Rng, kernelValue } from '@descent/tensor';
import { onsProjectedStep } from './onsStep';
import { ShermanMorrisonInverse } from './shermanMorrison';
import { randomFourierFeatures, rffTransform } from './randomFourierFeatures';
import { gaussianKernel } from './kernel';

describe('projected online-Newton step', () => {
  it('keeps |wᵀφ| ≤ C after every step with the exact projection, and ≤ C + |h|ε/(φᵀA⁻¹φ + ε) with the guard', () => {
    const rng = new Rng(1);
    for (const guard of [0, 1e-4]) {
      const w = new Float64Array(6);
      const A = new ShermanMorrisonInverse(6, 0.01);
      const a = new Float64Array(6);
      for (let t = 0; t < 200; t++) {
        const phi = rng.normalArray(6);
        const before = A.apply(phi, new Float64Array(phi.length));
        let phiA = 0;
        for (let i = 0; i < 6; i++) phiA += phi[i] * before[i];
        const z = onsProjectedStep(w, A, phi, 0.2 * (rng.uniform() < 0.5 ? 1 : -1), { bound: 1, guard, sigma: 1 }, a);
        let after = 0;
        for (let i = 0; i < 6; i++) after += w[i] * phi[i];
        const h = Math.max(Math.abs(z) - 1, 0);
        expect(Math.abs(after)).toBeLessThanOrEqual(1 + (h * guard) / (phiA + guard) + 1e-9);
      }
    }
  });

  it('a step with γ = 0 changes nothing', () => {
    const w = Float64Array.of(0.1, -0.2);
    const A = new ShermanMorrisonInverse(2, 1);
    onsProjectedStep(w, A, [0.3, 0.4], 0, { bound: 1, guard: 1e-4, sigma: 1 }, new Float64Array(2));
    expect(Array.from(w)).toEqual([0.1, -0.2]);
    expect(Array.from(A.data)).toEqual([1, 0, 0, 1]);
  });
});

describe('random Fourier features', () => {
  it('scaled features approximate the Gaussian kernel (D = 4000, error < 0.05)', () => {
    const rng = new Rng(2);
    const f = randomFourierFeatures(3, 4000, 1.3, rng, true);
    const x = Float64Array.of(0.2, -0.5, 1);
    const y = Float64Array.of(0.7, 0.1, 0.4);
    const zx = rffTransform(f, x);
    const zy = rffTransform(f, y);
    let s = 0;
    for (let i = 0; i < zx.length; i++) s += zx[i] * zy[i];
    expect(Math.abs(s - kernelValue(gaussianKernel(1.3), x, y))).toBeLessThan(0.05);
  });
});
