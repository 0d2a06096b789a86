import { Matrix, Rng, ShapeError, ValueError } from '@descent/tensor';
import { hermite } from './hermite';
import { MultiIndexTarget } from './multiIndexTarget';

describe('MultiIndexTarget', () => {
  it('has orthonormal directions VᵀV = I to 1e-12', () => {
    const t = new MultiIndexTarget({ d: 20, P: 6, seed: 3 });
    const V = t.directions;
    for (let a = 0; a < 6; a++) {
      for (let b = 0; b < 6; b++) {
        let s = 0;
        for (let i = 0; i < 20; i++) s += V.get(i, a) * V.get(i, b);
        expect(Math.abs(s - (a === b ? 1 : 0))).toBeLessThan(1e-12);
      }
    }
  });

  it('evaluates Σ_k φ(v_k·x) with the link of its Hermite coefficients', () => {
    const t = new MultiIndexTarget({ d: 5, P: 2, link: { 2: 1, 4: 0.5 }, seed: 1 });
    const x = [0.3, -1.2, 0.7, 2.0, -0.1];
    let expected = 0;
    for (let k = 0; k < 2; k++) {
      let z = 0;
      for (let j = 0; j < 5; j++) z += t.directions.get(j, k) * x[j];
      expected += hermite(2, z) + 0.5 * hermite(4, z);
    }
    expect(t.evaluate(x)).toBeCloseTo(expected, 12);
  });

  it('samples have E[y] ≈ 0 and Var(y) ≈ P Σ φ̂_j² (h₂ + h₄, P = 4: variance 8), within 4 standard errors', () => {
    const t = new MultiIndexTarget({ d: 16, P: 4, seed: 2 });
    expect(t.variance()).toBe(8);
    expect(t.mean()).toBe(0);
    const n = 200000;
    const { y } = t.sample(n, new Rng(11));
    let s = 0;
    let s2 = 0;
    let s4 = 0;
    for (let i = 0; i < n; i++) {
      s += y[i];
      s2 += y[i] * y[i];
      s4 += y[i] ** 4;
    }
    const mean = s / n;
    const m2 = s2 / n;
    expect(Math.abs(mean)).toBeLessThan(4 * Math.sqrt(m2 / n));
    const seVar = Math.sqrt((s4 / n - m2 * m2) / n);
    expect(Math.abs(m2 - mean * mean - 8)).toBeLessThan(4 * seVar);
  });

  it('inputs are standard Gaussian: mean ≈ 0 and covariance ≈ I per coordinate', () => {
    const t = new MultiIndexTarget({ d: 4, P: 1, seed: 0 });
    const n = 50000;
    const { X } = t.sample(n, new Rng(5));
    for (let j = 0; j < 4; j++) {
      let s = 0;
      let s2 = 0;
      for (let i = 0; i < n; i++) {
        s += X.get(i, j);
        s2 += X.get(i, j) ** 2;
      }
      expect(Math.abs(s / n)).toBeLessThan(4 / Math.sqrt(n));
      expect(Math.abs(s2 / n - 1)).toBeLessThan(4 * Math.sqrt(2 / n));
    }
  });

  it('label noise adds noiseStd² to the variance', () => {
    const t = new MultiIndexTarget({ d: 8, P: 2, link: { 2: 1 }, noiseStd: 0.5, seed: 0 });
    expect(t.variance()).toBeCloseTo(2.25, 14);
    const n = 100000;
    const { y } = t.sample(n, new Rng(1));
    let s2 = 0;
    for (let i = 0; i < n; i++) s2 += y[i] * y[i];
    expect(Math.abs(s2 / n - 2.25)).toBeLessThan(0.06);
  });

  it('is reproducible bit for bit with a seed', () => {
    const a = new MultiIndexTarget({ d: 10, P: 3, seed: 9 });
    const b = new MultiIndexTarget({ d: 10, P: 3, seed: 9 });
    expect(Array.from(a.directions.data)).toEqual(Array.from(b.directions.data));
    const sa = a.sample(7, new Rng(4));
    const sb = b.sample(7, new Rng(4));
    expect(Array.from(sa.y)).toEqual(Array.from(sb.y));
    expect(Array.from(sa.X.data)).toEqual(Array.from(sb.X.data));
    const c = new MultiIndexTarget({ d: 10, P: 3, seed: 10 });
    expect(Array.from(c.directions.data)).not.toEqual(Array.from(a.directions.data));
  });

  it('accepts a function link and uses its Hermite series for the closed forms', () => {
    const t = new MultiIndexTarget({
      d: 6,
      P: 2,
      link: (z) => z * z - 1 + (z ** 4 - 6 * z * z + 3) / Math.sqrt(24),
      seed: 0,
    });
    expect(t.link.coeff(2)).toBeCloseTo(Math.SQRT2, 10);
    expect(t.link.coeff(4)).toBeCloseTo(1, 10);
    expect(t.variance()).toBeCloseTo(2 * 3, 10);
  });

  it('accepts explicit directions and checks them', () => {
    const V = Matrix.from([
      [1, 0],
      [0, 1],
      [0, 0],
    ]);
    const t = new MultiIndexTarget({ d: 3, P: 2, directions: V, link: { 2: 1 } });
    expect(t.evaluate([1, 2, 3])).toBeCloseTo(hermite(2, 1) + hermite(2, 2), 14);
    expect(
      () =>
        new MultiIndexTarget({
          d: 3,
          P: 2,
          directions: Matrix.from([
            [1, 1],
            [0, 1],
            [0, 0],
          ]),
        }),
    ).toThrow(/orthonormal/);
    expect(() => new MultiIndexTarget({ d: 4, P: 2, directions: V })).toThrow(ShapeError);
  });

  it('rejects bad input with typed errors naming the argument', () => {
    expect(() => new MultiIndexTarget({ d: 3, P: 4 })).toThrow(ValueError);
    expect(() => new MultiIndexTarget({ d: 3, P: 4 })).toThrow(/P must be <= d = 3.*got 4/);
    expect(() => new MultiIndexTarget({ d: 0, P: 1 })).toThrow(/d must be an integer/);
    expect(() => new MultiIndexTarget({ d: 3, P: 1, link: { 2: Number.NaN } })).toThrow(/link.*NaN/);
    expect(() => new MultiIndexTarget({ d: 3, P: 1, noiseStd: -1 })).toThrow(/noiseStd must be >= 0/);
    const t = new MultiIndexTarget({ d: 3, P: 1 });
    expect(() => t.evaluate([1, 2])).toThrow(ShapeError);
    expect(() => t.sample(-1, new Rng(0))).toThrow(/n must be an integer/);
  });
});
