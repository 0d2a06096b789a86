import fc from 'fast-check';
import { ValueError } from '../errors';
import { Matrix } from '../matrix';
import { matmul } from './products';
import { qr } from './qr';
import { gaussian, logspace, orthoErr, relErr, withSingularValues } from './testUtils';

function maxBelowDiagonal(r: Matrix): number {
  let worst = 0;
  for (let i = 0; i < r.rows; i++)
    for (let j = 0; j < Math.min(i, r.cols); j++) worst = Math.max(worst, Math.abs(r.get(i, j)));
  return worst;
}

describe('qr (Householder)', () => {
  it('thin: A = QR, QᵀQ = I, R upper triangular, for tall, square and wide A', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 80 }),
        fc.integer({ min: 1, max: 80 }),
        fc.nat(),
        (m, n, seed) => {
          const a = gaussian(m, n, seed);
          const { Q, R } = qr(a);
          const r = Math.min(m, n);
          expect([Q.rows, Q.cols, R.rows, R.cols]).toEqual([m, r, r, n]);
          expect(relErr(matmul(Q, R), a)).toBeLessThan(1e-13);
          expect(orthoErr(Q)).toBeLessThan(1e-13);
          expect(maxBelowDiagonal(R)).toBe(0);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('full: Q is m×m orthogonal and R is m×n', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 1, max: 50 }),
        fc.nat(),
        (m, n, seed) => {
          const a = gaussian(m, n, seed);
          const { Q, R } = qr(a, { mode: 'full' });
          expect([Q.rows, Q.cols, R.rows, R.cols]).toEqual([m, m, m, n]);
          expect(relErr(matmul(Q, R), a)).toBeLessThan(1e-13);
          expect(orthoErr(Q)).toBeLessThan(1e-13);
          expect(maxBelowDiagonal(R)).toBe(0);
        },
      ),
      { numRuns: 30 },
    );
  });

  it('is backward stable on ill-conditioned (κ = 1e12) and rank-deficient matrices', () => {
    for (const seed of [1, 2]) {
      const ill = withSingularValues(60, 40, logspace(0, -12, 40), seed);
      const { Q, R } = qr(ill);
      expect(relErr(matmul(Q, R), ill)).toBeLessThan(1e-13);
      expect(orthoErr(Q)).toBeLessThan(1e-13);
      // rank 3 of 30 columns: |R_kk| collapses after the third
      const low = withSingularValues(50, 30, [3, 2, 1], seed);
      const f = qr(low);
      expect(relErr(matmul(f.Q, f.R), low)).toBeLessThan(1e-13);
      expect(orthoErr(f.Q)).toBeLessThan(1e-13);
    }
    // exactly zero and repeated columns
    const z = Matrix.from([
      [1, 1, 0],
      [2, 2, 0],
      [3, 3, 0],
    ]);
    const f = qr(z);
    expect(relErr(matmul(f.Q, f.R), z)).toBeLessThan(1e-15);
    expect(orthoErr(f.Q)).toBeLessThan(1e-15);
  });

  it('rejects a bad mode and non-finite input with a ValueError', () => {
    expect(() => qr(Matrix.identity(2), { mode: 'economic' as 'thin' })).toThrow(ValueError);
    expect(() => qr([[1, Number.NaN]])).toThrow(
      'A must contain only finite numbers, got NaN at row 0, column 1',
    );
  });
});
