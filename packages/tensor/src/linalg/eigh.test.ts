import fc from 'fast-check';
import { ConvergenceError, ShapeError, ValueError } from '../errors';
import { Matrix } from '../matrix';
import { eigh } from './eigh';
import { gram, matmul } from './products';
import { fro, gaussian, logspace, orthoErr, scaleCols, withEigenvalues } from './testUtils';

function symmetric(n: number, seed: number): Matrix {
  const g = gaussian(n, n, seed);
  const a = new Matrix(n, n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a.data[i * n + j] = g.get(i, j) + g.get(j, i);
  return a;
}

/** ‖A V − V Λ‖_F / ‖A‖_F */
function eigResidual(a: Matrix, values: Float64Array, vectors: Matrix): number {
  const r = matmul(a, vectors);
  const vl = scaleCols(vectors, values);
  let s = 0;
  for (let i = 0; i < r.data.length; i++) s += (r.data[i] - vl.data[i]) ** 2;
  return Math.sqrt(s) / Math.max(fro(a), Number.MIN_VALUE);
}

describe('eigh (tridiagonalisation + implicit QL)', () => {
  it('A V = V Λ, VᵀV = I, values ascending, for random symmetric matrices', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 120 }), fc.nat(), (n, seed) => {
        const a = symmetric(n, seed);
        const { values, vectors } = eigh(a);
        expect(eigResidual(a, values, vectors)).toBeLessThan(1e-13);
        expect(orthoErr(vectors)).toBeLessThan(1e-13);
        expect(values.every((v, i) => i === 0 || v >= values[i - 1])).toBe(true);
      }),
      { numRuns: 25 },
    );
  });

  it('recovers a prescribed spectrum (incl. κ = 1e12, repeated and zero eigenvalues) to 1e-10 relative', () => {
    const spectra = [
      logspace(0, -12, 50),
      Float64Array.from([-3, -3, -3, 0, 0, 1, 1, 1, 1, 5]),
      Float64Array.from({ length: 40 }, (_, i) => i - 20),
    ];
    for (const [idx, spectrum] of spectra.entries()) {
      const a = withEigenvalues(spectrum, 100 + idx);
      const { values, vectors } = eigh(a);
      const expected = Float64Array.from(spectrum).sort();
      const scale = Math.max(...expected.map(Math.abs));
      for (let i = 0; i < expected.length; i++)
        expect(Math.abs(values[i] - expected[i]) / scale).toBeLessThan(1e-12);
      expect(eigResidual(a, values, vectors)).toBeLessThan(1e-13);
      expect(orthoErr(vectors)).toBeLessThan(1e-13);
    }
  });

  it('handles diagonal, zero, 1×1 and Gram (PSD, rank-deficient) matrices', () => {
    expect(Array.from(eigh(Matrix.diag([3, 1, 2])).values)).toEqual([1, 2, 3]);
    const z = eigh(new Matrix(4, 4));
    expect(Array.from(z.values)).toEqual([0, 0, 0, 0]);
    expect(orthoErr(z.vectors)).toBe(0);
    expect(eigh([[7]]).values[0]).toBe(7);
    const g = gram(gaussian(3, 20, 1)); // rank 3
    const { values, vectors } = eigh(g);
    for (let i = 0; i < 17; i++) expect(Math.abs(values[i])).toBeLessThan(1e-12 * values[19]);
    expect(eigResidual(g, values, vectors)).toBeLessThan(1e-13);
  });

  it('vectors: false returns the same eigenvalues', () => {
    const a = symmetric(60, 3);
    const full = eigh(a).values;
    const only = eigh(a, { vectors: false }).values;
    for (let i = 0; i < 60; i++) expect(Math.abs(full[i] - only[i])).toBeLessThan(1e-12 * Math.abs(full[59]));
  });

  it('throws typed errors: not square, not symmetric, non-finite, budget exhausted', () => {
    expect(() => eigh(new Matrix(2, 3))).toThrow(ShapeError);
    expect(() =>
      eigh([
        [1, 2],
        [0, 1],
      ]),
    ).toThrow(ValueError);
    expect(() =>
      eigh([
        [1, 2],
        [0, 1],
      ]),
    ).toThrow(/A must be symmetric/);
    expect(() =>
      eigh([
        [Number.NaN, 0],
        [0, 1],
      ]),
    ).toThrow(ValueError);
    expect(() => eigh(symmetric(30, 1), { maxIter: 0 })).toThrow(ConvergenceError);
  });
});
