import { Rng } from '@descent/tensor';
import { makeSimdMatrix, simdAvailable } from './wasmSimdKernels';

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
  });
});
