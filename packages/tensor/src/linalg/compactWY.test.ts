/**
 * Compact WY blocks of Householder reflectors (compactWY.ts) against the reflectors applied one
 * at a time, and `svd` with U and V generated blockwise (forced on small matrices with small
 * panels; in `svd` it starts at min(m, n) = 384): the properties of the unblocked path.
 */
import fc from 'fast-check';
import { Rng } from '../rng';
import { applyBlockToRows, blockT } from './compactWY';
import { SVD_BLOCKING, svd } from './svd';
import {
  gaussian,
  logspace,
  orthoErr,
  reconstruct,
  relErr,
  scaledSvdErrors,
  withSingularValues,
} from './testUtils';

const saved = { ...SVD_BLOCKING };
function blocked<T>(panel: number, f: () => T): T {
  Object.assign(SVD_BLOCKING, { from: 1, panel });
  try {
    return f();
  } finally {
    Object.assign(SVD_BLOCKING, saved);
  }
}

describe('compact WY blocks (dlarft / dlarfb)', () => {
  it('R − ((R Yᵀ) op(T)) Y equals the reflectors applied one by one (from the right, and to columns)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 12 }),
        fc.nat(),
        (b, len, rows, seed) => {
          const rng = new Rng(seed);
          const Y = rng.normalArray(b * len);
          const tau = Float64Array.from({ length: b }, (_, j) => {
            let q = 0;
            for (let c = 0; c < len; c++) q += Y[j * len + c] ** 2;
            return j === 1 ? 0 : 2 / q; // one reflector skipped (τ = 0)
          });
          const T = new Float64Array(b * b);
          blockT(b, len, Y, len, tau, T, b, new Float64Array(b));
          for (const transT of [false, true]) {
            const R = rng.normalArray(rows * len);
            const ref = R.slice();
            // from the right: R H_0 H_1 ⋯; to columns (rows of R): H_0 H_1 ⋯ C, i.e. H_{b−1} first
            const order = transT
              ? Array.from({ length: b }, (_, j) => b - 1 - j)
              : Array.from({ length: b }, (_, j) => j);
            for (const j of order)
              for (let r = 0; r < rows; r++) {
                let dot = 0;
                for (let c = 0; c < len; c++) dot += ref[r * len + c] * Y[j * len + c];
                for (let c = 0; c < len; c++) ref[r * len + c] -= tau[j] * dot * Y[j * len + c];
              }
            applyBlockToRows(
              rows,
              len,
              b,
              R,
              len,
              Y,
              len,
              T,
              b,
              transT,
              new Float64Array(rows * b),
              new Float64Array(rows * b),
            );
            let err = 0;
            let scale = 0;
            for (let i = 0; i < R.length; i++) {
              err = Math.max(err, Math.abs(R[i] - ref[i]));
              scale = Math.max(scale, Math.abs(ref[i]));
            }
            expect(err).toBeLessThan(1e-12 * Math.max(scale, 1));
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('svd with U and V generated in compact WY blocks', () => {
  it('A = U Σ Vᵀ with orthonormal U, V (tall, square, wide; panels 1–40) and the unblocked S', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 90 }),
        fc.integer({ min: 2, max: 90 }),
        fc.integer({ min: 1, max: 40 }),
        fc.nat(),
        (m, n, panel, seed) => {
          const a = gaussian(m, n, seed);
          const ref = svd(a).S;
          const { U, S, V } = blocked(panel, () => svd(a));
          expect(relErr(S, ref)).toBeLessThan(1e-13);
          expect(relErr(reconstruct(U, S, V), a)).toBeLessThan(1e-13);
          expect(orthoErr(U)).toBeLessThan(1e-13);
          expect(orthoErr(V)).toBeLessThan(1e-13);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('fits its scratch in the arena when m ≠ n (regression: M1/M2 are max(m, n)×nb; fast-check found 22×86, panel 40)', () => {
    for (const [m, n, panel] of [
      [22, 86, 40],
      [86, 22, 40],
      [30, 200, 8],
    ] as const) {
      const a = gaussian(m, n, 3);
      const { U, S, V } = blocked(panel, () => svd(a));
      expect(relErr(reconstruct(U, S, V), a)).toBeLessThan(1e-13);
      expect(orthoErr(U)).toBeLessThan(1e-13);
      expect(orthoErr(V)).toBeLessThan(1e-13);
    }
    // the default blocking (from min(m, n) = 384, panels of 32) on a non-square matrix
    const a = gaussian(400, 384, 5);
    const { U, S, V } = svd(a);
    expect(relErr(reconstruct(U, S, V), a)).toBeLessThan(1e-13);
  });

  it('recovers prescribed singular values (κ = 1e12, rank-deficient) to 1e-10 relative', () => {
    for (const [m, n, s] of [
      [80, 50, logspace(0, -12, 50)],
      [50, 80, logspace(0, -12, 50)],
      [60, 60, Float64Array.from({ length: 60 }, (_, i) => (i < 40 ? 1 + i : 0))],
    ] as const) {
      const a = withSingularValues(m, n, s, 17);
      const { U, S, V } = blocked(8, () => svd(a));
      const expected = Float64Array.from(s).sort().reverse();
      for (let i = 0; i < S.length; i++)
        expect(Math.abs(S[i] - expected[i])).toBeLessThan(1e-10 * expected[0]);
      expect(relErr(reconstruct(U, S, V), a)).toBeLessThan(1e-13);
      expect(orthoErr(U)).toBeLessThan(1e-13);
      expect(orthoErr(V)).toBeLessThan(1e-13);
    }
  });

  it('svd(f·A) = f·svd(A) for f from 1e-300 to 1e300, and zero columns (no reflection)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 50 }),
        fc.integer({ min: 2, max: 50 }),
        fc.nat(),
        fc.integer({ min: -300, max: 300 }),
        (m, n, seed, e) => {
          const f = 10 ** e;
          const a = gaussian(m, n, seed);
          for (let i = 0; i < m; i++) a.data[i * n + (seed % n)] = 0; // one zero column
          const ref = blocked(5, () => svd(a).S);
          const err = scaledSvdErrors(a, f, ref, (x) => blocked(5, () => svd(x)));
          expect(err.values).toBeLessThan(1e-13);
          expect(err.reconstruction).toBeLessThan(1e-13);
          expect(err.orthoU).toBeLessThan(1e-13);
          expect(err.orthoV).toBeLessThan(1e-13);
        },
      ),
      { numRuns: 20 },
    );
  });
});
