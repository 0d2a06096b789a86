/**
 * Blocked Golub–Kahan bidiagonalisation (bidiagonalize.ts, LAPACK dgebrd/dlabrd) against the
 * unblocked reduction, on arena-resident arrays (wasm kernels) and on plain arrays (JavaScript),
 * and `svd` with the blocked reduction forced on small matrices with panels of 1, 2, 3 and the
 * default 32 (in `svd` it starts at min(m, n) = SVD_BLOCKING.bidiagFrom): the properties of the
 * unblocked path.
 */
import fc from 'fast-check';
import { KernelArena } from '../blas/arena';
import { Matrix } from '../matrix';
import {
  type BidiagonalArrays,
  bidiagonalizeBlocked,
  bidiagonalizeUnblocked,
  bidiagonalScratchSize,
} from './bidiagonalize';
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
function blocked<T>(panel: number, f: () => T, tail = 0): T {
  Object.assign(SVD_BLOCKING, { bidiagFrom: 1, bidiagPanel: panel, bidiagTail: tail });
  try {
    return f();
  } finally {
    Object.assign(SVD_BLOCKING, saved);
  }
}

/** Runs the reduction of Aᵀ (`at`, n×m, m ≥ n) with panels of nb (0: unblocked), in an arena or not. */
function reduce(at: Float64Array, m: number, n: number, nb: number, minCols: number, resident: boolean) {
  const arena = new KernelArena(
    (3 * n * m + n * n + 4 * (m + n) + bidiagonalScratchSize(m, n, Math.max(nb, 1)) + 64) * 8,
  );
  const alloc = (len: number) => (resident ? arena.f64(len) : new Float64Array(len));
  const a = alloc(n * m);
  a.set(at);
  const arr: BidiagonalArrays = {
    a,
    m,
    n,
    s: new Float64Array(n),
    e: alloc(n),
    ut: alloc(n * m),
    vt: alloc(n * n),
    work: alloc(m),
    tv: alloc(Math.max(m, n)),
  };
  let k0 = 0;
  if (nb > 0) k0 = bidiagonalizeBlocked(arr, nb, minCols, alloc(bidiagonalScratchSize(m, n, nb)));
  bidiagonalizeUnblocked(arr, k0);
  return { s: arr.s.slice(), e: arr.e.slice(), ut: arr.ut!.slice(), vt: arr.vt!.slice(), k0 };
}

function maxDiff(x: Float64Array, y: Float64Array): number {
  let d = 0;
  for (let i = 0; i < x.length; i++) d = Math.max(d, Math.abs(x[i] - y[i]));
  return d;
}

/** ‖A − Q B Pᵀ‖_max for Aᵀ = `at` (n×m) and a reduction's bidiagonal and reflectors. */
function backwardError(at: Float64Array, m: number, n: number, r: ReturnType<typeof reduce>): number {
  const M = new Float64Array(m * n); // row-major m×n: B, then H_0 ⋯ H_p B G_q ⋯ G_0
  for (let k = 0; k < n; k++) {
    M[k * n + k] = r.s[k];
    if (k + 1 < n) M[k * n + k + 1] = r.e[k];
  }
  const nct = Math.min(m - 1, n);
  const nrt = Math.max(0, Math.min(n - 2, m));
  for (let k = nrt - 1; k >= 0; k--) {
    const v = r.vt.subarray(k * n, k * n + n); // entries k+1..n−1, v[k+1] = v₀
    if (r.e[k] === 0) continue;
    for (let i = 0; i < m; i++) {
      let d = 0;
      for (let j = k + 1; j < n; j++) d += M[i * n + j] * v[j];
      d /= v[k + 1];
      for (let j = k + 1; j < n; j++) M[i * n + j] -= d * v[j];
    }
  }
  for (let k = nct - 1; k >= 0; k--) {
    const u = r.ut.subarray(k * m, k * m + m); // entries k..m−1, u[k] = u₀
    if (r.s[k] === 0) continue;
    for (let j = 0; j < n; j++) {
      let d = 0;
      for (let i = k; i < m; i++) d += u[i] * M[i * n + j];
      d /= u[k];
      for (let i = k; i < m; i++) M[i * n + j] -= d * u[i];
    }
  }
  let err = 0;
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) err = Math.max(err, Math.abs(M[i * n + j] - at[j * m + i]));
  return err;
}

function frobenius(x: Float64Array): number {
  let f = 0;
  for (const v of x) f += v * v;
  return Math.sqrt(f);
}

const EPS = 2 ** -52;

describe('blocked bidiagonalisation (dgebrd / dlabrd) against the unblocked reduction', () => {
  it('A = Q B Pᵀ to a few n·ε·‖A‖_F, and B has the unblocked singular values (panels 1, 2, 3, 32 and others; wasm and JavaScript)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 3, max: 70 }),
        fc.integer({ min: 0, max: 40 }),
        fc.constantFrom(1, 2, 3, 32, 5, 7, 12),
        fc.integer({ min: 0, max: 9 }),
        fc.boolean(),
        fc.nat(),
        (n, extra, nb, minCols, resident, seed) => {
          const m = n + extra;
          const at = gaussian(n, m, seed).data;
          const ref = reduce(at, m, n, 0, 0, true);
          const got = reduce(at, m, n, nb, minCols, resident);
          // the blocked path ran whenever a panel fits
          if (nb + Math.max(minCols, 2) <= n && nb + 2 <= m) expect(got.k0).toBeGreaterThan(0);
          const fro = frobenius(at);
          expect(backwardError(at, m, n, got)).toBeLessThan(4 * n * EPS * fro);
          expect(backwardError(at, m, n, ref)).toBeLessThan(4 * n * EPS * fro);
          // the bidiagonals' singular values (svd of B as a dense n×n matrix)
          const B = (r: typeof got) => {
            const b = new Matrix(n, n);
            for (let k = 0; k < n; k++) {
              b.data[k * n + k] = r.s[k];
              if (k + 1 < n) b.data[k * n + k + 1] = r.e[k];
            }
            return svd(b, { vectors: false }).S;
          };
          const sRef = B(ref);
          expect(maxDiff(B(got), sRef)).toBeLessThan(4 * n * EPS * fro);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('the same B and reflectors entry by entry where the reduction is well conditioned (dominant diagonal), as close as the unblocked reduction on its wasm and JavaScript kernels', () => {
    // On general matrices the bidiagonal itself is sensitive (a reflector of a short vector with
    // cancellation): the unblocked reduction's wasm and JavaScript kernels (another summation
    // order) differ by up to ~360 n·ε·‖A‖_F on Gaussian matrices, the blocked one by ~2000.
    // With a dominant diagonal every reflected vector is usually long: both spreads are then
    // ≤ ~40 n·ε·‖A‖_F. Not always: in 2 of 400 calibration cases (e.g. n = 70, m = 71) a late
    // diagonal entry cancels and the unblocked reduction's own two kernels differ by ~200× that;
    // the blocked one then stayed within 2.3× of that spread. Hence the bound: 100 n·ε·‖A‖_F, or
    // 4× the unblocked reduction's wasm-vs-JavaScript spread on the same matrix when that is larger.
    fc.assert(
      fc.property(
        fc.integer({ min: 3, max: 70 }),
        fc.integer({ min: 0, max: 40 }),
        fc.constantFrom(1, 2, 3, 32, 5),
        fc.boolean(),
        fc.nat(),
        (n, extra, nb, resident, seed) => {
          const m = n + extra;
          const at = gaussian(n, m, seed).data;
          for (let j = 0; j < n; j++) at[j * m + j] += 3 * Math.sqrt(m);
          const ref = reduce(at, m, n, 0, 0, true);
          const refJs = reduce(at, m, n, 0, 0, false); // the unblocked reduction, other summation order
          const got = reduce(at, m, n, nb, 0, resident);
          const spread = Math.max(maxDiff(refJs.s, ref.s), maxDiff(refJs.e, ref.e));
          const tol = Math.max(100 * n * EPS * frobenius(at), 4 * spread);
          expect(maxDiff(got.s, ref.s)).toBeLessThan(tol);
          expect(maxDiff(got.e, ref.e)).toBeLessThan(tol);
          // reflector entries are O(1) (v₀ ∈ [1, 2])
          const vTol = Math.max(1e-10, 4 * Math.max(maxDiff(refJs.ut, ref.ut), maxDiff(refJs.vt, ref.vt)));
          expect(maxDiff(got.ut, ref.ut)).toBeLessThan(vTol);
          expect(maxDiff(got.vt, ref.vt)).toBeLessThan(vTol);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('stops where fewer than minCols columns (or 2) would remain, and leaves the rest to the unblocked steps', () => {
    const at = gaussian(10, 12, 1).data;
    expect(reduce(at, 12, 10, 3, 0, true).k0).toBe(6); // 3 + 3 ≤ 10 − 2 < 9
    expect(reduce(at, 12, 10, 3, 4, true).k0).toBe(6);
    expect(reduce(at, 12, 10, 3, 5, true).k0).toBe(3);
    expect(reduce(at, 12, 10, 8, 0, true).k0).toBe(8);
    expect(reduce(at, 12, 10, 9, 0, true).k0).toBe(0);
  });
});

describe('svd with the blocked bidiagonalisation', () => {
  it('A = U Σ Vᵀ with orthonormal U, V and the unblocked S (tall, square, wide, odd sizes; panels 1, 2, 3, 32)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 90 }),
        fc.integer({ min: 2, max: 90 }),
        fc.constantFrom(1, 2, 3, 32),
        fc.integer({ min: 0, max: 5 }),
        fc.nat(),
        (m, n, panel, tail, seed) => {
          const a = gaussian(m, n, seed);
          const ref = svd(a).S;
          const { U, S, V } = blocked(panel, () => svd(a), tail);
          expect(relErr(S, ref)).toBeLessThan(1e-13);
          expect(
            relErr(
              blocked(panel, () => svd(a, { vectors: false }).S, tail),
              ref,
            ),
          ).toBeLessThan(1e-13);
          expect(relErr(reconstruct(U, S, V), a)).toBeLessThan(1e-13);
          expect(orthoErr(U)).toBeLessThan(1e-13);
          expect(orthoErr(V)).toBeLessThan(1e-13);
        },
      ),
      { numRuns: 30 },
    );
  });

  it('recovers prescribed singular values (κ = 1e12, rank-deficient) to 1e-10 relative, with U and V blocked too', () => {
    for (const panel of [1, 2, 3, 32]) {
      for (const [m, n, s] of [
        [80, 50, logspace(0, -12, 50)],
        [50, 80, logspace(0, -12, 50)],
        [60, 60, Float64Array.from({ length: 60 }, (_, i) => (i < 40 ? 1 + i : 0))],
        [75, 41, Float64Array.from({ length: 41 }, (_, i) => (i % 3 === 0 ? 0 : 2 ** -i))],
      ] as const) {
        const a = withSingularValues(m, n, s, 17);
        const { U, S, V } = blocked(panel, () => {
          Object.assign(SVD_BLOCKING, { from: 1, panel: 8 });
          return svd(a);
        });
        const expected = Float64Array.from(s).sort().reverse();
        for (let i = 0; i < S.length; i++)
          expect(Math.abs(S[i] - expected[i])).toBeLessThan(1e-10 * expected[0]);
        expect(relErr(reconstruct(U, S, V), a)).toBeLessThan(1e-13);
        expect(orthoErr(U)).toBeLessThan(1e-13);
        expect(orthoErr(V)).toBeLessThan(1e-13);
      }
    }
  });

  it('svd(f·A) = f·svd(A) for f from 1e-300 to 1e300, with zero columns and rows (nothing to annihilate)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 50 }),
        fc.integer({ min: 2, max: 50 }),
        fc.constantFrom(1, 2, 3, 32),
        fc.nat(),
        fc.integer({ min: -300, max: 300 }),
        (m, n, panel, seed, e) => {
          const f = 10 ** e;
          const a = gaussian(m, n, seed);
          for (let i = 0; i < m; i++) a.data[i * n + (seed % n)] = 0; // one zero column
          a.data.fill(0, (seed % m) * n, (seed % m) * n + n); // one zero row
          const ref = svd(a).S;
          const err = scaledSvdErrors(a, f, ref, (x) => blocked(panel, () => svd(x)));
          expect(err.values).toBeLessThan(1e-13);
          expect(err.reconstruction).toBeLessThan(1e-13);
          expect(err.orthoU).toBeLessThan(1e-13);
          expect(err.orthoV).toBeLessThan(1e-13);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('the default blocking (panels of 32 from min(m, n) = SVD_BLOCKING.bidiagFrom) on square, tall and wide matrices', () => {
    const k = SVD_BLOCKING.bidiagFrom;
    for (const [m, n] of [
      [k, k],
      [k + 37, k + 3],
      [k + 1, 3 * k],
    ]) {
      const a = gaussian(m, n, m + n);
      const { U, S, V } = svd(a);
      expect(relErr(reconstruct(U, S, V), a)).toBeLessThan(1e-13);
      expect(orthoErr(U)).toBeLessThan(1e-13);
      expect(orthoErr(V)).toBeLessThan(1e-13);
      const unblocked = (() => {
        Object.assign(SVD_BLOCKING, { bidiagFrom: Infinity });
        try {
          return svd(a, { vectors: false }).S;
        } finally {
          Object.assign(SVD_BLOCKING, saved);
        }
      })();
      expect(relErr(S, unblocked)).toBeLessThan(1e-13);
    }
  });
});
