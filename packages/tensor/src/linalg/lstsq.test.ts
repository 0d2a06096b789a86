import fc from 'fast-check';
import { ShapeError, ValueError } from '../errors';
import { Matrix } from '../matrix';
import { lstsq } from './lstsq';
import { matmul, matTvec, matvec } from './products';
import { pinv } from './svd';
import { gaussian, relErr, withSingularValues } from './testUtils';

describe('lstsq (minimum-norm least squares via the SVD)', () => {
  it('over-determined full-rank: the residual is orthogonal to range(A) (normal equations)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 5, max: 60 }),
        fc.integer({ min: 1, max: 5 }),
        fc.nat(),
        (n, extra, seed) => {
          const m = n + extra;
          const a = gaussian(m, n, seed);
          const b = gaussian(m, 1, seed + 1).data;
          const { x, rank, residualNorm } = lstsq(a, b);
          expect(rank).toBe(n);
          const r = matvec(a, x).map((v, i) => v - b[i]);
          const g = matTvec(a, r); // Aᵀ(Ax − b) = 0
          expect(Math.max(...g.map(Math.abs))).toBeLessThan(1e-10 * Math.sqrt(m));
          expect(Math.abs(residualNorm[0] - Math.hypot(...r))).toBeLessThan(1e-10);
        },
      ),
      { numRuns: 20 },
    );
  });

  it('consistent systems are solved exactly; under-determined ones get the minimum-norm solution (= pinv b)', () => {
    const a = gaussian(8, 20, 3); // wide
    const xTrue = gaussian(20, 1, 4).data;
    const b = matvec(a, xTrue);
    const { x, residualNorm } = lstsq(a, b);
    expect(residualNorm[0]).toBeLessThan(1e-12);
    expect(relErr(x, matvec(pinv(a), b))).toBeLessThan(1e-12);
    // x is in the row space of A, so its norm is not above that of any other solution
    expect(Math.hypot(...x)).toBeLessThanOrEqual(Math.hypot(...xTrue));
  });

  it('rank-deficient: reports the rank and matches pinv(A) B for a matrix right-hand side', () => {
    const a = withSingularValues(30, 12, [4, 2, 1], 5);
    const B = gaussian(30, 3, 6);
    const { x, rank } = lstsq(a, B);
    expect(rank).toBe(3);
    expect(x).toBeInstanceOf(Matrix);
    expect(relErr(x, matmul(pinv(a), B))).toBeLessThan(1e-10);
  });

  it('throws typed errors on shape mismatch, bad rcond and non-finite input', () => {
    expect(() => lstsq(new Matrix(3, 2), [1, 2])).toThrow(ShapeError);
    expect(() => lstsq(new Matrix(3, 2), [1, 2])).toThrow('b must have length 3, got 2');
    expect(() => lstsq(Matrix.identity(2), [1, 2], -1)).toThrow(ValueError);
    expect(() => lstsq(Matrix.identity(2), [1, Number.NaN])).toThrow(ValueError);
  });
});
