/**
 * The 0×0 (and m×0 / 0×n) contract of the linalg layer: an empty matrix is a valid matrix, and
 * every decomposition returns the empty decomposition, as numpy/LAPACK do (det of a 0×0 matrix is
 * the empty product 1, its log-determinant 0, its rank 0). Only quantities that do not exist for an
 * empty matrix are typed errors (the condition number). Pinned here because the bad-input fuzz
 * suite lists these results as documented (tooling/fuzz/src/documented.ts).
 */
import { ShapeError } from '../errors';
import { cholesky, logDetSpd } from './cholesky';
import { eigh } from './eigh';
import { det, inv, lu, slogdet } from './lu';
import { gram } from './products';
import { qr } from './qr';
import { cond, pinv, rank, singularValues, svd } from './svd';

describe('0×0 matrices', () => {
  it('decompositions of a 0×0 matrix are empty', () => {
    expect(eigh([]).values.length).toBe(0);
    expect(svd([]).S.length).toBe(0);
    expect(singularValues([]).length).toBe(0);
    const { Q, R } = qr([]);
    expect([Q.rows, Q.cols, R.rows, R.cols]).toEqual([0, 0, 0, 0]);
    expect(cholesky([]).rows).toBe(0);
    expect(lu([]).lu.rows).toBe(0);
    expect(inv([]).rows).toBe(0);
    expect(pinv([]).rows).toBe(0);
    expect(gram([]).rows).toBe(0);
  });

  it('determinants are the empty product, the rank is 0', () => {
    expect(det([])).toBe(1);
    expect(slogdet([])).toEqual({ sign: 1, logAbsDet: 0 });
    expect(logDetSpd([])).toBe(0);
    expect(rank([])).toBe(0);
  });

  it('the condition number of an empty matrix does not exist: ShapeError naming A', () => {
    expect(() => cond([])).toThrow(ShapeError);
    expect(() => cond([])).toThrow(expect.objectContaining({ argument: 'A' }));
  });

  it('rank(A, tol) with tol above every singular value is 0 (a valid tolerance)', () => {
    expect(
      rank(
        [
          [1, 0],
          [0, 2],
        ],
        42,
      ),
    ).toBe(0);
    expect(
      rank(
        [
          [1, 0],
          [0, 2],
        ],
        1.5,
      ),
    ).toBe(1);
  });
});
