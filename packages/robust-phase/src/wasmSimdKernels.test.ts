import { Rng } from '@descent/tensor';
import { makeSimdMatrix, makeSimdMatrix32, simdAvailable } from './wasmSimdKernels';

describe('wasm f64x2 SIMD products', () => {
  it('is available on Node 20', () => {
    expect(simdAvailable()).toBe(true);
  });
  it.each([
    [1, 1],
    [7, 3],
    [16, 8],
    [33, 17],
    [512, 64],
  ])('A z and Aᵀ r match the float64 loops (m = %i, n = %i, odd sizes included)', (m, n) => {
    const rng = new Rng(m * 100 + n);
    const A = rng.normalArray(m * n);
    const z = rng.normalArray(n);
    const r = rng.normalArray(m);
    const S = makeSimdMatrix(A, m, n);
    expect(S).not.toBeNull();
    const Az = (S as NonNullable<typeof S>).apply(z, new Float64Array(m));
    const Atr = (S as NonNullable<typeof S>).applyT(r, new Float64Array(n));
    for (let i = 0; i < m; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += A[i * n + j] * z[j];
      expect(Az[i]).toBeCloseTo(s, 12);
    }
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let i = 0; i < m; i++) s += A[i * n + j] * r[i];
      expect(Atr[j]).toBeCloseTo(s, 12);
    }
    // fused WF gradient: one pass gives Az and (1/m) Σ ((a_iᵀz)² − y_i)(a_iᵀz) a_i
    const S2 = S as NonNullable<typeof S>;
    S2.setResponses(r);
    const Az2 = new Float64Array(m);
    const g = new Float64Array(n);
    S2.wfGradient(z, 1 / m, Az2, g);
    const ref = new Float64Array(n);
    for (let i = 0; i < m; i++) {
      expect(Az2[i]).toBeCloseTo(Az[i], 12);
      const c = ((Az[i] * Az[i] - r[i]) * Az[i]) / m;
      for (let j = 0; j < n; j++) ref[j] += c * A[i * n + j];
    }
    for (let j = 0; j < n; j++) expect(g[j]).toBeCloseTo(ref[j], 10);
  });
});

describe('wasm f32x4 SIMD products on a float32 copy', () => {
  it.each([
    [1, 1],
    [7, 3],
    [9, 5],
    [33, 17],
    [512, 64],
  ])('match the float64 products to float32 accuracy (m = %i, n = %i)', (m, n) => {
    const rng = new Rng(m * 7 + n);
    const A = rng.normalArray(m * n);
    const z = rng.normalArray(n);
    const r = rng.normalArray(m);
    const S = makeSimdMatrix32(A, m, n) as NonNullable<ReturnType<typeof makeSimdMatrix32>>;
    const Az = S.apply(z, new Float64Array(m));
    const Atr = S.applyT(r, new Float64Array(n));
    for (let i = 0; i < m; i++) {
      let s = 0;
      let a = 0;
      for (let j = 0; j < n; j++) {
        s += A[i * n + j] * z[j];
        a += Math.abs(A[i * n + j] * z[j]);
      }
      expect(Math.abs(Az[i] - s)).toBeLessThan(1e-6 * a + 1e-12);
    }
    for (let j = 0; j < n; j++) {
      let s = 0;
      let a = 0;
      for (let i = 0; i < m; i++) {
        s += A[i * n + j] * r[i];
        a += Math.abs(A[i * n + j] * r[i]);
      }
      expect(Math.abs(Atr[j] - s)).toBeLessThan(1e-6 * a + 1e-12);
    }
  });
});
