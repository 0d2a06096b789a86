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
    expect(() => eigh(symmetric(60, 1), { maxIter: 0, method: 'divide-and-conquer' })).toThrow(
      ConvergenceError,
    );
    expect(() => eigh(symmetric(3, 1), { method: 'jacobi' as 'ql' })).toThrow(/method must be/);
  });
});

describe("eigh: divide-and-conquer eigenvectors (method: 'divide-and-conquer')", () => {
  const dc = { method: 'divide-and-conquer' } as const;
  it('clusters, repeated and zero eigenvalues, the identity, diagonal and graded matrices', () => {
    const spectra = [
      Float64Array.from({ length: 160 }, (_, i) => Math.floor(i / 40)), // four eigenvalues, multiplicity 40
      Float64Array.from({ length: 120 }, (_, i) => (i % 2 ? 1 + 1e-14 * i : 1)), // a tight cluster
      Float64Array.from({ length: 100 }, (_, i) => (i < 50 ? 0 : i)), // half zero
      logspace(0, -15, 130), // graded down to 1e-15
      Float64Array.from({ length: 77 }, (_, i) => (i - 38) ** 3), // odd size, wide range
    ];
    for (const [idx, spectrum] of spectra.entries()) {
      const a = withEigenvalues(spectrum, 200 + idx);
      const { values, vectors } = eigh(a, dc);
      const expected = Float64Array.from(spectrum).sort();
      const scale = Math.max(...expected.map(Math.abs));
      for (let i = 0; i < expected.length; i++)
        expect(Math.abs(values[i] - expected[i]) / scale).toBeLessThan(1e-12);
      expect(eigResidual(a, values, vectors)).toBeLessThan(1e-13);
      expect(orthoErr(vectors)).toBeLessThan(1e-13);
    }
    for (const a of [
      Matrix.identity(90),
      Matrix.diag(Float64Array.from({ length: 70 }, (_, i) => (i * 37) % 11)),
    ]) {
      const { values, vectors } = eigh(a, dc);
      expect(eigResidual(a, values, vectors)).toBeLessThan(1e-14);
      expect(orthoErr(vectors)).toBeLessThan(1e-14);
    }
  });

  it('glued Wilkinson matrices and tridiagonals with tiny couplings (hard cases for deflation)', () => {
    const n = 105;
    const w = new Matrix(n, n);
    for (let b = 0; b < 5; b++) {
      for (let i = 0; i < 21; i++) {
        const g = b * 21 + i;
        w.set(g, g, Math.abs(10 - i));
        if (i < 20) {
          w.set(g, g + 1, 1);
          w.set(g + 1, g, 1);
        }
      }
      if (b < 4) {
        w.set(b * 21 + 20, b * 21 + 21, 1e-8);
        w.set(b * 21 + 21, b * 21 + 20, 1e-8);
      }
    }
    const { values, vectors } = eigh(w, dc);
    const ql = eigh(w, { method: 'ql' });
    for (let i = 0; i < n; i++) expect(Math.abs(values[i] - ql.values[i])).toBeLessThan(1e-13 * 10);
    expect(eigResidual(w, values, vectors)).toBeLessThan(1e-13);
    expect(orthoErr(vectors)).toBeLessThan(1e-13);
  });

  it('matches the QL eigenvalues on random symmetric matrices (incl. sizes at the leaf size 24)', () => {
    for (const n of [24, 25, 48, 49, 64, 99, 150]) {
      const a = symmetric(n, n);
      const { values, vectors } = eigh(a, dc);
      expect(eigResidual(a, values, vectors)).toBeLessThan(1e-13);
      expect(orthoErr(vectors)).toBeLessThan(1e-13);
      const only = eigh(a, { method: 'ql' }).values;
      for (let i = 0; i < n; i++)
        expect(Math.abs(values[i] - only[i])).toBeLessThan(1e-12 * Math.abs(only[n - 1]));
    }
  });
});
