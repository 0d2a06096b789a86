import { Rng, ValueError } from '@descent/tensor';
import { ADVERSARIES, contaminate, makeGaussianProblem, noiseMean, sampleNoise } from './index';

describe('makeGaussianProblem', () => {
  it('builds y = (aᵀx)² + z with ‖x‖ = norm, m = 8n by default', () => {
    const p = makeGaussianProblem({ n: 10, seed: 1, norm: 2, noise: { kind: 'gauss', scale: 0.1 } });
    expect(p.m).toBe(80);
    expect(Math.hypot(...p.x)).toBeCloseTo(2, 12);
    for (let i = 0; i < p.m; i++) {
      let d = 0;
      for (let j = 0; j < 10; j++) d += p.A.get(i, j) * p.x[j];
      expect(p.y[i]).toBeCloseTo(d * d + p.noise[i], 12);
    }
  });
  it('same seed, same bits; the noise stream does not move A or x', () => {
    const a = makeGaussianProblem({ n: 7, seed: 4 });
    const b = makeGaussianProblem({ n: 7, seed: 4 });
    const c = makeGaussianProblem({ n: 7, seed: 4, noise: { kind: 'student', scale: 1 } });
    expect(Buffer.from(a.y.buffer).equals(Buffer.from(b.y.buffer))).toBe(true);
    expect(Array.from(c.A.data)).toEqual(Array.from(a.A.data));
    expect(Array.from(c.x)).toEqual(Array.from(a.x));
  });
  it('noise models: zero-mean kinds average to 0, log-normal to scale·e^{1/2}', () => {
    const k = 200_000;
    for (const kind of ['gauss', 'student', 'pareto'] as const) {
      const z = sampleNoise({ kind, scale: 1 }, k, new Rng(kind));
      const mean = z.reduce((s, v) => s + v, 0) / k;
      expect(Math.abs(mean)).toBeLessThan(0.02);
    }
    const z = sampleNoise({ kind: 'lognormal', scale: 0.5 }, k, new Rng(1));
    expect(z.reduce((s, v) => s + v, 0) / k).toBeCloseTo(noiseMean({ kind: 'lognormal', scale: 0.5 }), 1);
    // Student-t(ν): variance ν/(ν − 2)
    const t = sampleNoise({ kind: 'student', scale: 1, df: 6 }, k, new Rng(2));
    expect(t.reduce((s, v) => s + v * v, 0) / k).toBeCloseTo(1.5, 1);
  });
  it('rejects bad options', () => {
    expect(() => makeGaussianProblem({ n: 0 })).toThrow(ValueError);
    expect(() => makeGaussianProblem({ n: 3, noise: { kind: 'cauchy' as 'gauss' } })).toThrow(/noise.kind/);
    expect(() => makeGaussianProblem({ n: 3, noise: { kind: 'gauss', scale: -1 } })).toThrow(/noise.scale/);
  });
});

describe('contaminate (strong contamination: ⌊ηm⌋ pairs replaced)', () => {
  const p = makeGaussianProblem({ n: 16, seed: 3 });
  it.each(ADVERSARIES)('%s replaces exactly ⌊ηm⌋ pairs and leaves x and the others untouched', (kind) => {
    const q = contaminate(p, { eta: 0.1, kind, seed: 2 });
    expect(q.corrupted.length).toBe(Math.floor(0.1 * p.m));
    const bad = new Set(q.corrupted);
    for (let i = 0; i < p.m; i++) {
      if (bad.has(i)) continue;
      expect(q.y[i]).toBe(p.y[i]);
      expect(Array.from(q.A.row(i))).toEqual(Array.from(p.A.row(i)));
    }
    expect(q.x).toBe(p.x);
  });
  it('the NLT spike is consistent: y_i = (a_iᵀx)² with a_iᵀx = 1/5 for unit x', () => {
    const q = contaminate(p, { eta: 0.1, kind: 'nlt-spike', seed: 2 });
    for (const i of q.corrupted) {
      let d = 0;
      for (let j = 0; j < 16; j++) d += q.A.get(i, j) * p.x[j];
      expect(d).toBeCloseTo(1 / 5, 12);
      expect(q.y[i]).toBeCloseTo(1 / 25, 12);
      expect(Math.hypot(...q.A.row(i))).toBeCloseTo(Math.sqrt(16), 10);
    }
  });
  it('η outside [0, 0.5) is a ValueError naming eta', () => {
    expect(() => contaminate(p, { eta: 0.5, kind: 'response' })).toThrow(/eta must be in \[0, 0.5\)/);
    expect(() => contaminate(p, { eta: -0.1, kind: 'response' })).toThrow(ValueError);
  });
});
