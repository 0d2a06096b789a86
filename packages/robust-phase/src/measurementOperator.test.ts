import { Matrix, Rng } from '@descent/tensor';
import { makeOperator, simdAvailable } from './measurementOperator';

describe('measurement operators on the shared kernel layer', () => {
  it('the wasm SIMD kernels run on Node 20', () => {
    expect(simdAvailable()).toBe(true);
    expect(makeOperator(new Matrix(4, 3), 'float64-simd').kind).toBe('float64-simd');
  });

  it.each([
    [1, 1],
    [7, 3],
    [16, 8],
    [33, 17],
    [512, 64],
  ])('float64: A z, Aᵀ r and the fused WF gradient match the float64 loops (m = %i, n = %i)', (m, n) => {
    const rng = new Rng(m * 100 + n);
    const A = new Matrix(m, n, rng.normalArray(m * n));
    const z = rng.normalArray(n);
    const r = rng.normalArray(m);
    const op = makeOperator(A, 'float64-simd');
    const ref = makeOperator(A, 'float64');
    const Az = op.apply(z, new Float64Array(m));
    const Atr = op.applyT(r, new Float64Array(n));
    const Az0 = ref.apply(z, new Float64Array(m));
    const Atr0 = ref.applyT(r, new Float64Array(n));
    for (let i = 0; i < m; i++) expect(Az[i]).toBeCloseTo(Az0[i], 12);
    for (let j = 0; j < n; j++) expect(Atr[j]).toBeCloseTo(Atr0[j], 12);
    // fused: one pass gives Az and (1/m) Σ ((a_iᵀz)² − y_i)(a_iᵀz) a_i
    op.setResponses?.(r);
    const Az2 = new Float64Array(m);
    const g = new Float64Array(n);
    op.wfGradient?.(z, 1 / m, Az2, g);
    const c = Float64Array.from(Az0, (t, i) => ((t * t - r[i]) * t) / m);
    const g0 = ref.applyT(c, new Float64Array(n));
    for (let i = 0; i < m; i++) expect(Az2[i]).toBeCloseTo(Az0[i], 12);
    for (let j = 0; j < n; j++) expect(g[j]).toBeCloseTo(g0[j], 10);
  });

  it.each([
    [1, 1],
    [7, 3],
    [9, 5],
    [33, 17],
    [512, 64],
  ])(
    'float32 copy: products within the float32 dot-product error bound n·2⁻²⁴·Σ|terms| (m = %i, n = %i)',
    (m, n) => {
      const rng = new Rng(m * 7 + n);
      const A = new Matrix(m, n, rng.normalArray(m * n));
      const z = rng.normalArray(n);
      const r = rng.normalArray(m);
      const op = makeOperator(A, 'float32-simd');
      expect(op.kind).toBe('float32-simd');
      const Az = op.apply(z, new Float64Array(m));
      const Atr = op.applyT(r, new Float64Array(n));
      const u = 2 ** -24;
      for (let i = 0; i < m; i++) {
        let s = 0;
        let a = 0;
        for (let j = 0; j < n; j++) {
          s += A.data[i * n + j] * z[j];
          a += Math.abs(A.data[i * n + j] * z[j]);
        }
        // rounding A and z to float32 (2u) plus the float32 accumulation ((n + 2) u)
        expect(Math.abs(Az[i] - s)).toBeLessThan((n + 4) * u * a + 1e-12);
      }
      for (let j = 0; j < n; j++) {
        let s = 0;
        let a = 0;
        for (let i = 0; i < m; i++) {
          s += A.data[i * n + j] * r[i];
          a += Math.abs(A.data[i * n + j] * r[i]);
        }
        expect(Math.abs(Atr[j] - s)).toBeLessThan((m + 4) * u * a + 1e-12);
      }
    },
  );
});
