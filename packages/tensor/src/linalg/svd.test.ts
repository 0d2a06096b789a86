import fc from 'fast-check';
import { ConvergenceError, ValueError } from '../errors';
import { Matrix } from '../matrix';
import { matmul } from './products';
import { cond, pinv, rank, svd } from './svd';
import { gaussian, logspace, orthoErr, reconstruct, relErr, withSingularValues } from './testUtils';

describe('svd (Golub–Kahan + implicit QR)', () => {
  it('A = U Σ Vᵀ with orthonormal U, V and S descending ≥ 0, for any m×n', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 70 }),
        fc.integer({ min: 1, max: 70 }),
        fc.nat(),
        (m, n, seed) => {
          const a = gaussian(m, n, seed);
          const { U, S, V } = svd(a);
          const r = Math.min(m, n);
          expect([U.rows, U.cols, S.length, V.rows, V.cols]).toEqual([m, r, r, n, r]);
          expect(relErr(reconstruct(U, S, V), a)).toBeLessThan(1e-13);
          expect(orthoErr(U)).toBeLessThan(1e-13);
          expect(orthoErr(V)).toBeLessThan(1e-13);
          for (let i = 0; i < r; i++) {
            expect(S[i]).toBeGreaterThanOrEqual(0);
            if (i > 0) expect(S[i]).toBeLessThanOrEqual(S[i - 1]);
          }
        },
      ),
      { numRuns: 30 },
    );
  });

  it('recovers prescribed singular values (κ = 1e12) to 1e-10 relative to S_max', () => {
    for (const [m, n] of [
      [80, 50],
      [50, 80],
      [60, 60],
    ]) {
      const r = Math.min(m, n);
      const s = logspace(0, -12, r);
      const a = withSingularValues(m, n, s, m + n);
      const { U, S, V } = svd(a);
      for (let i = 0; i < r; i++) expect(Math.abs(S[i] - s[i])).toBeLessThan(1e-10 * s[0]);
      expect(relErr(reconstruct(U, S, V), a)).toBeLessThan(1e-13);
      expect(orthoErr(U)).toBeLessThan(1e-13);
      expect(orthoErr(V)).toBeLessThan(1e-13);
    }
  });

  it('property: for any κ ≤ 1e12 and shape, S is recovered to 1e-10·S_max and the factors stay orthonormal', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 40 }),
        fc.integer({ min: 2, max: 40 }),
        fc.integer({ min: 0, max: 12 }),
        fc.nat(),
        (m, n, logKappa, seed) => {
          const r = Math.min(m, n);
          const s = logspace(0, -logKappa, r);
          const a = withSingularValues(m, n, s, seed);
          const { U, S, V } = svd(a);
          expect(Math.max(...S.map((v, i) => Math.abs(v - s[i])))).toBeLessThan(1e-10);
          expect(relErr(reconstruct(U, S, V), a)).toBeLessThan(1e-13);
          expect(orthoErr(U)).toBeLessThan(1e-13);
          expect(orthoErr(V)).toBeLessThan(1e-13);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('rank-deficient matrices: trailing singular values vanish, rank() counts the rest', () => {
    const a = withSingularValues(40, 25, [5, 4, 3, 2], 9);
    const { U, S, V } = svd(a);
    for (let i = 4; i < 25; i++) expect(S[i]).toBeLessThan(1e-13 * S[0]);
    expect(orthoErr(U)).toBeLessThan(1e-13);
    expect(orthoErr(V)).toBeLessThan(1e-13);
    expect(rank(a)).toBe(4);
    expect(rank(a.transpose())).toBe(4);
    expect(rank(new Matrix(3, 5))).toBe(0);
    expect(cond(new Matrix(3, 3))).toBe(Number.POSITIVE_INFINITY);
    expect(cond(Matrix.diag([4, 2, 0.5]))).toBeCloseTo(8, 12);
    const z = svd(new Matrix(4, 3));
    expect(Array.from(z.S)).toEqual([0, 0, 0]);
    expect(orthoErr(z.U)).toBeLessThan(1e-15);
  });

  it('pinv satisfies the four Moore–Penrose conditions (full-rank, rank-deficient, wide)', () => {
    const cases = [gaussian(20, 12, 1), gaussian(12, 20, 2), withSingularValues(30, 20, [3, 2, 1, 0.5], 3)];
    for (const a of cases) {
      const p = pinv(a);
      expect([p.rows, p.cols]).toEqual([a.cols, a.rows]);
      const ap = matmul(a, p);
      const pa = matmul(p, a);
      expect(relErr(matmul(ap, a), a)).toBeLessThan(1e-12); // A A⁺ A = A
      expect(relErr(matmul(pa, p), p)).toBeLessThan(1e-12); // A⁺ A A⁺ = A⁺
      expect(relErr(ap.transpose(), ap)).toBeLessThan(1e-12); // (A A⁺)ᵀ = A A⁺
      expect(relErr(pa.transpose(), pa)).toBeLessThan(1e-12); // (A⁺ A)ᵀ = A⁺ A
    }
    // closed form: pinv of a non-zero column vector is vᵀ/‖v‖²
    const v = Matrix.from([[3], [4]]);
    const p = pinv(v);
    expect(p.get(0, 0)).toBeCloseTo(3 / 25, 15);
    expect(p.get(0, 1)).toBeCloseTo(4 / 25, 15);
  });

  it('vectors: false returns the same singular values (tall and wide)', () => {
    for (const [m, n] of [
      [40, 25],
      [25, 40],
    ]) {
      const a = gaussian(m, n, m * n);
      const full = svd(a).S;
      const only = svd(a, { vectors: false });
      expect([only.U.cols, only.V.cols]).toEqual([0, 0]);
      expect(relErr(only.S, full)).toBeLessThan(1e-14);
    }
  });

  it('handles empty and 1×1 matrices', () => {
    expect(svd(new Matrix(0, 3)).S.length).toBe(0);
    const one = svd([[-2]]);
    expect(one.S[0]).toBe(2);
    expect(one.U.get(0, 0) * one.V.get(0, 0)).toBe(-1);
  });

  it('throws typed errors on non-finite input, a bad rcond and an exhausted budget', () => {
    expect(() => svd([[1, Number.POSITIVE_INFINITY]])).toThrow(ValueError);
    expect(() => pinv(Matrix.identity(2), -1)).toThrow(ValueError);
    expect(() => svd(gaussian(20, 20, 1), { maxIter: 0 })).toThrow(ConvergenceError);
  });
});
