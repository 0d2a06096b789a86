import fc from 'fast-check';
import { ConvergenceError, ShapeError, ValueError } from '../errors';
import { Matrix } from '../matrix';
import { Rng } from '../rng';
import { eigh } from './eigh';
import { topEigs, topSingular } from './lanczos';
import { gram, matmul, matTvec, matvec } from './products';
import { svd } from './svd';
import { gaussian, orthoErr, scaleCols, withEigenvalues, withSingularValues } from './testUtils';

function residual(a: Matrix, values: Float64Array, vectors: Matrix): number {
  const r = matmul(a, vectors);
  const vl = scaleCols(vectors, values);
  let worst = 0;
  for (let i = 0; i < r.data.length; i++) worst = Math.max(worst, Math.abs(r.data[i] - vl.data[i]));
  return worst;
}

/** |⟨x_i, y_i⟩| = 1 for every column: equal up to sign. */
function columnsAlign(x: Matrix, y: Matrix, k: number): number {
  let worst = 0;
  for (let c = 0; c < k; c++) {
    let s = 0;
    for (let i = 0; i < x.rows; i++) s += x.get(i, c) * y.get(i, c);
    worst = Math.max(worst, Math.abs(1 - Math.abs(s)));
  }
  return worst;
}

describe('topEigs (Lanczos, full reorthogonalisation)', () => {
  it('matches eigh for the largest, smallest and largest-magnitude eigenpairs', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 30, max: 120 }),
        fc.integer({ min: 1, max: 6 }),
        fc.nat(),
        (n, k, seed) => {
          const g = gaussian(n, n, seed);
          const a = new Matrix(n, n);
          for (let i = 0; i < n; i++)
            for (let j = 0; j < n; j++) a.data[i * n + j] = g.get(i, j) + g.get(j, i);
          const ref = eigh(a).values; // ascending
          const mv = (x: Float64Array) => matvec(a, x);
          const scale = Math.max(Math.abs(ref[0]), Math.abs(ref[n - 1]));
          const big = topEigs(mv, n, k, { rng: new Rng(seed) });
          const small = topEigs(mv, n, k, { which: 'smallest', rng: new Rng(seed) });
          const mag = topEigs(mv, n, k, { which: 'magnitude', rng: new Rng(seed) });
          const byMag = Array.from(ref).sort((x, y) => Math.abs(y) - Math.abs(x));
          for (let i = 0; i < k; i++) {
            expect(Math.abs(big.values[i] - ref[n - 1 - i])).toBeLessThan(1e-9 * scale);
            expect(Math.abs(small.values[i] - ref[i])).toBeLessThan(1e-9 * scale);
            expect(Math.abs(Math.abs(mag.values[i]) - Math.abs(byMag[i]))).toBeLessThan(1e-9 * scale);
          }
          for (const r of [big, small, mag]) {
            expect(residual(a, r.values, r.vectors)).toBeLessThan(1e-8 * scale);
            expect(orthoErr(r.vectors)).toBeLessThan(1e-10);
          }
        },
      ),
      { numRuns: 5 },
    );
  });

  it('finds the range of a low-rank PSD matrix, the identity, and a repeated top eigenvalue (via restarts)', () => {
    const low = gram(gaussian(3, 200, 1)); // rank 3
    const ref = eigh(low).values;
    const r = topEigs((x) => matvec(low, x), 200, 3);
    for (let i = 0; i < 3; i++) expect(Math.abs(r.values[i] - ref[199 - i])).toBeLessThan(1e-9 * ref[199]);
    expect(r.iterations).toBeLessThan(20);
    const id = topEigs((x) => x.slice(), 50, 3);
    for (const v of id.values) expect(v).toBeCloseTo(1, 13);
    expect(orthoErr(id.vectors)).toBeLessThan(1e-12);
    // spectrum {5 (×3), 1 (×57)}: two distinct values, breakdown after two steps
    const spectrum = Float64Array.from({ length: 60 }, (_, i) => (i < 3 ? 5 : 1));
    const a = withEigenvalues(spectrum, 4);
    const rep = topEigs((x) => matvec(a, x), 60, 3);
    for (const v of rep.values) expect(v).toBeCloseTo(5, 10);
    expect(residual(a, rep.values, rep.vectors)).toBeLessThan(1e-9);
    expect(orthoErr(rep.vectors)).toBeLessThan(1e-10);
  });

  it('closed form: the path-graph Laplacian has eigenvalues 2 − 2cos(jπ/(n+1)), found matrix-free', () => {
    const n = 150;
    // (L x)_i = 2x_i − x_{i−1} − x_{i+1}: never formed as a matrix
    const laplacian = (x: Float64Array) =>
      x.map((v, i) => 2 * v - (i > 0 ? x[i - 1] : 0) - (i < n - 1 ? x[i + 1] : 0));
    const exact = (j: number) => 2 - 2 * Math.cos((j * Math.PI) / (n + 1));
    const low = topEigs(laplacian, n, 3, { which: 'smallest', maxIter: n });
    const high = topEigs(laplacian, n, 3, { maxIter: n });
    for (let i = 0; i < 3; i++) {
      expect(Math.abs(low.values[i] - exact(i + 1))).toBeLessThan(1e-10);
      expect(Math.abs(high.values[i] - exact(n - i))).toBeLessThan(1e-10);
    }
    // eigenvector j is sin(ijπ/(n+1)) up to normalisation and sign
    const v = low.vectors.col(0);
    const ref = Float64Array.from({ length: n }, (_, i) => Math.sin(((i + 1) * Math.PI) / (n + 1)));
    const nr = Math.hypot(...ref);
    const align = Math.abs(v.reduce((acc, x, i) => acc + (x * ref[i]) / nr, 0));
    expect(1 - align).toBeLessThan(1e-9);
  });

  it('is deterministic given the rng', () => {
    const a = withEigenvalues(
      Float64Array.from({ length: 80 }, (_, i) => i),
      2,
    );
    const f = (x: Float64Array) => matvec(a, x);
    const r1 = topEigs(f, 80, 3, { rng: new Rng(7) });
    const r2 = topEigs(f, 80, 3, { rng: new Rng(7) });
    expect(r1.vectors.data).toEqual(r2.vectors.data);
  });

  it('throws typed errors: budget exhausted, bad operator output, bad arguments', () => {
    // eigenvalues 1, 1 − 1e-6, ...: a tiny relative gap needs far more than 3 products
    const spectrum = Float64Array.from({ length: 200 }, (_, i) => 1 - i * 1e-6);
    const a = withEigenvalues(spectrum, 3);
    expect(() => topEigs((x) => matvec(a, x), 200, 1, { maxIter: 3, tol: 1e-14 })).toThrow(ConvergenceError);
    expect(() => topEigs(() => new Float64Array(4), 5, 1)).toThrow(ShapeError);
    expect(() => topEigs(() => new Float64Array(4), 5, 1)).toThrow(
      'matvec must return a vector of length 5, got length 4',
    );
    expect(() => topEigs((x) => x.map(() => Number.NaN), 5, 1)).toThrow(ValueError);
    expect(() => topEigs((x) => x, 5, 6)).toThrow('k must be an integer in [1, 5], got 6');
    expect(() => topEigs((x) => x, 5, 1, { which: 'biggest' as 'largest' })).toThrow(ValueError);
    expect(() => topEigs((x) => x, 5, 1, { tol: 0 })).toThrow(ValueError);
  });
});

describe('topSingular', () => {
  it('matches svd on tall and wide matrices (values, and vectors up to sign)', () => {
    for (const [m, n] of [
      [90, 40],
      [40, 90],
    ]) {
      const s = Float64Array.from({ length: 40 }, (_, i) => 10 / (1 + i));
      const a = withSingularValues(m, n, s, m);
      const ref = svd(a);
      const k = 4;
      const r = topSingular(
        (x) => matvec(a, x),
        (y) => matTvec(a, y),
        m,
        n,
        k,
      );
      for (let i = 0; i < k; i++) expect(Math.abs(r.S[i] - ref.S[i])).toBeLessThan(1e-9 * ref.S[0]);
      expect(columnsAlign(r.U, ref.U, k)).toBeLessThan(1e-9);
      expect(columnsAlign(r.V, ref.V, k)).toBeLessThan(1e-9);
      expect(orthoErr(r.U)).toBeLessThan(1e-10);
      expect(orthoErr(r.V)).toBeLessThan(1e-10);
    }
  });

  it('returns orthonormal singular vectors for zero singular values, and validates its arguments', () => {
    const a = withSingularValues(30, 20, [2, 1], 5); // rank 2
    const r = topSingular(
      (x) => matvec(a, x),
      (y) => matTvec(a, y),
      30,
      20,
      4,
    );
    expect(r.S[0]).toBeCloseTo(2, 10);
    expect(r.S[1]).toBeCloseTo(1, 10);
    expect(r.S[3]).toBeLessThan(1e-12);
    expect(orthoErr(r.U)).toBeLessThan(1e-10);
    expect(orthoErr(r.V)).toBeLessThan(1e-10);
    expect(() =>
      topSingular(
        (x) => x,
        (y) => y,
        3,
        3,
        4,
      ),
    ).toThrow(ValueError);
    expect(() =>
      topSingular(
        (x) => matvec(a, x),
        (y) => y,
        30,
        20,
        1,
      ),
    ).toThrow('rmatvec must return a vector of length 20, got length 30');
  });
});
