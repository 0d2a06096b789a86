/**
 * Issue 16 (e): particle weights. On a mixture with unequal weights every method splits the
 * particles about equally between modes (SV-ES and gradient SVGD alike); self-normalised
 * importance weights p̃/q̂ (q̂ the particles' k-NN density) make weighted estimates right,
 * measured by the weighted mode masses and the weighted MMD².
 */
import { Rng, ShapeError, ValueError, mmd2, rbf } from '@descent/tensor';
import { effectiveSampleSize, particleWeights } from './particleWeights';
import { sample } from './sample';
import { svgd } from './svgd';
import { type GaussianMixtureTarget, gaussianMixtureTarget, mixtureFamily, modeDiagnostics } from './targets';
import { weightedMmd2 } from './weightedMmd';

const unequal = mixtureFamily().find((t) => t.name === 'mix3-2d-w.6/.3/.1') as GaussianMixtureTarget;

function maxMassError(t: GaussianMixtureTarget, mass: Float64Array): number {
  return Math.max(...Array.from(mass, (m, k) => Math.abs(m - t.weights[k])));
}

describe('issue 16 (e): particle weights and weighted MMD²', () => {
  it('sample on an unequal mixture: particles split ~equally, weighted masses are right, weighted MMD² is smaller', async () => {
    const t = unequal;
    const truth = t.sample(800, new Rng('truth'));
    const k = rbf({ bandwidth: 0.5 });
    for (const seed of [1, 2]) {
      const r = await sample((xs) => xs.map((x) => t.negLogP(x)), { init: t.initBox, maxEvals: 100_000, seed });
      const w = r.weights as Float64Array;
      expect(w.length).toBe(r.particles.length);
      expect(w.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
      expect(r.ess).toBeGreaterThan(30);
      const plain = modeDiagnostics(t, r.particles);
      const weighted = modeDiagnostics(t, r.particles, w);
      expect(maxMassError(t, plain.mass)).toBeGreaterThan(0.15); // (0.6, 0.3, 0.1) split ~(0.4, 0.3, 0.3)
      expect(maxMassError(t, weighted.mass)).toBeLessThan(0.08);
      const before = mmd2(r.particles, truth, k);
      const after = weightedMmd2(r.particles, truth, k, { weightsX: w });
      expect(after).toBeLessThan(0.6 * before); // measured 0.0128 vs 0.0260, 0.0107 vs 0.0313
    }
  });

  it('the weights fix gradient SVGD particles too (any particle set: weights from U at the particles)', () => {
    const t = unequal;
    const x0 = Array.from({ length: 100 }, (_, i) => new Rng(3).fold(i).normalArray(2).map((v) => 3 * v));
    const r = svgd(t, x0, { maxSteps: 800, learningRate: 0.05 });
    const plain = modeDiagnostics(t, r.particles);
    const { weights } = particleWeights(r.particles, r.particles.map((x) => t.negLogP(x)));
    const weighted = modeDiagnostics(t, r.particles, weights);
    expect(maxMassError(t, weighted.mass)).toBeLessThan(maxMassError(t, plain.mass));
    expect(maxMassError(t, weighted.mass)).toBeLessThan(0.1);
  });

  it('importance correction of i.i.d. draws from a known q: N(0, 1) particles weighted to N(0.8, 1) recover the mean', () => {
    const rng = new Rng(11);
    const xs = Array.from({ length: 3000 }, () => Float64Array.of(rng.normal()));
    const { weights, ess } = particleWeights(
      xs,
      xs.map((x) => 0.5 * (x[0] - 0.8) ** 2),
      { k: 10 },
    );
    const mean = xs.reduce((s, x, i) => s + weights[i] * x[0], 0);
    expect(mean).toBeGreaterThan(0.65);
    expect(mean).toBeLessThan(0.95);
    expect(ess).toBeGreaterThan(600);
  });

  it('a constant added to U changes nothing; NaN U gets weight 0; ess = 1/Σw²', () => {
    const t = gaussianMixtureTarget({ means: [[0, 0], [4, 0]], stds: [1, 0.5] });
    const xs = t.sample(60, new Rng(5));
    const u = xs.map((x) => t.negLogP(x));
    const a = particleWeights(xs, u);
    const b = particleWeights(xs, u.map((v) => v + 1234.5));
    for (let i = 0; i < xs.length; i++) expect(b.weights[i]).toBeCloseTo(a.weights[i], 12);
    expect(a.ess).toBeCloseTo(effectiveSampleSize(a.weights), 9);
    const c = particleWeights(xs, u.map((v, i) => (i === 3 ? Number.NaN : v)));
    expect(c.weights[3]).toBe(0);
    expect(() => particleWeights(xs, u.map(() => Number.NaN))).toThrow(ValueError);
    expect(() => particleWeights(xs, u.slice(1))).toThrow(ShapeError);
    expect(() => particleWeights(xs, u, { k: 0 })).toThrow(/k/);
  });

  it('weightedMmd2 with equal weights is mmd2 (biased) exactly; it is 0 for identical weighted sets; bad weights are errors', () => {
    const rng = new Rng(2);
    const X = Array.from({ length: 30 }, () => rng.normalArray(3));
    const Y = Array.from({ length: 40 }, () => rng.normalArray(3).map((v) => v + 0.3));
    const k = rbf({ bandwidth: 1.3 });
    expect(weightedMmd2(X, Y, k)).toBeCloseTo(mmd2(X, Y, k), 12);
    const w = Array.from({ length: 30 }, (_, i) => i + 1);
    expect(weightedMmd2(X, X, k, { weightsX: w, weightsY: w })).toBeCloseTo(0, 12);
    // duplicating a point is the same as doubling its weight
    const X2 = [...X, X[0]];
    const w2 = [...w.map((_, i) => (i === 0 ? 1 : 1)), 1];
    const w1 = w.map((_, i) => (i === 0 ? 2 : 1));
    expect(weightedMmd2(X2, Y, k, { weightsX: w2 })).toBeCloseTo(weightedMmd2(X, Y, k, { weightsX: w1 }), 12);
    expect(() => weightedMmd2(X, Y, k, { weightsX: w.slice(1) })).toThrow(ShapeError);
    expect(() => weightedMmd2(X, Y, k, { weightsX: w.map((v) => -v) })).toThrow(/weightsX/);
    expect(() => weightedMmd2(X, Y, k, { weightsY: new Array(40).fill(0) })).toThrow(/weightsY/);
  });
});
