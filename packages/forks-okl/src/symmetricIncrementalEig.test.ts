import { Matrix, Rng, eigh } from '@descent/tensor';
import { SymmetricIncrementalEig } from './symmetricIncrementalEig';
import { maxAbs, maxAbsDiff, mm, randn, tr } from './testUtils';

describe('SymmetricIncrementalEig', () => {
  it('without truncation tracks M + Σ X C Xᵀ exactly (1e-10) and matches the batch eigenvalues', () => {
    const rng = new Rng(5);
    const n = 20;
    const base = randn(rng, n, 3);
    const M = mm(base, tr(base, n, 3), n, 3, n);
    const e = new SymmetricIncrementalEig(n, n);
    e.reset(M);
    for (let step = 0; step < 4; step++) {
      // FORKS's rank-2 sketch update: s rᵀ + r sᵀ + κ s sᵀ = [s r]·[[κ, 1], [1, 0]]·[s r]ᵀ
      const j = rng.int(n);
      const r = rng.normalArray(n);
      const kappa = 1;
      const X = new Float64Array(n * 2);
      X[j * 2] = 1;
      for (let i = 0; i < n; i++) X[i * 2 + 1] = r[i];
      e.update(X, Float64Array.of(kappa, 1, 1, 0), 2);
      for (let c = 0; c < n; c++) M[j * n + c] += r[c];
      for (let i = 0; i < n; i++) M[i * n + j] += r[i];
      M[j * n + j] += kappa;
    }
    expect(maxAbsDiff(e.reconstruct(), M)).toBeLessThan(1e-10 * maxAbs(M));
    const batch = Array.from(eigh(new Matrix(n, n, M)).values).filter((v) => Math.abs(v) > 1e-9).sort((a, b) => a - b);
    const mine = Array.from(e.values).sort((a, b) => a - b);
    expect(mine.length).toBe(batch.length);
    expect(maxAbsDiff(mine, batch)).toBeLessThan(1e-10 * maxAbs(batch));
  });

  it('truncated error (2-norm) stays below the sum of discarded |λ|', () => {
    const rng = new Rng(6);
    const n = 15;
    const e = new SymmetricIncrementalEig(n, 3);
    const M = new Float64Array(n * n);
    e.reset(M);
    for (let step = 0; step < 8; step++) {
      const X = randn(rng, n, 2);
      const C = Float64Array.of(1, 0.3, 0.3, -0.5);
      e.update(X, C, 2);
      const XC = mm(X, C, n, 2, 2);
      const D = mm(XC, tr(X, n, 2), n, 2, n);
      for (let i = 0; i < M.length; i++) M[i] += D[i];
      const R = e.reconstruct();
      const E = Float64Array.from(M, (v, i) => v - R[i]);
      const ev = eigh(new Matrix(n, n, E), { vectors: false, symmetryTol: Number.POSITIVE_INFINITY }).values;
      expect(Math.max(Math.abs(ev[0]), Math.abs(ev[n - 1]))).toBeLessThanOrEqual(e.discarded * (1 + 1e-10) + 1e-10);
    }
  });
});
