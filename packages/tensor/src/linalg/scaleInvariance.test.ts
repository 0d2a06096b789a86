/**
 * Scale invariance of the decompositions (issue 16, "shared linear algebra"): for any
 * representable scale f from 1e-300 to 1e300, the decomposition of f·A is f times (or √f times,
 * or 1/f times) that of A, to rounding. Checked against the unscaled problem, so the tests never
 * form sums of squares of tiny or huge numbers themselves.
 */
import fc from 'fast-check';
import { Matrix } from '../matrix';
import { cholesky } from './cholesky';
import { eigh } from './eigh';
import { topEigs, topSingular } from './lanczos';
import { lstsq } from './lstsq';
import { det, lu, solve } from './lu';
import { matmul, matTvec, matvec } from './products';
import { qr } from './qr';
import { randomizedSvd } from './randomized';
import { pinv, svd } from './svd';
import { gaussian, orthoErr, relErr, scaleCols, scaled } from './testUtils';

function symmetric(n: number, seed: number): Matrix {
  const g = gaussian(n, n, seed);
  const a = new Matrix(n, n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a.data[i * n + j] = g.get(i, j) + g.get(j, i);
  return a;
}

function spd(n: number, seed: number): Matrix {
  const g = gaussian(n, n, seed);
  const s = matmul(g, g.transpose());
  for (let i = 0; i < n; i++) s.data[i * n + i] += n;
  return s;
}

/** max_i |x_i − y_i| / max_i |y_i| */
function relMax(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let d = 0;
  let m = 0;
  for (let i = 0; i < y.length; i++) {
    d = Math.max(d, Math.abs(x[i] - y[i]));
    m = Math.max(m, Math.abs(y[i]));
  }
  return m > 0 ? d / m : d;
}

const exponent = fc.integer({ min: -300, max: 300 });
const size = fc.integer({ min: 1, max: 12 });
const runs = { numRuns: 60 };

describe('scale invariance from 1e-300 to 1e300', () => {
  it('eigh(f·A): eigenvalues f·λ(A), the same eigenvectors (A V = V Λ on the unscaled A)', () => {
    fc.assert(
      fc.property(size, fc.nat(), exponent, (n, seed, e) => {
        const f = 10 ** e;
        const a = symmetric(n, seed);
        const ref = eigh(a).values;
        const { values, vectors } = eigh(scaled(a, f));
        const back = values.map((v) => v / f);
        expect(relMax(back, ref)).toBeLessThan(1e-13);
        expect(relErr(matmul(a, vectors), scaleCols(vectors, back))).toBeLessThan(1e-13);
        expect(orthoErr(vectors)).toBeLessThan(1e-13);
        expect(
          relMax(
            eigh(scaled(a, f), { vectors: false }).values.map((v) => v / f),
            ref,
          ),
        ).toBeLessThan(1e-13);
      }),
      runs,
    );
  });

  it('svd(f·A): singular values f·σ(A), A = U diag(σ) Vᵀ on the unscaled A (tall and wide)', () => {
    fc.assert(
      fc.property(size, size, fc.nat(), exponent, (m, n, seed, e) => {
        const f = 10 ** e;
        const a = gaussian(m, n, seed);
        const ref = svd(a).S;
        const { U, S, V } = svd(scaled(a, f));
        const back = S.map((v) => v / f);
        expect(relMax(back, ref)).toBeLessThan(1e-13);
        expect(relErr(matmul(scaleCols(U, back), V.transpose()), a)).toBeLessThan(1e-13);
        expect(orthoErr(U)).toBeLessThan(1e-13);
        expect(orthoErr(V)).toBeLessThan(1e-13);
        expect(
          relMax(
            svd(scaled(a, f), { vectors: false }).S.map((v) => v / f),
            ref,
          ),
        ).toBeLessThan(1e-13);
      }),
      runs,
    );
  });

  it('cholesky(f·A) = √f·L(A); solve, lu, qr, det sign, pinv and lstsq scale as they should', () => {
    fc.assert(
      fc.property(size, fc.nat(), exponent, (n, seed, e) => {
        const f = 10 ** e;
        const s = spd(n, seed);
        const L = cholesky(s);
        expect(
          relErr(
            cholesky(scaled(s, f)).data.map((v) => v / Math.sqrt(f)),
            L.data,
          ),
        ).toBeLessThan(1e-13);
        const a = gaussian(n, n, seed + 1);
        const b = gaussian(n, 1, seed + 2).data;
        const x = solve(a, b);
        // f·A y = b  ⇒  y = x / f
        expect(
          relErr(
            solve(scaled(a, f), b).map((v) => v * f),
            x,
          ),
        ).toBeLessThan(1e-10);
        expect(lu(scaled(a, f)).singular).toBe(false);
        expect(Math.sign(det(scaled(a, 10 ** Math.max(-20, Math.min(20, e)))))).toBe(Math.sign(det(a)));
        const { Q, R } = qr(scaled(a, f));
        expect(relErr(matmul(Q, scaled(R, 1 / f)), a)).toBeLessThan(1e-13);
        expect(orthoErr(Q)).toBeLessThan(1e-13);
        const tall = gaussian(n + 3, n, seed + 3);
        const P = pinv(tall);
        expect(relErr(scaled(pinv(scaled(tall, f)), f), P)).toBeLessThan(1e-12);
        const rhs = gaussian(n + 3, 1, seed + 4).data;
        const ls = lstsq(tall, rhs);
        const lsScaled = lstsq(scaled(tall, f), rhs);
        expect(lsScaled.rank).toBe(ls.rank);
        expect(
          relErr(
            lsScaled.x.map((v) => v * f),
            ls.x,
          ),
        ).toBeLessThan(1e-12);
      }),
      runs,
    );
  });

  it('regressions: tiny tridiagonal-heavy matrices, 1e300 entries, 1e-300 singular values', () => {
    // products of two off-diagonals of 1e-160 underflowed in the QL step
    const n = 6;
    const t = new Matrix(n, n);
    for (let i = 0; i < n; i++) {
      t.set(i, i, (i + 1) * 1e-160);
      if (i + 1 < n) {
        t.set(i, i + 1, 0.7e-160);
        t.set(i + 1, i, 0.7e-160);
      }
    }
    const ref = eigh(scaled(t, 1e160)).values;
    expect(
      relMax(
        eigh(t).values.map((v) => v * 1e160),
        ref,
      ),
    ).toBeLessThan(1e-14);
    // a representable matrix at 1e300 (eigh used to refuse it)
    for (const f of [1e-300, 1e-160, 1e160, 1e300]) {
      const a = symmetric(60, 8);
      const ref = eigh(a).values;
      const dc = eigh(scaled(a, f), { method: 'divide-and-conquer' });
      expect(
        relMax(
          dc.values.map((v) => v / f),
          ref,
        ),
      ).toBeLessThan(1e-13);
      expect(orthoErr(dc.vectors)).toBeLessThan(1e-13);
    }
    const big = scaled(symmetric(5, 9), 1e300);
    expect(eigh(big).values.every(Number.isFinite)).toBe(true);
    // svd at 1e-300 (an absolute threshold declared everything negligible)
    const a = gaussian(7, 4, 5);
    expect(
      relMax(
        svd(scaled(a, 1e-300)).S.map((v) => v * 1e300),
        svd(a).S,
      ),
    ).toBeLessThan(1e-13);
  });
});

describe('matrix-free methods at extreme scales', () => {
  it('topEigs, topSingular and randomizedSvd of f·A are f times those of A', () => {
    for (const e of [-300, -160, 0, 160, 300]) {
      const f = 10 ** e;
      const a = symmetric(30, 4);
      const as = scaled(a, f);
      const ref = topEigs((x) => matvec(a, x), 30, 3).values;
      const got = topEigs((x) => matvec(as, x), 30, 3).values;
      expect(
        relMax(
          got.map((v) => v / f),
          ref,
        ),
      ).toBeLessThan(1e-9);
      const g = gaussian(20, 12, 6);
      const gs = scaled(g, f);
      const refS = topSingular(
        (x) => matvec(g, x),
        (y) => matTvec(g, y),
        20,
        12,
        2,
      ).S;
      const gotS = topSingular(
        (x) => matvec(gs, x),
        (y) => matTvec(gs, y),
        20,
        12,
        2,
      ).S;
      expect(
        relMax(
          gotS.map((v) => v / f),
          refS,
        ),
      ).toBeLessThan(1e-9);
      const rs = randomizedSvd(gs, 3).S;
      expect(
        relMax(
          rs.map((v) => v / f),
          randomizedSvd(g, 3).S,
        ),
      ).toBeLessThan(1e-12);
    }
  });
});
