/**
 * The fast SVGD direction (gemm-shaped products on centred particles, pair distances and the RBF
 * kernel matrix in wasm) and the median heuristic on the upper triangle, against the textbook
 * definitions: φ(x_i) = (1/n) Σ_j [k(x_j, x_i) S_j + ∇_{x_j} k(x_j, x_i)] by direct pair loops with
 * Math.exp, and the median of the full n×n matrix of squared distances.
 */
import { expNegResident, pairDistancesUpper } from './blas/kernels';
import { KernelArena } from './blas/arena';
import { type Kernel, SvgdRbfWorkspace, imq, medianHeuristic, rbf, svgdDirection, svgdDirectionRbf } from './kernels';
import { resetKernelsForTests } from './blas/wasmModule';
import { Matrix } from './matrix';
import { Rng } from './rng';
import { median } from './robustStats';

/** φ by the definition: pair loops, direct differences, the kernel's own φ and φ'. */
function referenceDirection(kernel: Kernel, X: Matrix, S: Matrix): Float64Array {
  const { rows: n, cols: d } = X;
  const out = new Float64Array(n * d);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let s2 = 0;
      for (let c = 0; c < d; c++) s2 += (X.get(i, c) - X.get(j, c)) ** 2;
      const k = kernel.phi(s2);
      const g = 2 * kernel.dphi(s2); // ∇_{x_j} k(x_j, x_i) = 2φ'(s)(x_j − x_i)
      for (let c = 0; c < d; c++) out[i * d + c] += k * S.get(j, c) + g * (X.get(j, c) - X.get(i, c));
    }
  for (let i = 0; i < n * d; i++) out[i] /= n;
  return out;
}

/** The full-matrix median of squared distances (zero diagonal included), by the definition. */
function referenceMedianD2(X: Matrix): number {
  const { rows: n, cols: d } = X;
  const all: number[] = [];
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let c = 0; c < d; c++) s += (X.get(i, c) - X.get(j, c)) ** 2;
      all.push(s);
    }
  return median(all);
}

function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

describe('svgdDirection on the kernel layer vs the definition', () => {
  const rng = new Rng('svgd-kernels');
  it.each([
    [1, 3, 0, 1],
    [2, 2, 0, 1],
    [3, 1, 5, 1],
    [7, 3, 0, 1],
    [50, 10, 0, 1],
    [101, 7, 1e6, 1],
    [130, 2, -3, 1e-4],
    [64, 5, 0, 1e4],
  ])('n = %i, d = %i, centre %g, spread %g: RBF (median h) and IMQ agree to rounding', (n, d, centre, spread) => {
    const r = rng.fold(`${n}-${d}`);
    const X = new Matrix(
      n,
      d,
      r.normalArray(n * d).map((v) => centre + spread * v),
    );
    const S = new Matrix(n, d, r.normalArray(n * d));
    const h = n < 2 ? 1 : medianHeuristic(X);
    for (const kernel of [rbf({ bandwidth: h }), imq({ c: spread })]) {
      const got = svgdDirection(kernel, X, S).data;
      const ref = referenceDirection(kernel, X, S);
      // both terms are O(|S| + spread/h²·spread): compare on the scale of the reference
      const scale = maxAbs(ref) + maxAbs(S.data);
      let err = 0;
      for (let i = 0; i < ref.length; i++) err = Math.max(err, Math.abs(got[i] - ref[i]));
      expect(err / scale).toBeLessThan(1e-12);
    }
    // the fused RBF entry point: same h, same bits as svgdDirection with that h
    const fused = svgdDirectionRbf(X, S);
    expect(fused.bandwidth).toBe(h);
    expect(Array.from(fused.direction.data)).toEqual(Array.from(svgdDirection(rbf({ bandwidth: h }), X, S).data));
    expect(svgdDirectionRbf(X, S, 0.7).bandwidth).toBe(0.7);
  });

  it('the median heuristic equals the full-matrix median exactly (integer points, ties, n = 2..40, 46, 47, 64, 101: selection with and without bracketing)', () => {
    const r = new Rng('median-ties');
    for (const n of [...Array.from({ length: 39 }, (_, i) => i + 2), 46, 47, 64, 101]) {
      const d = 1 + (n % 3);
      // small integer coordinates: every squared distance is exact, many ties and duplicate points
      const X = new Matrix(
        n,
        d,
        Float64Array.from({ length: n * d }, () => r.int(4)),
      );
      const med = referenceMedianD2(X);
      const h = Math.max(Math.sqrt((0.5 * med) / Math.log(n + 1)), 1e-6);
      expect(medianHeuristic(X)).toBe(h);
      expect(svgdDirectionRbf(X, X).bandwidth).toBe(h);
    }
  });

  it('rejects a bad bandwidth and mismatched scores with typed errors naming them', () => {
    const X = new Matrix(3, 2, new Float64Array(6));
    expect(() => svgdDirectionRbf(X, X, -1)).toThrow(/bandwidth/);
    expect(() => svgdDirectionRbf(X, new Matrix(2, 2))).toThrow(/scores/);
  });
});

describe('SvgdRbfWorkspace: svgdDirectionRbf without allocation', () => {
  const sizes: [number, number][] = [
    [1, 3],
    [2, 1],
    [3, 2],
    [46, 4], // 1035 pairs: the median's bracketing path
    [100, 10],
    [101, 7],
    [130, 3],
  ];
  it.each(sizes)('n = %i, d = %i: same bits as svgdDirectionRbf (median and fixed h), call after call', (n, d) => {
    const r = new Rng(`ws-${n}-${d}`);
    const ws = new SvgdRbfWorkspace(n, d);
    for (let call = 0; call < 3; call++) {
      // particles move between calls (state of the previous call must not leak into the next)
      const X = new Matrix(
        n,
        d,
        r.normalArray(n * d).map((v) => 1 + (call + 1) * v),
      );
      const S = new Matrix(n, d, r.normalArray(n * d));
      for (const bw of ['median', 0.8] as const) {
        ws.x.set(X.data);
        ws.scores.set(S.data);
        const h = ws.direction(bw);
        const ref = svgdDirectionRbf(X, S, bw);
        expect(h).toBe(ref.bandwidth);
        expect(Array.from(ws.phi)).toEqual(Array.from(ref.direction.data));
      }
    }
  });

  it('rejects bad sizes and a bad bandwidth with typed errors naming them', () => {
    expect(() => new SvgdRbfWorkspace(0, 2)).toThrow(/\bn\b/);
    expect(() => new SvgdRbfWorkspace(3, 1.5)).toThrow(/\bd\b/);
    expect(() => new SvgdRbfWorkspace(3, 2).direction(-1)).toThrow(/bandwidth/);
  });

  describe('JavaScript fallback (no wasm)', () => {
    beforeAll(() => resetKernelsForTests(true));
    afterAll(() => resetKernelsForTests());
    it.each([
      [3, 2],
      [46, 4],
      [100, 10],
    ])('n = %i, d = %i: the definition to rounding, the median heuristic exactly', (n, d) => {
      const r = new Rng(`ws-js-${n}-${d}`);
      const ws = new SvgdRbfWorkspace(n, d);
      const X = new Matrix(n, d, r.normalArray(n * d));
      const S = new Matrix(n, d, r.normalArray(n * d));
      ws.x.set(X.data);
      ws.scores.set(S.data);
      const h = ws.direction('median');
      expect(h).toBe(Math.max(Math.sqrt((0.5 * referenceMedianD2(X)) / Math.log(n + 1)), 1e-6));
      const ref = referenceDirection(rbf({ bandwidth: h }), X, S);
      const scale = maxAbs(ref) + maxAbs(S.data);
      for (let i = 0; i < ref.length; i++) expect(Math.abs(ws.phi[i] - ref[i])).toBeLessThan(1e-12 * scale);
    });
  });
});

describe('wasm helpers of the SVGD direction', () => {
  it('exp(−s·u) is within 2 ulp of Math.exp over [0, 800] (subnormal tail and 0 included)', () => {
    const arena = new KernelArena(1 << 20);
    if (!arena.wasm) return; // JS fallback: Math.exp itself
    const len = 20001;
    const u = arena.f64(len);
    for (let i = 0; i < len; i++) u[i] = (800 * i) / (len - 1);
    u[1] = 1e-300;
    u[2] = 745.1332191019411; // smallest subnormal boundary
    const out = arena.f64(len);
    expect(expNegResident(u, 1, out)).toBe(true);
    for (let i = 0; i < len; i++) {
      const ref = Math.exp(-u[i]);
      const ulp = ref === 0 ? 5e-324 : 2 ** (Math.floor(Math.log2(ref)) - 52);
      expect(Math.abs(out[i] - ref)).toBeLessThanOrEqual(2 * Math.max(ulp, 5e-324));
    }
    expect(out[0]).toBe(1);
  });

  it('pair distances of the upper triangle match direct differences (d = 1..9)', () => {
    const arena = new KernelArena(1 << 20);
    if (!arena.wasm) return;
    const r = new Rng('pdist');
    for (let d = 1; d <= 9; d++) {
      const n = 13;
      const x = arena.copyF64(r.normalArray(n * d));
      const u = arena.f64((n * (n - 1)) / 2);
      expect(pairDistancesUpper(n, d, x, u)).toBe(true);
      let t = 0;
      for (let i = 0; i < n; i++)
        for (let j = i + 1; j < n; j++) {
          let s = 0;
          for (let c = 0; c < d; c++) s += (x[i * d + c] - x[j * d + c]) ** 2;
          expect(Math.abs(u[t++] - s)).toBeLessThanOrEqual(1e-15 * s);
        }
      arena.reset();
    }
  });
});
