import { Matrix, Rng, svd } from '@descent/tensor';
import { maxAbs, maxAbsDiff, mm, randn, tr } from './testUtils';
import { TruncatedIncrementalSvd } from './truncatedIncrementalSvd';

const spectralNorm = (A: Float64Array, m: number, n: number) => svd(new Matrix(m, n, A)).S[0];

function orthonormalityError(U: Float64Array, n: number, k: number): number {
  const G = mm(tr(U, n, k), U, k, n, k);
  for (let i = 0; i < k; i++) G[i * k + i] -= 1;
  return maxAbs(G);
}

describe('TruncatedIncrementalSvd (Brand)', () => {
  it('without truncation equals the batch SVD of the accumulated matrix to 1e-10, with orthonormal bases', () => {
    const rng = new Rng(1);
    const n = 30;
    const m = 20;
    const r = 3;
    const t = new TruncatedIncrementalSvd(n, m, Math.min(n, m));
    const M = new Float64Array(n * m);
    for (let step = 0; step < 5; step++) {
      const X = randn(rng, n, r);
      const Y = randn(rng, m, r);
      t.update(X, Y, r);
      const XYt = mm(X, tr(Y, m, r), n, r, m);
      for (let i = 0; i < M.length; i++) M[i] += XYt[i];
    }
    expect(t.rank).toBe(15);
    expect(maxAbsDiff(t.reconstruct(), M)).toBeLessThan(1e-10 * maxAbs(M));
    const batch = svd(new Matrix(n, m, M)).S;
    expect(maxAbsDiff(t.S, batch.subarray(0, t.rank))).toBeLessThan(1e-10 * batch[0]);
    expect(orthonormalityError(t.U, n, t.rank)).toBeLessThan(1e-10);
    expect(orthonormalityError(t.V, m, t.rank)).toBeLessThan(1e-10);
  });

  it('truncated: ‖M − UΣVᵀ‖₂ ≤ Σ of the discarded σ_{k+1} over all updates', () => {
    const rng = new Rng(2);
    const n = 25;
    const k = 4;
    const t = new TruncatedIncrementalSvd(n, n, k);
    const M = new Float64Array(n * n);
    for (let step = 0; step < 12; step++) {
      const X = randn(rng, n, 2);
      const Y = randn(rng, n, 2);
      t.update(X, Y, 2);
      const XYt = mm(X, tr(Y, n, 2), n, 2, n);
      for (let i = 0; i < M.length; i++) M[i] += XYt[i];
      const R = t.reconstruct();
      const E = Float64Array.from(M, (v, i) => v - R[i]);
      expect(spectralNorm(E, n, n)).toBeLessThanOrEqual(t.discarded * (1 + 1e-10) + 1e-10);
    }
    expect(t.rank).toBe(k);
    expect(t.discarded).toBeGreaterThan(0);
  });

  it("documents the reviewer's counter-example: truncating every update is not the optimal rank-k approximation", () => {
    // M₀ = diag(1, 0) kept at rank 1, then ten updates +0.5·e₂e₂ᵀ: truth diag(1, 5).
    const t = TruncatedIncrementalSvd.fromMatrix(Float64Array.of(1, 0, 0, 0), 2, 2, 1);
    const e2 = Float64Array.of(0, 1);
    for (let i = 0; i < 10; i++) t.update(Float64Array.from(e2, (v) => 0.5 * v), e2, 1);
    expect(t.S[0]).toBeCloseTo(1, 12); // stuck on e₁; the best rank-1 approximation has σ = 5
    const R = t.reconstruct();
    const err = spectralNorm(Float64Array.from([1, 0, 0, 5], (v, i) => v - R[i]), 2, 2);
    expect(err).toBeCloseTo(5, 10);
    expect(err).toBeLessThanOrEqual(t.discarded + 1e-12); // the bound holds (with equality here)
  });

  it('resets to the truncated batch SVD and round-trips through JSON', () => {
    const rng = new Rng(3);
    const A = randn(rng, 10, 8);
    const t = TruncatedIncrementalSvd.fromMatrix(A, 10, 8, 3);
    const batch = svd(new Matrix(10, 8, A)).S;
    expect(maxAbsDiff(t.S, batch.subarray(0, 3))).toBeLessThan(1e-12);
    const u = TruncatedIncrementalSvd.fromJSON(JSON.parse(JSON.stringify(t.toJSON())));
    const X = randn(rng, 10, 2);
    const Y = randn(rng, 8, 2);
    t.update(X, Y, 2);
    u.update(X, Y, 2);
    expect(Array.from(u.S)).toEqual(Array.from(t.S));
  });
});
