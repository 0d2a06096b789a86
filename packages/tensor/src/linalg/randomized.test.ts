import fc from 'fast-check';
import { ShapeError, ValueError } from '../errors';
import { Matrix } from '../matrix';
import { Rng } from '../rng';
import { matmul, matTvec, matvec } from './products';
import { randomizedSvd, randomOrthonormal } from './randomized';
import { svd } from './svd';
import { gaussian, orthoErr, relErr, scaleCols, withSingularValues } from './testUtils';

describe('randomizedSvd (Halko–Martinsson–Tropp)', () => {
  it('is exact (to rounding) on a matrix of rank ≤ k', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 20, max: 80 }),
        fc.integer({ min: 20, max: 80 }),
        fc.integer({ min: 1, max: 6 }),
        fc.nat(),
        (m, n, k, seed) => {
          const s = Float64Array.from({ length: k }, (_, i) => 2 ** -i);
          const a = withSingularValues(m, n, s, seed);
          const { U, S, V } = randomizedSvd(a, k, { rng: new Rng(seed) });
          expect(relErr(matmul(scaleCols(U, S), V.transpose()), a)).toBeLessThan(1e-10);
          for (let i = 0; i < k; i++) expect(Math.abs(S[i] - s[i])).toBeLessThan(1e-10);
          expect(orthoErr(U)).toBeLessThan(1e-12);
          expect(orthoErr(V)).toBeLessThan(1e-12);
        },
      ),
      { numRuns: 15 },
    );
  });

  it('with power iterations matches the leading singular values of svd on a decaying spectrum', () => {
    const s = Float64Array.from({ length: 60 }, (_, i) => 0.8 ** i);
    const a = withSingularValues(100, 60, s, 3);
    const ref = svd(a).S;
    const { S } = randomizedSvd(a, 5, { rng: new Rng(1), powerIters: 3 });
    for (let i = 0; i < 5; i++) expect(Math.abs(S[i] - ref[i]) / ref[i]).toBeLessThan(1e-8);
    // Halko et al. (10.9): the error of a rank-k approximation is close to σ_{k+1}
    const { U, S: S2, V } = randomizedSvd(a, 5, { rng: new Rng(2) });
    const approx = matmul(scaleCols(U, S2), V.transpose());
    const err = svd(
      new Matrix(
        100,
        60,
        a.data.map((v, i) => v - approx.data[i]),
      ),
    ).S[0];
    expect(err).toBeLessThan(1.01 * ref[5]);
  });

  it('accepts a matrix-free operator and agrees with the dense path', () => {
    const a = gaussian(50, 30, 4);
    const op = {
      rows: 50,
      cols: 30,
      matvec: (x: Float64Array) => matvec(a, x),
      rmatvec: (y: Float64Array) => matTvec(a, y),
    };
    const dense = randomizedSvd(a, 3, { rng: new Rng(5) });
    const free = randomizedSvd(op, 3, { rng: new Rng(5) });
    for (let i = 0; i < 3; i++) expect(Math.abs(dense.S[i] - free.S[i])).toBeLessThan(1e-10 * dense.S[0]);
    const bad = { ...op, matvec: () => new Float64Array(3) };
    expect(() => randomizedSvd(bad, 3)).toThrow(ShapeError);
    expect(() => randomizedSvd(a, 31)).toThrow('k must be an integer in [1, 30], got 31');
    expect(() => randomizedSvd(a, 2, { oversample: -1 })).toThrow(ValueError);
  });
});

describe('randomOrthonormal', () => {
  it('has orthonormal columns and is reproducible from the rng', () => {
    const q = randomOrthonormal(40, 7, new Rng(3));
    expect([q.rows, q.cols]).toEqual([40, 7]);
    expect(orthoErr(q)).toBeLessThan(1e-14);
    expect(randomOrthonormal(40, 7, new Rng(3)).data).toEqual(q.data);
  });

  it('is Haar: Q₀₀ has mean 0 and E[Q₀₀²] = 1/n (the sign fix matters)', () => {
    const rng = new Rng(11);
    const n = 4;
    const draws = 3000;
    let mean = 0;
    let sq = 0;
    for (let t = 0; t < draws; t++) {
      const q = randomOrthonormal(n, 2, rng.fold('draw', t));
      mean += q.data[0];
      sq += q.data[0] ** 2;
    }
    mean /= draws;
    sq /= draws;
    // sd of Q₀₀ is 1/2, so the mean's sd is 0.009; E[Q₀₀²] = 1/4 with sd ≈ 0.004
    expect(Math.abs(mean)).toBeLessThan(0.04);
    expect(Math.abs(sq - 1 / n)).toBeLessThan(0.02);
  });

  it('validates its arguments', () => {
    expect(() => randomOrthonormal(3, 4, new Rng(0))).toThrow(ValueError);
    expect(() => randomOrthonormal(3, 2, {} as Rng)).toThrow('rng must be an Rng');
  });
});
