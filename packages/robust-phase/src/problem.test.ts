import { Rng, ValueError } from '@descent/tensor';
import { ADVERSARIES, attackFamily, contaminate, makeGaussianProblem, noiseMean, sampleNoise } from './index';

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
  it('sampleNoise and noiseMean read a noise model the same way (one reader: same errors, same messages)', () => {
    const bad: unknown[] = [null, 42, { kind: 'cauchy' }, { kind: 7 }, { kind: 'gauss', scale: -1 }, { kind: 'gauss', scale: Number.NaN }, { kind: 'lognormal', scale: 'x' }];
    const message = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(ValueError);
        return (e as Error).message;
      }
      throw new Error('accepted a bad noise model');
    };
    for (const model of bad)
      expect(message(() => sampleNoise(model as never, 3, new Rng(1)))).toBe(message(() => noiseMean(model as never)));
    expect(message(() => noiseMean({ kind: 'cauchy' as 'gauss' }))).toMatch(/noise\.kind.*'none', 'gauss', 'student', 'pareto', 'lognormal'/);
    expect(noiseMean({ kind: 'lognormal' })).toBeCloseTo(0.1 * Math.exp(0.5), 15); // default scale 0.1 in both
    expect(sampleNoise({ kind: 'gauss', scale: 0 }, 4, new Rng(1))).toEqual(new Float64Array(4));
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
    expect(() => contaminate(p, { eta: 0.5, kind: 'response' })).toThrow(/^eta must be .*0\.5/);
    expect(() => contaminate(p, { eta: -0.1, kind: 'response' })).toThrow(ValueError);
  });
});

describe("contaminate({ kind: 'spike' }) and attackFamily()", () => {
  const p = makeGaussianProblem({ n: 16, seed: 5 });
  const dot = (a: ArrayLike<number>, b: ArrayLike<number>) =>
    Array.from(a).reduce((s, v, j) => s + v * b[j], 0);
  const norm = (a: ArrayLike<number>) => Math.sqrt(dot(a, a));
  it('the family has 29 distinct attacks spanning direction × rows × responses × mixing, plus the classic kinds', () => {
    const fam = attackFamily();
    expect(fam).toHaveLength(29);
    expect(new Set(fam.map((a) => a.name)).size).toBe(29);
    for (const d of ['orthogonal', 'aligned', 'oblique'])
      expect(fam.filter((a) => a.spike?.direction === d)).toHaveLength(8);
  });
  it.each(attackFamily().map((a) => [a.name, a] as const))('%s replaces exactly ⌊ηm⌋ pairs', (_n, a) => {
    const q = contaminate(p, { eta: 0.1, kind: a.kind, spike: a.spike, seed: 2 });
    expect(q.corrupted.length).toBe(Math.floor(0.1 * p.m));
    const bad = new Set(q.corrupted);
    for (let i = 0; i < p.m; i++) if (!bad.has(i)) expect(q.y[i]).toBe(p.y[i]);
  });
  it('identical orthogonal rows: one vector of norm 3√n, orthogonal to x; decoy responses (aᵀw)² = 9n‖x‖²', () => {
    const q = contaminate(p, { eta: 0.1, kind: 'spike', spike: { direction: 'orthogonal' }, seed: 2 });
    const rows = Array.from(q.corrupted, (i) => q.A.row(i));
    for (const r of rows) {
      expect(Array.from(r)).toEqual(Array.from(rows[0]));
      expect(norm(r)).toBeCloseTo(3 * Math.sqrt(16), 10);
      expect(Math.abs(dot(r, p.x))).toBeLessThan(1e-12);
    }
    for (const i of q.corrupted) expect(q.y[i]).toBeCloseTo(9 * 16, 9);
  });
  it('aligned rows are parallel to x; consistent responses equal (aᵀx)²; clustered rows spread by the jitter', () => {
    const q = contaminate(p, {
      eta: 0.1,
      kind: 'spike',
      spike: { direction: 'aligned', response: 'consistent', clusters: 3, jitter: 0.1 },
      seed: 2,
    });
    for (const i of q.corrupted) {
      const r = q.A.row(i);
      expect(Math.abs(dot(r, p.x)) / norm(r)).toBeGreaterThan(0.98); // cos with x (jitter 0.1)
      expect(q.y[i]).toBeCloseTo(dot(r, p.x) ** 2, 9);
    }
    const [a, b] = [q.A.row(q.corrupted[0]), q.A.row(q.corrupted[1])];
    expect(Array.from(a)).not.toEqual(Array.from(b));
  });
  it('responseOutliers: that fraction of the corrupted pairs keeps its row and gets y = 100‖x‖²U(0, 1)', () => {
    const q = contaminate(p, { eta: 0.2, kind: 'spike', spike: { responseOutliers: 0.5 }, seed: 2 });
    const k = q.corrupted.length;
    const kept = Array.from(q.corrupted).filter((i) =>
      Array.from(q.A.row(i)).every((v, j) => v === p.A.get(i, j)),
    );
    expect(kept).toHaveLength(Math.round(0.5 * k));
    for (const i of kept) expect(q.y[i]).toBeLessThan(100);
  });
  it('bad spike options are named', () => {
    expect(() => contaminate(p, { eta: 0.1, kind: 'spike', spike: { clusters: 16 } })).toThrow(
      /spike.clusters/,
    );
    expect(() =>
      contaminate(p, { eta: 0.1, kind: 'spike', spike: { direction: 'up' as 'aligned' } }),
    ).toThrow(/spike.direction/);
    expect(() => contaminate(p, { eta: 0.1, kind: 'spike', spike: { responseOutliers: 2 } })).toThrow(
      /spike.responseOutliers/,
    );
  });
});
