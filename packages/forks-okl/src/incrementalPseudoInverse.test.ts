import { Matrix, Rng, pinv } from '@descent/tensor';
import { IncrementalPseudoInverse } from './incrementalPseudoInverse';
import { maxAbs, maxAbsDiff } from './testUtils';

/** A row-major m × n matrix of rank r (product of Gaussian factors). */
function lowRank(rng: Rng, m: number, n: number, r: number): Float64Array {
  const L = rng.normalArray(m * r);
  const R = rng.normalArray(r * n);
  const A = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let t = 0; t < r; t++) for (let j = 0; j < n; j++) A[i * n + j] += L[i * r + t] * R[t * n + j];
  return A;
}

describe('IncrementalPseudoInverse (Meyer row updates)', () => {
  it.each([
    ['tall, full column rank', 40, 12, 12],
    ['square, full rank', 15, 15, 15],
    ['tall, rank-deficient (rank grows with the updates)', 30, 12, 6],
  ])('%s: after 60 random row updates A⁺ equals a fresh pseudo-inverse of the updated A to 1e-9', (_name, m, n, r) => {
    const rng = new Rng(`pinv-${m}-${n}-${r}`);
    const A = lowRank(rng, m, n, r);
    // keep the square case well conditioned (cond ≈ 2), so that 1e-9 measures the update, not the conditioning
    if (m === n) for (let i = 0; i < n; i++) A[i * n + i] += 3 * Math.sqrt(n);
    const ip = new IncrementalPseudoInverse(A, m, n, 1e-8, 1000);
    for (let step = 0; step < 60; step++) {
      const j = rng.int(m);
      const d = rng.normalArray(n, 0, 0.3);
      if (!ip.rowUpdate(A, j, d)) {
        for (let i = 0; i < n; i++) A[j * n + i] += d[i];
        ip.recompute(A);
        continue;
      }
      for (let i = 0; i < n; i++) A[j * n + i] += d[i];
      const ref = pinv(new Matrix(m, n, A), 1e-12).data;
      expect(maxAbsDiff(ip.data, ref)).toBeLessThan(1e-9 * Math.max(1, maxAbs(ref)));
    }
    expect(ip.recomputations).toBeLessThan(10);
  });

  it('recomputes in full every refreshEvery updates (the amortised O(mn) refresh)', () => {
    const rng = new Rng(1);
    const A = rng.normalArray(20 * 5);
    const ip = new IncrementalPseudoInverse(A, 20, 5, 1e-8, 4);
    const results = Array.from({ length: 8 }, () => {
      const d = rng.normalArray(5);
      const r = ip.rowUpdate(A, rng.int(20), d);
      if (!r) ip.recompute(A);
      return r === undefined;
    });
    expect(results).toEqual([false, false, false, true, false, false, false, true]);
  });

  it('a row update that adds a direction below the cut-off is dropped, as a fresh truncated pseudo-inverse drops it', () => {
    const rng = new Rng(2);
    const m = 20;
    const n = 6;
    const A = lowRank(rng, m, n, 4);
    const ip = new IncrementalPseudoInverse(A, m, n, 1e-6, 1000);
    // d = (a vector in the row space) + 1e-9 · (a direction outside it)
    const d = new Float64Array(n);
    for (let i = 0; i < n; i++) d[i] = A[3 * n + i];
    const P = pinv(new Matrix(m, n, A), 1e-12).data;
    const out = rng.normalArray(n);
    // project `out` off the row space: out − A⁺A out
    const Ao = new Float64Array(m);
    for (let t = 0; t < m; t++) for (let i = 0; i < n; i++) Ao[t] += A[t * n + i] * out[i];
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let t = 0; t < m; t++) s += P[i * m + t] * Ao[t];
      d[i] += 1e-9 * (out[i] - s);
    }
    expect(ip.rowUpdate(A, 5, d)).toBeDefined();
    for (let i = 0; i < n; i++) A[5 * n + i] += d[i];
    const ref = pinv(new Matrix(m, n, A), 1e-6).data;
    expect(maxAbsDiff(ip.data, ref)).toBeLessThan(1e-7 * maxAbs(ref));
  });
});
