import { Rng, ValueError } from '@descent/tensor';
import { gaussianMixtureTarget, mixtureFamily, modeDiagnostics, nearestComponent } from './gaussianMixture';

describe('gaussianMixtureTarget (the issue-16 mixture family)', () => {
  it('one component is the normalised Gaussian log-density; the gradient matches central differences', () => {
    const g = gaussianMixtureTarget({ means: [[1, -2, 0.5]], stds: 0.7 });
    const x = [0.3, -1.1, 2];
    const r2 = (0.3 - 1) ** 2 + (-1.1 + 2) ** 2 + (2 - 0.5) ** 2;
    expect(g.negLogP(x)).toBeCloseTo(0.5 * r2 / 0.49 + 3 * Math.log(0.7) + 1.5 * Math.log(2 * Math.PI), 12);
    for (const t of mixtureFamily()) {
      const p = t.sample(1, new Rng(t.name))[0];
      const grad = t.gradLogP(p);
      for (let c = 0; c < Math.min(t.dim, 3); c++) {
        const e = 1e-5;
        const a = Array.from(p);
        const b = Array.from(p);
        a[c] += e;
        b[c] -= e;
        expect(grad[c]).toBeCloseTo(-(t.negLogP(a) - t.negLogP(b)) / (2 * e), 5);
      }
    }
  });

  it('exact samples: mode masses match the weights and the spread ratio is 1', () => {
    const t = gaussianMixtureTarget({ means: [[-4, 0], [4, 0], [0, 5]], stds: [0.3, 1, 0.6], weights: [6, 3, 1] });
    const xs = t.sample(6000, new Rng(1));
    const d = modeDiagnostics(t, xs);
    expect(Array.from(d.mass, (m) => Number(m.toFixed(1)))).toEqual([0.6, 0.3, 0.1]);
    expect(d.spread).toBeGreaterThan(0.97);
    expect(d.spread).toBeLessThan(1.03);
    expect(nearestComponent(t, [3.5, 0.2])).toBe(1);
  });

  it('bad input is a typed error naming the argument', () => {
    expect(() => gaussianMixtureTarget({ means: [[0, 0]], stds: [-1] })).toThrow(/stds/);
    expect(() => gaussianMixtureTarget({ means: [[0, 0], [1, 1]], stds: 1, weights: [1, 0] })).toThrow(/weights/);
    expect(() => modeDiagnostics(null as never, [[0, 0]])).toThrow(ValueError);
    const t = mixtureFamily()[0];
    expect(() => nearestComponent(t, [0])).toThrow(/x/);
    expect(() => t.negLogP([0, 0, 0])).toThrow(/x/);
  });
});
