import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { ShapeError, ValueError } from '../errors';
import { Rng } from '../rng';
import { KernelArena, withArena } from './arena';
import { KERNELS_SOURCE_SHA256 } from './generated/kernelsWasm';
import { hermiteNetworkGradientJs, rotChainQlJs, rotChainSvdJs, symvLowerJs, syr2LowerJs } from './jsKernels';
import {
  gemm,
  gemv,
  gemvT,
  ger,
  hermiteNetworkForward,
  hermiteNetworkGradient,
  rotChainQl,
  rotChainSvd,
  sgemm,
  sgemv,
  sgemvT,
  sger,
  symvLower,
  syr2Lower,
  syrk,
  wfGradient,
} from './kernels';
import { kernelInfo, resetKernelsForTests } from './wasmModule';

/** Reference C ← α op(A) op(B) + β C with plain loops in float64. */
function refGemm(
  ta: boolean,
  tb: boolean,
  m: number,
  n: number,
  k: number,
  alpha: number,
  A: ArrayLike<number>,
  lda: number,
  B: ArrayLike<number>,
  ldb: number,
  beta: number,
  C: ArrayLike<number>,
  ldc: number,
): Float64Array {
  const out = Float64Array.from(C);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++)
        s += (ta ? A[p * lda + i] : A[i * lda + p]) * (tb ? B[j * ldb + p] : B[p * ldb + j]);
      out[i * ldc + j] = alpha * s + (beta === 0 ? 0 : beta * C[i * ldc + j]);
    }
  return out;
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}

const rng = new Rng(42);
/** Random values in an arena (resident: wasm) or a plain array (JavaScript below the copy crossover). */
function filled(arena: KernelArena | null, n: number, f32 = false): Float64Array | Float32Array {
  const v = rng.normalArray(n);
  if (!arena) return f32 ? Float32Array.from(v) : v;
  return f32 ? arena.copyF32(v) : arena.copyF64(v);
}

describe('wasm kernel module', () => {
  it('runs wasm SIMD in Node', () => {
    expect(kernelInfo().mode).toMatch(/^wasm-/);
  });

  it('the embedded binaries come from the checked-in AssemblyScript source (and its generated module)', () => {
    const wasmDir = join(__dirname, '..', '..', 'wasm');
    const src = readFileSync(join(wasmDir, 'kernels.ts'));
    // emitted by wasm/packedGemv.mjs at every generate step (the --check test below recompiles both)
    const generated = readFileSync(join(wasmDir, 'packedGemv.generated.ts'));
    expect(createHash('sha256').update(src).update('\0').update(generated).digest('hex')).toBe(
      KERNELS_SOURCE_SHA256,
    );
  });

  it('the build is reproducible: a fresh compile gives the checked-in bytes', () => {
    const out = execFileSync(
      process.execPath,
      [join(__dirname, '..', '..', 'scripts', 'buildWasm.mjs'), '--check'],
      {
        encoding: 'utf8',
      },
    );
    expect(out).toMatch(/in sync/);
  }, 60_000);
});

describe.each([
  ['wasm (resident in an arena)', true],
  ['JavaScript fallback', false],
])('BLAS kernels: %s', (_label, wasm) => {
  const arena = () => (wasm ? new KernelArena(1 << 22) : null);
  beforeAll(() => resetKernelsForTests(!wasm));
  afterAll(() => resetKernelsForTests());

  it('gemm matches the reference for every transpose, odd sizes, padded leading dimensions and β', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 37 }),
        fc.integer({ min: 0, max: 37 }),
        fc.integer({ min: 0, max: 37 }),
        fc.boolean(),
        fc.boolean(),
        fc.integer({ min: 0, max: 3 }),
        fc.constantFrom(0, 1, -0.5),
        (m, n, k, ta, tb, pad, beta) => {
          const ar = arena();
          const lda = (ta ? m : k) + pad || 1;
          const ldb = (tb ? k : n) + pad || 1;
          const ldc = n + pad || 1;
          const A = filled(ar, ta ? k * lda : m * lda) as Float64Array;
          const B = filled(ar, tb ? n * ldb : k * ldb) as Float64Array;
          const C = filled(ar, m * ldc) as Float64Array;
          const ref = refGemm(ta, tb, m, n, k, 0.7, A, lda, B, ldb, beta, C, ldc);
          gemm(ta, tb, m, n, k, 0.7, A, lda, B, ldb, beta, C, ldc);
          expect(maxDiff(C, ref)).toBeLessThan(1e-12 * Math.max(1, k));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('sgemm matches the reference to float32 accuracy (incl. sizes not multiples of the 4×8 tile or of the kc/mc/nc blocks)', () => {
    for (const [m, n, k] of [
      [1, 1, 1],
      [5, 9, 3],
      [17, 33, 65],
      [64, 64, 300],
      [67, 515, 257],
    ]) {
      for (const [ta, tb] of [
        [false, false],
        [true, false],
        [false, true],
        [true, true],
      ] as const) {
        const ar = arena();
        const A = filled(ar, m * k, true) as Float32Array;
        const B = filled(ar, k * n, true) as Float32Array;
        const C = filled(ar, m * n, true) as Float32Array;
        const ref = refGemm(ta, tb, m, n, k, 1, A, ta ? m : k, B, tb ? k : n, 1, C, n);
        sgemm(ta, tb, m, n, k, 1, A, ta ? m : k, B, tb ? k : n, 1, C, n);
        expect(maxDiff(C, ref)).toBeLessThan(1e-5 * Math.sqrt(k) * 4);
      }
    }
  });

  it('gemv, gemvT, ger (float64 and float32) match plain loops', () => {
    for (const [m, n] of [
      [0, 3],
      [1, 1],
      [3, 5],
      [9, 7],
      [33, 31],
      [130, 67],
    ]) {
      for (const f32 of [false, true]) {
        const ar = arena();
        const lda = n + 1;
        const A = filled(ar, m * lda, f32);
        const x = filled(ar, n, f32);
        const xt = filled(ar, m, f32);
        const y = filled(ar, m, f32);
        const yt = filled(ar, n, f32);
        const refY = Float64Array.from(y, (v, i) => {
          let s = 0;
          for (let j = 0; j < n; j++) s += A[i * lda + j] * x[j];
          return 2 * s - 0.5 * v;
        });
        const refYt = Float64Array.from(yt, (v, j) => {
          let s = 0;
          for (let i = 0; i < m; i++) s += A[i * lda + j] * xt[i];
          return 2 * s + v;
        });
        const refA = Float64Array.from(A, (v, q) => {
          const i = Math.floor(q / lda);
          const j = q % lda;
          return j < n && i < m ? v + 0.5 * xt[i] * x[j] : v;
        });
        const tol = f32 ? 1e-4 * Math.sqrt(Math.max(m, n)) : 1e-12;
        if (f32) {
          sgemv(m, n, 2, A as Float32Array, lda, x as Float32Array, -0.5, y as Float32Array);
          sgemvT(m, n, 2, A as Float32Array, lda, xt as Float32Array, 1, yt as Float32Array);
          sger(m, n, 0.5, xt as Float32Array, x as Float32Array, A as Float32Array, lda);
        } else {
          gemv(m, n, 2, A as Float64Array, lda, x as Float64Array, -0.5, y as Float64Array);
          gemvT(m, n, 2, A as Float64Array, lda, xt as Float64Array, 1, yt as Float64Array);
          ger(m, n, 0.5, xt as Float64Array, x as Float64Array, A as Float64Array, lda);
        }
        expect(maxDiff(y, refY)).toBeLessThan(tol);
        expect(maxDiff(yt, refYt)).toBeLessThan(tol);
        expect(maxDiff(A, refA)).toBeLessThan(tol);
      }
    }
  });

  it('β = 0 ignores NaN in the output (it is not read)', () => {
    const ar = arena();
    const A = filled(ar, 20 * 20) as Float64Array;
    const x = filled(ar, 20) as Float64Array;
    const y = (ar ? ar.f64(20) : new Float64Array(20)).fill(Number.NaN);
    gemv(20, 20, 1, A, 20, x, 0, y);
    expect(y.every(Number.isFinite)).toBe(true);
    const C = (ar ? ar.f64(400) : new Float64Array(400)).fill(Number.NaN);
    gemm(false, false, 20, 20, 20, 1, A, 20, A, 20, 0, C, 20);
    expect(C.every(Number.isFinite)).toBe(true);
  });

  it('syrk gives the exactly symmetric α A Aᵀ + β C', () => {
    for (const [n, k] of [
      [1, 3],
      [7, 5],
      [70, 33],
      [100, 40],
    ]) {
      const ar = arena();
      const A = filled(ar, n * k) as Float64Array;
      const C = ar ? ar.f64(n * n) : new Float64Array(n * n);
      for (let i = 0; i < n; i++) C[i * n + i] = 1;
      const ref = refGemm(false, true, n, n, k, 2, A, k, A, k, 3, C, n);
      syrk(n, k, 2, A, k, 3, C, n);
      expect(maxDiff(C, ref)).toBeLessThan(1e-12 * k);
      for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) expect(C[i * n + j]).toBe(C[j * n + i]);
    }
  });

  it('the fused WF gradient equals A z, then scale·Aᵀ((Az)² − y)∘Az', () => {
    for (const [m, n] of [
      [1, 1],
      [7, 3],
      [64, 17],
      [515, 64],
    ]) {
      const ar = arena();
      const A = filled(ar, m * n) as Float64Array;
      const z = filled(ar, n) as Float64Array;
      const y = filled(ar, m) as Float64Array;
      const Az = ar ? ar.f64(m) : new Float64Array(m);
      const g = ar ? ar.f64(n) : new Float64Array(n);
      wfGradient(m, n, A, n, z, y, 1 / m, Az, g);
      const az = new Float64Array(m);
      gemv(m, n, 1, Float64Array.from(A), n, Float64Array.from(z), 0, az);
      const r = Float64Array.from(az, (t, i) => ((t * t - y[i]) * t) / m);
      const gr = new Float64Array(n);
      gemvT(m, n, 1, Float64Array.from(A), n, r, 0, gr);
      expect(maxDiff(Az, az)).toBeLessThan(1e-12);
      expect(maxDiff(g, gr)).toBeLessThan(1e-11 * Math.max(1, Math.max(...gr.map(Math.abs))));
    }
  });

  it('symmetric lower-triangle symv and syr2 match the plain loops (odd and even sizes)', () => {
    for (const m of [1, 2, 3, 8, 17, 64, 101]) {
      const ld = m + 3;
      const ar = arena();
      const A = filled(ar, m * ld) as Float64Array;
      const x = filled(ar, m) as Float64Array;
      const z = filled(ar, m) as Float64Array;
      const y = ar ? ar.f64(m) : new Float64Array(m);
      const y0 = new Float64Array(m);
      symvLowerJs(m, A, ld, x, y0);
      symvLower(m, A, ld, x, y);
      expect(maxDiff(y, y0)).toBeLessThan(1e-12 * m);
      const A0 = Float64Array.from(A);
      syr2LowerJs(m, -0.7, x, z, A0, ld);
      syr2Lower(m, -0.7, x, z, A, ld);
      expect(maxDiff(A, A0)).toBeLessThan(1e-13);
    }
  });

  it('rotation chains (QL and bidiagonal-QR order) match the plain loops', () => {
    for (const width of [1, 5, 16, 33, 100]) {
      const rows = 11;
      const ar = arena();
      const w = filled(ar, rows * (width + 2)) as Float64Array;
      const ang = rng.normalArray(rows);
      const rc = ar ? ar.copyF64(ang.map(Math.cos)) : ang.map(Math.cos);
      const rs = ar ? ar.copyF64(ang.map(Math.sin)) : ang.map(Math.sin);
      for (const [lo, hi] of [
        [0, 10],
        [2, 9],
        [3, 4],
        [5, 5],
      ]) {
        const ref = Float64Array.from(w);
        rotChainQlJs(ref, width, width + 2, lo, hi, rc, rs);
        rotChainQl(w, width, width + 2, lo, hi, rc, rs);
        expect(maxDiff(w, ref)).toBeLessThan(1e-13);
        rotChainSvdJs(ref, width, width + 2, lo, hi - 1, rc, rs);
        rotChainSvd(w, width, width + 2, lo, hi - 1, rc, rs);
        expect(maxDiff(w, ref)).toBeLessThan(1e-13);
      }
    }
  });

  it('rejects an output aliasing an input, arrays too short, bad leading dimensions', () => {
    const ar = arena();
    const A = filled(ar, 64) as Float64Array;
    const x = filled(ar, 8) as Float64Array;
    expect(() => gemv(8, 8, 1, A, 8, x, 0, A.subarray(0, 8))).toThrow(ValueError);
    expect(() => gemv(8, 8, 1, A, 8, x, 0, x)).toThrow(/must not overlap x/);
    expect(() => gemm(false, false, 8, 8, 8, 1, A, 8, A, 8, 0, A, 8)).toThrow(/C must not overlap A/);
    expect(() => ger(8, 8, 1, A.subarray(0, 8), x, A, 8)).toThrow(ValueError);
    expect(() => gemv(8, 8, 1, A, 8, x.subarray(0, 7), 0, new Float64Array(8))).toThrow(ShapeError);
    expect(() => gemm(false, false, 9, 8, 8, 1, A, 8, A, 8, 0, new Float64Array(72), 8)).toThrow(
      /A must have length/,
    );
    expect(() => gemv(8, 8, 1, A, 7, x, 0, new Float64Array(8))).toThrow(
      /lda must be an integer >= max\(1, 8\)/,
    );
    expect(() => gemv(-1, 8, 1, A, 8, x, 0, new Float64Array(8))).toThrow(/m must be an integer >= 0/);
    // sub-blocks of one buffer: disjoint blocks are fine (blocked algorithms), overlapping ones are not
    const M = filled(ar, 16 * 16) as Float64Array;
    expect(() =>
      gemm(
        false,
        true,
        8,
        8,
        4,
        -1,
        M.subarray(8 * 16),
        16,
        M.subarray(8 * 16 + 4),
        16,
        1,
        M.subarray(8 * 16 + 8),
        16,
      ),
    ).not.toThrow();
    expect(() =>
      gemm(false, false, 8, 8, 4, 1, M, 16, M.subarray(4 * 16), 16, 1, M.subarray(2 * 16 + 3), 16),
    ).toThrow(/C must not overlap A/);
    expect(() =>
      gemm(1 as unknown as boolean, false, 1, 1, 1, 1, A, 1, A, 1, 0, new Float64Array(1), 1),
    ).toThrow(/transA must be a boolean/);
  });
});

describe('KernelArena', () => {
  it('copies check their values (typed errors naming values); an empty copy is an empty array', () => {
    const arena = new KernelArena(1024);
    for (const bad of [[1, Number.NaN], [1, null], 'ab', null, Float64Array.of(1, Infinity), [[1, 2]]]) {
      expect(() => arena.copyF64(bad as never)).toThrow(expect.objectContaining({ argument: 'values' }));
      expect(() => arena.copyF32(bad as never)).toThrow(expect.objectContaining({ argument: 'values' }));
    }
    expect(arena.used).toBe(0); // nothing allocated for a rejected copy
    expect(arena.copyF64([]).length).toBe(0);
    expect(Array.from(arena.copyF32([1, 2]))).toEqual([1, 2]);
  });

  it('throws a typed error instead of growing while arrays are live, and grows when empty', () => {
    const arena = new KernelArena(1024);
    expect(arena.capacity).toBeGreaterThanOrEqual(1024);
    const a = arena.f64(arena.capacity / 8 - 2);
    a.fill(3);
    expect(() => arena.f64(100)).toThrow(ValueError);
    expect(() => arena.f64(100)).toThrow(/arena is full/);
    expect(() => arena.reserve(1 << 20)).toThrow(/needs an empty arena/);
    expect(a[a.length - 1]).toBe(3); // still attached
    arena.reset();
    arena.reserve(1 << 20);
    const b = arena.f64(100_000);
    expect(b.length).toBe(100_000);
    expect(arena.capacity).toBeGreaterThanOrEqual(1 << 20);
    expect(() => new KernelArena(2 ** 33)).toThrow(/4 GiB/);
    expect(() => arena.f64(-1)).toThrow(ValueError);
  });

  it('allocations are 16-byte aligned and zero-filled, also after reuse', () => {
    const arena = new KernelArena(4096);
    const a = arena.f32(3);
    const b = arena.f64(5);
    expect(b.byteOffset % 16).toBe(0);
    a.fill(1);
    b.fill(2);
    arena.reset();
    const c = arena.f64(10);
    expect(c.every((v) => v === 0)).toBe(true);
  });

  it('pooled arenas are reused by nested and repeated calls', () => {
    const seen = new Set<KernelArena>();
    for (let r = 0; r < 3; r++) withArena(1000, (a) => seen.add(a));
    expect(seen.size).toBe(1);
    withArena(10, (outer) => withArena(10, (inner) => expect(inner).not.toBe(outer)));
  });

  it('ordinary arrays above the copy crossover give the same gemm as arena-resident ones', () => {
    const n = 70;
    const A = rng.normalArray(n * n);
    const B = rng.normalArray(n * n);
    const C = new Float64Array(n * n);
    gemm(false, true, n, n, n, 1, A, n, B, n, 0, C, n);
    expect(maxDiff(C, refGemm(false, true, n, n, n, 1, A, n, B, n, 0, C, n))).toBeLessThan(1e-11);
  });
});

describe('forced JavaScript mode', () => {
  afterAll(() => resetKernelsForTests());
  it('arenas are plain memory and every kernel still works', () => {
    resetKernelsForTests(true);
    expect(kernelInfo().mode).toBe('js');
    const arena = new KernelArena(1 << 16);
    expect(arena.wasm).toBe(false);
    const A = arena.copyF64(rng.normalArray(30 * 20));
    const C = arena.f64(30 * 30);
    gemm(false, true, 30, 30, 20, 1, A, 20, A, 20, 0, C, 30);
    expect(maxDiff(C, refGemm(false, true, 30, 30, 20, 1, A, 20, A, 20, 0, C, 30))).toBeLessThan(1e-12);
  });
});

describe('hermiteNetworkGradient (fused two-layer Hermite-network step)', () => {
  /** c_k of σ and dc_k = √(k+1) c_{k+1}. */
  function series(c: number[]): { coeffs: Float64Array; derivCoeffs: Float64Array } {
    const K = c.length - 1;
    return {
      coeffs: Float64Array.from(c),
      derivCoeffs: Float64Array.from({ length: Math.max(1, K) }, (_, k) =>
        k < K ? Math.sqrt(k + 1) * c[k + 1] : 0,
      ),
    };
  }
  it.each([
    [64, 48, 12, 'squared', false, [0, 0, 1 / Math.SQRT2, 0, 1 / Math.sqrt(24)]],
    [64, 48, 12, 'correlation', false, [0, 0, 1, 0, 1]],
    [33, 17, 5, 'squared', true, [0.3, -0.2, 1, 0.5, 0.1, 0, 0.7]],
    [7, 3, 1, 'correlation', false, [0.5]],
    [9, 5, 6, 'squared', true, [0, 1]],
    [41, 33, 7, 'correlation', false, [0, 0.5, 1, 0, 0.3]],
    [50, 9, 6, 'squared', true, [0.1, 1, 0, 0.4]],
    [3, 128, 9, 'correlation', true, [0, 0, 1, 0, 1]],
  ] as const)(
    'wasm equals the JavaScript loops (B=%i, d=%i, m=%i, %s, trained a: %s)',
    (B, d, m, loss, withA, c) => {
      const { coeffs, derivCoeffs } = series([...c]);
      const W = rng.normalArray(m * d).map((v) => v / Math.sqrt(d));
      const X = rng.normalArray(B * d);
      const y = rng.normalArray(B);
      const a = withA ? rng.normalArray(m) : undefined;
      const G = new Float64Array(m * d);
      const Ga = withA ? new Float64Array(m) : undefined;
      const G0 = new Float64Array(m * d);
      const Ga0 = withA ? new Float64Array(m) : undefined;
      const r = hermiteNetworkGradient({ W, m, d, X, y, B, coeffs, derivCoeffs, loss, a0: 1 / 3, a, Ga, G });
      const r0 = hermiteNetworkGradientJs(
        W,
        m,
        d,
        X,
        y,
        B,
        coeffs,
        derivCoeffs,
        loss === 'squared',
        1 / 3,
        a,
        Ga0,
        G0,
      );
      expect(Math.abs(r - r0)).toBeLessThan(1e-12 * Math.max(1, r0));
      const scale = Math.max(...G0.map(Math.abs), 1e-300);
      expect(maxDiff(G, G0) / scale).toBeLessThan(1e-12);
      if (Ga && Ga0) expect(maxDiff(Ga, Ga0)).toBeLessThan(1e-12 * Math.max(1, ...Ga0.map(Math.abs)));
    },
  );
  it('the forward pass Σ_i σ(w_i·x_b) matches direct evaluation (wasm above the crossover, JS below)', () => {
    const c = [0, 0.2, 1 / Math.SQRT2, 0, 1 / Math.sqrt(24), 0.1];
    const { coeffs } = series(c);
    // normalised Hermite h_k by the three-term recurrence
    const sigma = (z: number) => {
      let prev = 1;
      let cur = z;
      let s = c[0] + c[1] * z;
      for (let j = 1; j + 1 < c.length; j++) {
        const next = (z * cur - Math.sqrt(j) * prev) / Math.sqrt(j + 1);
        prev = cur;
        cur = next;
        s += c[j + 1] * cur;
      }
      return s;
    };
    for (const [B, d, m] of [
      [64, 48, 4],
      [3, 5, 2],
      [100, 17, 7],
    ]) {
      const W = rng.normalArray(m * d).map((v) => v / Math.sqrt(d));
      const X = rng.normalArray(B * d);
      const out = hermiteNetworkForward(W, m, d, X, B, coeffs, new Float64Array(B));
      for (let b = 0; b < B; b++) {
        let ref = 0;
        for (let i = 0; i < m; i++) {
          let z = 0;
          for (let j = 0; j < d; j++) z += W[i * d + j] * X[b * d + j];
          ref += sigma(z);
        }
        expect(Math.abs(out[b] - ref)).toBeLessThan(1e-12 * Math.max(1, Math.abs(ref)));
      }
    }
  });

  it('rejects short buffers and a without Ga', () => {
    const { coeffs, derivCoeffs } = series([0, 1]);
    const base = {
      W: new Float64Array(6),
      m: 2,
      d: 3,
      X: new Float64Array(12),
      y: new Float64Array(4),
      B: 4,
    };
    expect(() =>
      hermiteNetworkGradient({
        ...base,
        coeffs,
        derivCoeffs,
        loss: 'squared',
        a0: 1,
        G: new Float64Array(5),
      }),
    ).toThrow(ShapeError);
    expect(() =>
      hermiteNetworkGradient({
        ...base,
        coeffs,
        derivCoeffs,
        loss: 'squared',
        a0: 1,
        a: new Float64Array(2),
        G: new Float64Array(6),
      }),
    ).toThrow(/Ga must be given/);
  });
});

describe('bulk normals (wasm ziggurat behind Rng.fillNormal)', () => {
  afterAll(() => resetKernelsForTests());
  it('are bit-identical to the JavaScript generator and to one normal() per entry, state included', () => {
    for (const [seed, n] of [
      [1, 256],
      [2, 4097],
      [3, 100_000],
    ] as const) {
      const wasm = new Rng(seed).fold('z');
      const a = wasm.fillNormal(new Float64Array(n));
      const a32 = wasm.fillNormal(new Float32Array(n));
      const after = wasm.uniform();
      resetKernelsForTests(true);
      const js = new Rng(seed).fold('z');
      const b = js.fillNormal(new Float64Array(n));
      const b32 = js.fillNormal(new Float32Array(n));
      expect(js.uniform()).toBe(after);
      resetKernelsForTests();
      let same = 0;
      for (let i = 0; i < n; i++) if (Object.is(a[i], b[i]) && Object.is(a32[i], b32[i])) same++;
      expect(same).toBe(n);
      const one = new Rng(seed).fold('z');
      let agree = 0;
      for (let i = 0; i < n; i++) if (one.normal() === a[i]) agree++;
      expect(agree).toBe(n);
    }
  });
});
