import fc from 'fast-check';
import { ShapeError, ValueError } from '../errors';
import { Matrix } from '../matrix';
import { cholesky, choleskySolve, logDetSpd } from './cholesky';
import { det, inv, lu, luSolve, slogdet, solve } from './lu';
import { gram, matmul, matvec } from './products';
import { gaussian, logspace, naiveMatmul, relErr, withEigenvalues, withSingularValues } from './testUtils';
import { triangularSolve } from './triangularSolve';

/** A well-conditioned square matrix: Gaussian/√n + 3 I (singular values in about [1, 5]). */
function wellConditioned(n: number, seed: number): Matrix {
  const a = gaussian(n, n, seed);
  for (let i = 0; i < n * n; i++) a.data[i] /= Math.sqrt(n);
  for (let i = 0; i < n; i++) a.data[i * n + i] += 3;
  return a;
}

/** SPD: GᵀG/n + I. */
function spd(n: number, seed: number): Matrix {
  const g = gram(gaussian(n + 3, n, seed));
  for (let i = 0; i < n * n; i++) g.data[i] /= n;
  for (let i = 0; i < n; i++) g.data[i * n + i] += 1;
  return g;
}

const sizes = fc.integer({ min: 1, max: 60 });

describe('triangularSolve', () => {
  it('solves all four variants (lower/upper × transpose) for vector and matrix right-hand sides', () => {
    fc.assert(
      fc.property(
        sizes,
        fc.integer({ min: 1, max: 4 }),
        fc.nat(),
        fc.boolean(),
        fc.boolean(),
        fc.boolean(),
        (n, p, seed, lower, transpose, unitDiagonal) => {
          const t = wellConditioned(n, seed);
          for (let i = 0; i < n; i++)
            for (let j = 0; j < n; j++) if (lower ? j > i : j < i) t.data[i * n + j] = 0;
          const tEff = t.clone();
          if (unitDiagonal) for (let i = 0; i < n; i++) tEff.data[i * n + i] = 1;
          const op = transpose ? tEff.transpose() : tEff;
          const xTrue = gaussian(n, p, seed + 1);
          const b = naiveMatmul(op, xTrue);
          const x = triangularSolve(t, b, { lower, transpose, unitDiagonal });
          expect(relErr(x, xTrue)).toBeLessThan(1e-10);
          const xv = triangularSolve(t, b.col(0), { lower, transpose, unitDiagonal });
          expect(relErr(xv, xTrue.col(0))).toBeLessThan(1e-10);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('throws ValueError on a zero diagonal and ShapeError on a wrong right-hand side', () => {
    expect(() =>
      triangularSolve(
        [
          [1, 0],
          [1, 0],
        ],
        [1, 1],
      ),
    ).toThrow(ValueError);
    expect(() =>
      triangularSolve(
        [
          [1, 0],
          [1, 0],
        ],
        [1, 1],
      ),
    ).toThrow('T must be non-singular, got a zero on the diagonal at index 1');
    expect(() => triangularSolve(Matrix.identity(5), new Float64Array(4))).toThrow(
      'b must have length 5, got 4',
    );
    expect(() => triangularSolve(Matrix.identity(5), new Matrix(4, 2))).toThrow('b must have 5 rows, got 4');
    expect(() => triangularSolve(new Matrix(2, 3), [1, 2])).toThrow(ShapeError);
  });
});

describe('cholesky', () => {
  it('L is lower triangular with a positive diagonal and L Lᵀ = A', () => {
    fc.assert(
      fc.property(sizes, fc.nat(), (n, seed) => {
        const a = spd(n, seed);
        const L = cholesky(a);
        let minDiag = Number.POSITIVE_INFINITY;
        let maxUpper = 0;
        for (let i = 0; i < n; i++) {
          minDiag = Math.min(minDiag, L.get(i, i));
          for (let j = i + 1; j < n; j++) maxUpper = Math.max(maxUpper, Math.abs(L.get(i, j)));
        }
        expect(minDiag).toBeGreaterThan(0);
        expect(maxUpper).toBe(0);
        expect(relErr(matmul(L, L.transpose()), a)).toBeLessThan(1e-14);
      }),
      { numRuns: 40 },
    );
  });

  it('choleskySolve has a tiny residual and matches solve; logDetSpd matches slogdet', () => {
    fc.assert(
      fc.property(sizes, fc.nat(), (n, seed) => {
        const a = spd(n, seed);
        const b = gaussian(n, 1, seed + 3).data;
        const L = cholesky(a);
        const x = choleskySolve(L, b);
        expect(relErr(matvec(a, x), b)).toBeLessThan(1e-12);
        expect(relErr(x, solve(a, b))).toBeLessThan(1e-10);
        const X = choleskySolve(L, Matrix.identity(n));
        expect(relErr(matmul(a, X), Matrix.identity(n))).toBeLessThan(1e-12);
        const { sign, logAbsDet } = slogdet(a);
        expect(sign).toBe(1);
        expect(Math.abs(logDetSpd(a) - logAbsDet)).toBeLessThan(1e-10 * Math.max(1, Math.abs(logAbsDet)));
      }),
      { numRuns: 30 },
    );
  });

  it('blocked path (n ≥ 64, panels of 32, wasm gemm): L Lᵀ = A, lower triangular, κ = 1e12, failing pivot named', () => {
    for (const [n, seed] of [
      [64, 1],
      [97, 2],
      [130, 3],
      [201, 4],
    ]) {
      const a = spd(n, seed);
      const L = cholesky(a);
      for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) expect(L.get(i, j)).toBe(0);
      expect(relErr(matmul(L, L.transpose()), a)).toBeLessThan(1e-14);
    }
    const ill = withEigenvalues(logspace(0, -12, 150), 12);
    expect(relErr(matmul(cholesky(ill), cholesky(ill).transpose()), ill)).toBeLessThan(1e-14);
    // indefinite beyond the first panel: the pivot at index 100 is the first to fail
    const d = Float64Array.from({ length: 130 }, (_, i) => (i === 100 ? -1 : 1 + i));
    expect(() => cholesky(Matrix.diag(d))).toThrow(/pivot -1.000e\+0 ≤ 0 at index 100/);
  });

  it('is backward stable on an ill-conditioned SPD matrix (κ = 1e12)', () => {
    const a = withEigenvalues(logspace(0, -12, 40), 11);
    const L = cholesky(a);
    expect(relErr(matmul(L, L.transpose()), a)).toBeLessThan(1e-14);
  });

  it('throws ValueError naming A when A is not SPD or not symmetric', () => {
    expect(() =>
      cholesky([
        [1, 2],
        [2, 1],
      ]),
    ).toThrow(ValueError);
    expect(() =>
      cholesky([
        [1, 2],
        [2, 1],
      ]),
    ).toThrow(/A must be symmetric positive definite, got pivot .* at index 1/);
    expect(() =>
      cholesky([
        [1, 0.5],
        [0, 1],
      ]),
    ).toThrow(/A must be symmetric/);
    expect(() => cholesky([[0]])).toThrow(ValueError);
    expect(() => cholesky([[Number.NaN]])).toThrow(ValueError);
    expect(() => cholesky(new Matrix(2, 3))).toThrow(ShapeError);
    expect(() => choleskySolve(Matrix.identity(3), [1, 2])).toThrow('b must have length 3, got 2');
  });
});

describe('lu / solve / inv / det', () => {
  it('P A = L U with |L| ≤ 1 (partial pivoting)', () => {
    fc.assert(
      fc.property(sizes, fc.nat(), (n, seed) => {
        const a = gaussian(n, n, seed);
        const d = lu(a);
        const L = d.L();
        const pa = new Matrix(n, n);
        for (let i = 0; i < n; i++) pa.row(i).set(a.row(d.perm[i]));
        expect(relErr(matmul(L, d.U()), pa)).toBeLessThan(1e-13);
        expect(Math.max(...L.data.map(Math.abs))).toBeLessThanOrEqual(1);
      }),
      { numRuns: 40 },
    );
  });

  it('blocked path (n ≥ 64, panels of 32, wasm gemm): P A = L U, |L| ≤ 1; a rank-deficient matrix is singular (or has a negligible determinant)', () => {
    for (const [n, seed] of [
      [64, 5],
      [97, 6],
      [161, 7],
    ]) {
      const a = gaussian(n, n, seed);
      const d = lu(a);
      const L = d.L();
      const pa = new Matrix(n, n);
      for (let i = 0; i < n; i++) pa.row(i).set(a.row(d.perm[i]));
      expect(relErr(matmul(L, d.U()), pa)).toBeLessThan(1e-13);
      expect(Math.max(...L.data.map(Math.abs))).toBeLessThanOrEqual(1);
      expect(d.singular).toBe(false);
    }
    // rank-deficient beyond the first panel: column 90 is a copy of column 10
    const s = gaussian(120, 120, 8);
    for (let i = 0; i < 120; i++) s.set(i, 90, s.get(i, 10));
    expect(lu(s).singular || Math.abs(det(s)) < 1e-6 * Math.abs(det(gaussian(120, 120, 8)))).toBe(true);
  });

  it('solve: well-conditioned forward error ≤ 1e-10 for vector and matrix right-hand sides', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 200 }),
        fc.integer({ min: 1, max: 3 }),
        fc.nat(),
        (n, p, seed) => {
          const a = wellConditioned(n, seed);
          const xTrue = gaussian(n, p, seed + 1);
          const b = matmul(a, xTrue);
          expect(relErr(solve(a, b), xTrue)).toBeLessThan(1e-10);
          expect(relErr(solve(a, b.col(0)), xTrue.col(0))).toBeLessThan(1e-10);
          expect(relErr(luSolve(lu(a), b), xTrue)).toBeLessThan(1e-10);
        },
      ),
      { numRuns: 15 },
    );
  });

  it('solve is backward stable on ill-conditioned systems (κ = 1e12): small residual', () => {
    for (const seed of [1, 2, 3]) {
      const n = 50;
      const a = withSingularValues(n, n, logspace(0, -12, n), seed);
      const b = gaussian(n, 1, seed + 9).data;
      const x = solve(a, b);
      const r = matvec(a, x);
      // ‖Ax − b‖ ≤ c·ε·‖A‖‖x‖ (‖A‖₂ = 1 here)
      let rn = 0;
      let xn = 0;
      for (let i = 0; i < n; i++) {
        rn += (r[i] - b[i]) ** 2;
        xn += x[i] ** 2;
      }
      expect(Math.sqrt(rn) / Math.sqrt(xn)).toBeLessThan(1e-13);
    }
  });

  it('inv(A)·A = I and det agrees with closed forms', () => {
    const a = wellConditioned(30, 4);
    expect(relErr(matmul(inv(a), a), Matrix.identity(30))).toBeLessThan(1e-12);
    expect(
      det([
        [1, 2],
        [3, 4],
      ]),
    ).toBeCloseTo(-2, 14);
    expect(det(Matrix.diag([2, 3, 4]))).toBe(24);
    expect(
      det([
        [0, 1],
        [1, 0],
      ]),
    ).toBe(-1);
    expect(
      det([
        [1, 2],
        [2, 4],
      ]),
    ).toBe(0);
    expect(
      slogdet([
        [1, 2],
        [2, 4],
      ]),
    ).toEqual({ sign: 0, logAbsDet: Number.NEGATIVE_INFINITY });
    // det(AB) = det(A) det(B)
    const b = wellConditioned(30, 5);
    expect(det(matmul(a, b)) / (det(a) * det(b))).toBeCloseTo(1, 10);
  });

  it('throws typed errors: singular, wrong shapes, non-finite', () => {
    expect(() =>
      solve(
        [
          [1, 2],
          [2, 4],
        ],
        [1, 1],
      ),
    ).toThrow(ValueError);
    expect(() =>
      solve(
        [
          [1, 2],
          [2, 4],
        ],
        [1, 1],
      ),
    ).toThrow(/A must be non-singular/);
    expect(() =>
      inv([
        [0, 0],
        [0, 0],
      ]),
    ).toThrow(ValueError);
    expect(() => solve(Matrix.identity(5), [1, 2, 3, 4])).toThrow('b must have length 5, got 4');
    expect(() => solve(new Matrix(3, 2), [1, 2, 3])).toThrow('A must be square, got 3×2');
    expect(() => solve(Matrix.identity(2), [1, Number.NaN])).toThrow(ValueError);
    expect(() =>
      solve(
        [
          [1, Number.POSITIVE_INFINITY],
          [0, 1],
        ],
        [1, 1],
      ),
    ).toThrow(ValueError);
  });
});
