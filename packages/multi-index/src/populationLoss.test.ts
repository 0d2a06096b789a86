import { Matrix, Rng, ValueError } from '@descent/tensor';
import { HermiteSeries } from './hermiteSeries';
import { MultiIndexTarget } from './multiIndexTarget';
import { populationCorrelation, populationSquaredLoss } from './populationLoss';
import { normalizeRows } from './sphericalStep';

/** Monte Carlo mean and standard error of g over n samples of the target. */
function monteCarlo(
  target: MultiIndexTarget,
  n: number,
  seed: number,
  g: (x: Float64Array, y: number) => number,
): { mean: number; se: number } {
  const { X, y } = target.sample(n, new Rng(seed));
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < n; i++) {
    const v = g(X.data.subarray(i * target.d, (i + 1) * target.d), y[i]);
    s += v;
    s2 += v * v;
  }
  const mean = s / n;
  return { mean, se: Math.sqrt((s2 / n - mean * mean) / n) };
}

describe('closed-form population quantities', () => {
  it('squared loss E[(Σ a_i σ(w_i·x) − y)²] matches Monte Carlo (1e6 samples) within 4 standard errors', () => {
    const d = 6;
    const target = new MultiIndexTarget({ d, P: 2, link: { 2: 1, 4: 1 }, noiseStd: 0.3, seed: 4 });
    const act = HermiteSeries.of({ 1: 0.3, 2: 1, 4: 0.7 });
    const rng = new Rng(21);
    for (let trial = 0; trial < 2; trial++) {
      const m = 3;
      const W = new Matrix(m, d, rng.normalArray(m * d));
      normalizeRows(W.data, m, d);
      const a = rng.normalArray(m);
      const closed = populationSquaredLoss(a, W, target, act);
      const mc = monteCarlo(target, 1_000_000, 100 + trial, (x, y) => {
        let f = 0;
        for (let i = 0; i < m; i++) {
          let z = 0;
          for (let j = 0; j < d; j++) z += W.data[i * d + j] * x[j];
          f += a[i] * act.value(z);
        }
        return (f - y) ** 2;
      });
      expect(Math.abs(mc.mean - closed)).toBeLessThan(4 * mc.se);
    }
  });

  it('correlation ψ(w) = E[y σ(w·x)] matches Monte Carlo and equals Σ_k Σ_j φ̂_j² (w·v_k)^j for σ = φ', () => {
    const d = 5;
    const target = new MultiIndexTarget({ d, P: 2, seed: 8 });
    const w = new Rng(3).normalArray(d);
    // tilt w towards v_1 so that the higher-order terms matter
    for (let j = 0; j < d; j++) w[j] += 2 * target.directions.get(j, 0);
    normalizeRows(w, 1, d);
    const psi = populationCorrelation(w, target);
    let expected = 0;
    for (let k = 0; k < 2; k++) {
      let rho = 0;
      for (let j = 0; j < d; j++) rho += w[j] * target.directions.get(j, k);
      expected += rho ** 2 + rho ** 4;
    }
    expect(psi).toBeCloseTo(expected, 12);
    const mc = monteCarlo(target, 400_000, 5, (x, y) => {
      let z = 0;
      for (let j = 0; j < d; j++) z += w[j] * x[j];
      return y * target.link.value(z);
    });
    expect(Math.abs(mc.mean - psi)).toBeLessThan(4 * mc.se);
  });

  it('the loss vanishes at the teacher (a = 1, W = V*ᵀ, σ = φ) and equals Var(y) at a = 0', () => {
    const target = new MultiIndexTarget({ d: 7, P: 3, seed: 1 });
    const W = target.directions.transpose();
    expect(Math.abs(populationSquaredLoss([1, 1, 1], W, target))).toBeLessThan(1e-12);
    expect(populationSquaredLoss([0, 0, 0], W, target)).toBeCloseTo(target.variance(), 12);
  });

  it('rejects non-unit neurons (the closed forms hold on the sphere)', () => {
    const target = new MultiIndexTarget({ d: 3, P: 1 });
    expect(() => populationCorrelation([1, 1, 0], target)).toThrow(ValueError);
    expect(() => populationSquaredLoss([1], Matrix.from([[2, 0, 0]]), target)).toThrow(/unit/);
  });
});
