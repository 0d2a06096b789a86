/**
 * The robust building blocks in isolation: robust starts under corruption, start selection by the
 * robust objective, sample splitting, and the bilinear (unknown-noise) pipeline on clean data.
 */
import { Matrix } from '@descent/tensor';
import {
  absCosine,
  contaminate,
  makeGaussianProblem,
  pairDifference,
  relativeError,
  robustBilinearWF,
  robustObjective,
  robustWF,
  spectralInit,
} from './index';

describe('robust starts under 5% response outliers (n = 32, m = 8n)', () => {
  const p = contaminate(makeGaussianProblem({ n: 32, seed: 7 }), { eta: 0.05, kind: 'response', seed: 7 });
  it('the plain spectral start is captured by the outliers, the robust starts are not', () => {
    const plain = absCosine(spectralInit(p.A, p.y, { method: 'spectral' }).z0, p.x);
    for (const method of ['median-truncated', 'robust-power', 'robust-matrix'] as const) {
      const robust = absCosine(spectralInit(p.A, p.y, { method, eta: 0.05 }).z0, p.x);
      expect(robust).toBeGreaterThan(0.5);
      expect(robust).toBeGreaterThan(plain + 0.2);
    }
  });
  it('robust-matrix refuses sizes whose m·n(n+1)/2 exceeds 2e7 floats', () => {
    const big = new Matrix(4000, 100, new Float64Array(400000).fill(1));
    expect(() => spectralInit(big, new Float64Array(4000).fill(1), { method: 'robust-matrix' })).toThrow(
      /robust-matrix/,
    );
  });
});

describe('start selection by the robust objective', () => {
  it('robustWF with several inits keeps the final iterate with the smallest median |(aᵀz)² − y|', () => {
    const p = contaminate(makeGaussianProblem({ n: 16, seed: 8 }), { eta: 0.05, kind: 'response', seed: 8 });
    const both = robustWF(p.A, p.y, { init: { method: ['random', 'robust-power'] }, maxSteps: 200 });
    const single = ['random', 'robust-power'].map((m) =>
      robustWF(p.A, p.y, { init: { method: m as 'random' }, maxSteps: 200 }),
    );
    const objs = single.map((r) => robustObjective(p.A, p.y, r.x));
    expect(robustObjective(p.A, p.y, both.x)).toBeCloseTo(Math.min(...objs), 12);
    expect(both.evaluations).toBe(single[0].evaluations + single[1].evaluations);
  });
});

describe('sample splitting (batching: split)', () => {
  it('T disjoint fresh batches, one per iteration, still contract from a good start (n = 16, m = 160n)', () => {
    const p = makeGaussianProblem({ n: 16, m: 160 * 16, seed: 9 });
    const x0 = Float64Array.from(p.x, (v, j) => v + 0.15 * Math.cos(j));
    const r = robustWF(p.A, p.y, { x0, batching: 'split', batches: 20, learningRate: 0.25, eta: 0.02 });
    expect(r.steps).toBe(20);
    expect(relativeError(r.x, p.x)).toBeLessThan(0.1 * relativeError(x0, p.x));
  });
});

describe('bilinear pipeline', () => {
  it('on clean data the pair-difference pipeline recovers x (relErr < 1e-3, n = 32, m = 16n)', () => {
    const p = makeGaussianProblem({ n: 32, m: 16 * 32, seed: 10 });
    const { U, V, yTilde } = pairDifference(p.A, p.y, 10);
    for (const method of ['spectral', 'robust-power'] as const) {
      const r = robustBilinearWF(U, V, yTilde, { eta: 0.02, init: { method }, seed: 10 });
      expect(relativeError(r.x, p.x)).toBeLessThan(1e-3);
    }
    // noiseless: x is an exact fixed point of the plain bilinear WF (tight tol to see it)
    const plain = robustBilinearWF(U, V, yTilde, {
      estimator: 'mean',
      init: { method: 'spectral' },
      tol: 1e-12,
      maxSteps: 2000,
    });
    expect(relativeError(plain.x, p.x)).toBeLessThan(1e-6);
  });
});

describe('high-dimensional filtering against the aligned big spike', () => {
  it('from a good start (relErr 0.21), coordinate-wise trimming fails (> 0.3) while the filter reaches < 1e-2 (n = 16, η = 0.1)', () => {
    // coordinate-wise estimators pay a √n factor against outliers aligned on one direction u
    const p = contaminate(makeGaussianProblem({ n: 16, seed: 1 }), { eta: 0.1, kind: 'big-spike', seed: 1 });
    const x0 = Float64Array.from(p.x, (v, j) => v + (0.3 / 4) * Math.cos(j));
    expect(
      relativeError(robustWF(p.A, p.y, { x0, estimator: 'trimmed', eta: 0.1, maxSteps: 150 }).x, p.x),
    ).toBeGreaterThan(0.3);
    expect(
      relativeError(robustWF(p.A, p.y, { x0, estimator: 'filter', eta: 0.1, maxSteps: 150 }).x, p.x),
    ).toBeLessThan(1e-2);
  });
});
