import fc from 'fast-check';
import { ShapeError, ValueError } from '../errors';
import { Matrix } from '../matrix';
import { gram, matmul, matTvec, matvec } from './products';
import { gaussian, naiveMatmul, relErr } from './testUtils';

describe('matmul / matvec / matTvec / gram', () => {
  it('matmul agrees with the triple loop for any shapes (incl. odd and > block size)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 150 }),
        fc.integer({ min: 1, max: 40 }),
        fc.nat(),
        (m, k, n, seed) => {
          const a = gaussian(m, k, seed);
          const b = gaussian(k, n, seed + 1);
          expect(relErr(matmul(a, b), naiveMatmul(a, b))).toBeLessThan(1e-14);
        },
      ),
      { numRuns: 30 },
    );
  });

  it('matvec and matTvec are the products with a column (A x, Aᵀ y)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 1, max: 30 }),
        fc.nat(),
        (m, n, seed) => {
          const a = gaussian(m, n, seed);
          const x = gaussian(n, 1, seed + 1);
          const y = gaussian(m, 1, seed + 2);
          expect(relErr(matvec(a, x.data), naiveMatmul(a, x).data)).toBeLessThan(1e-14);
          expect(relErr(matTvec(a, y.data), naiveMatmul(a.transpose(), y).data)).toBeLessThan(1e-14);
        },
      ),
      { numRuns: 30 },
    );
  });

  it('gram(A) = AᵀA and is exactly symmetric', () => {
    const a = gaussian(23, 11, 5);
    const g = gram(a);
    expect(relErr(g, naiveMatmul(a.transpose(), a))).toBeLessThan(1e-14);
    for (let i = 0; i < 11; i++) for (let j = 0; j < 11; j++) expect(g.get(i, j)).toBe(g.get(j, i));
  });

  it('accepts nested arrays', () => {
    expect(matmul([[1, 2]], [[3], [4]]).data[0]).toBe(11);
    expect(
      Array.from(
        matvec(
          [
            [1, 2],
            [3, 4],
          ],
          [1, 1],
        ),
      ),
    ).toEqual([3, 7]);
  });

  it('throws typed errors naming the argument', () => {
    expect(() => matmul(new Matrix(2, 3), new Matrix(2, 3))).toThrow(ShapeError);
    expect(() => matmul(new Matrix(2, 3), new Matrix(2, 3))).toThrow(
      'B must have 3 rows (the columns of A), got 2',
    );
    expect(() => matvec(new Matrix(2, 3), [1, 2])).toThrow('x must have length 3, got 2');
    expect(() => matTvec(new Matrix(2, 3), [1, 2, 3])).toThrow('y must have length 2, got 3');
    expect(() => matvec([[1, Number.NaN]], [1, 2])).toThrow(ValueError);
    expect(() => matvec([[1, 2]], [1, Number.POSITIVE_INFINITY])).toThrow(ValueError);
  });
});
