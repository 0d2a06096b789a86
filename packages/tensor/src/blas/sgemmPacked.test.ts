import fc from 'fast-check';
import { ShapeError, ValueError } from '../errors';
import { Rng } from '../rng';
import { KernelArena } from './arena';
import { gemmJs } from './jsKernels';
import { sgemm } from './kernels';
import { PackedSgemmB, packSgemmB, sgemmPacked } from './sgemmPacked';
import { kernelInfo, resetKernelsForTests } from './wasmModule';

const rng = new Rng(11);

function sameBits(a: Float32Array, b: Float32Array): number {
  let bad = 0;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) bad++;
  return bad;
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}

/** A product's operands: op(A) m×k, op(B) k×n, C m×n, with padded leading dimensions. */
function operands(m: number, n: number, k: number, ta: boolean, tb: boolean, arena?: KernelArena) {
  const lda = (ta ? m : k) + 1;
  const ldb = (tb ? k : n) + 2;
  const ldc = n + 3;
  const make = (len: number) => {
    const v = rng.normalArray(len);
    return arena ? arena.copyF32(v) : Float32Array.from(v);
  };
  return { lda, ldb, ldc, A: make((ta ? k : m) * lda), B: make((tb ? n : k) * ldb), C: make(m * ldc) };
}

describe('PackedSgemmB / sgemmPacked (float32 gemm with B packed once)', () => {
  it('wasm: the same bits as sgemm, arena (zero-copy) and private memory, every transpose, odd sizes across the blocks', () => {
    expect(kernelInfo().mode).toMatch(/^wasm/);
    for (const [m, n, k] of [
      [16, 16, 16],
      [3, 70, 21],
      [9, 17, 255],
      [66, 9, 257],
      [5, 521, 259],
      [70, 1030, 19],
    ])
      for (const ta of [false, true])
        for (const tb of [false, true])
          for (const [alpha, beta] of [
            [1, 0],
            [-0.6, 1.5],
          ]) {
            const arena = new KernelArena(1 << 23);
            const { lda, ldb, ldc, A, B, C } = operands(m, n, k, ta, tb, arena);
            const want = arena.copyF32(C);
            sgemm(ta, tb, m, n, k, alpha, A, lda, B, ldb, beta, want, ldc); // resident, m·n·k ≥ 4096: wasm
            const inArena = new PackedSgemmB(tb, k, n, B, ldb, arena);
            const C1 = arena.copyF32(C);
            sgemmPacked(ta, m, alpha, A, lda, inArena, beta, C1, ldc);
            const C3 = arena.copyF32(C);
            inArena.multiply(ta, m, alpha, A, lda, beta, C3, ldc); // the method form
            expect(sameBits(C3, C1)).toBe(0);
            const own = new PackedSgemmB(tb, k, n, Float32Array.from(B), ldb);
            const C2 = Float32Array.from(C);
            sgemmPacked(ta, m, alpha, Float32Array.from(A), lda, own, beta, C2, ldc);
            expect([m, n, k, ta, tb, sameBits(C1, want), sameBits(C2, want)]).toEqual([
              m,
              n,
              k,
              ta,
              tb,
              0,
              0,
            ]);
          }
  });

  it('property: packed product = plain product bit for bit (where sgemm runs in wasm), the packing reused across products', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 300 }),
        fc.boolean(),
        fc.boolean(),
        fc.boolean(),
        fc.integer({ min: 0, max: 1000 }),
        (m, n, k, ta, tb, inArena, seed) => {
          const r = new Rng(seed);
          const arena = new KernelArena(1 << 20);
          const ldb = tb ? k : n;
          const B = arena.copyF32(r.normalArray(k * n));
          const P = new PackedSgemmB(tb, k, n, B, ldb, inArena ? arena : undefined);
          // two products with one packing: m rows, then m − 1 (or 1) rows of other values
          for (const rows of [m, Math.max(1, m - 1)]) {
            const lda = ta ? rows : k;
            const A = arena.copyF32(r.normalArray(rows * k));
            const got = arena.f32(rows * n);
            sgemmPacked(ta, rows, 1, A, lda, P, 0, got, n);
            const want = arena.f32(rows * n);
            if (rows * n * k >= 4096) {
              sgemm(ta, tb, rows, n, k, 1, A, lda, B, ldb, 0, want, n); // resident: wasm
              if (sameBits(got, want) !== 0) return false;
            } else {
              gemmJs(ta, tb, rows, n, k, 1, A, lda, B, ldb, 0, want, n); // sgemm runs these in JavaScript
              if (maxDiff(got, want) > 1e-5 * Math.sqrt(k) * 4) return false;
            }
          }
          return true;
        },
      ),
      { numRuns: 40 },
    );
  });

  it('packs in sgemm’s layout: panels of 8-column micro-panels, zero padding', () => {
    const k = 3;
    const n = 10;
    const B = Float32Array.from({ length: k * n }, (_, i) => i + 1);
    const dst = new Float32Array(k * 16);
    packSgemmB(false, k, n, B, n, dst);
    // micro-panel 0: columns 0..7 of rows 0..2; micro-panel 1: columns 8, 9 and six zeros
    expect(Array.from(dst.subarray(0, 8))).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(Array.from(dst.subarray(16, 24))).toEqual([21, 22, 23, 24, 25, 26, 27, 28]);
    expect(Array.from(dst.subarray(24, 32))).toEqual([9, 10, 0, 0, 0, 0, 0, 0]);
    expect(Array.from(dst.subarray(40, 48))).toEqual([29, 30, 0, 0, 0, 0, 0, 0]);
    const T = new Float32Array(n * k);
    for (let p = 0; p < k; p++) for (let j = 0; j < n; j++) T[j * k + p] = B[p * n + j];
    const dstT = new Float32Array(k * 16);
    packSgemmB(true, k, n, T, k, dstT);
    expect(sameBits(dstT, dst)).toBe(0);
  });

  it('β = 0 ignores NaN in C; k = 0 gives β C; m = 0 and n = 0 do nothing', () => {
    const B = Float32Array.from(rng.normalArray(20 * 12));
    const P = new PackedSgemmB(false, 20, 12, B, 12);
    const A = Float32Array.from(rng.normalArray(30 * 20));
    const C = new Float32Array(30 * 12).fill(Number.NaN);
    sgemmPacked(false, 30, 1, A, 20, P, 0, C, 12);
    expect(C.every(Number.isFinite)).toBe(true);
    const P0 = new PackedSgemmB(false, 0, 5, new Float32Array(0), 5);
    const C0 = new Float32Array(15).fill(2);
    sgemmPacked(false, 3, 1, new Float32Array(0), 1, P0, 0.5, C0, 5);
    expect(Array.from(C0)).toEqual(new Array(15).fill(1));
    sgemmPacked(false, 0, 1, new Float32Array(0), 20, P, 0, new Float32Array(0), 12);
    const Pn = new PackedSgemmB(false, 4, 0, new Float32Array(0), 1);
    sgemmPacked(false, 2, 1, new Float32Array(8), 4, Pn, 0, new Float32Array(0), 1);
  });

  it('bad input: typed errors naming the argument; non-resident A or C for an arena-packed B', () => {
    const arena = new KernelArena(1 << 16);
    const B = arena.copyF32(rng.normalArray(6 * 8));
    const P = new PackedSgemmB(false, 6, 8, B, 8, arena);
    const A = arena.copyF32(rng.normalArray(5 * 6));
    const C = arena.f32(5 * 8);
    const arg = (f: () => void): [string, string | undefined] => {
      try {
        f();
      } catch (e) {
        return [(e as Error).constructor.name, (e as { argument?: string }).argument];
      }
      return ['none', undefined];
    };
    const bad = 'x' as unknown as Float32Array;
    expect(arg(() => new PackedSgemmB(1 as unknown as boolean, 6, 8, B, 8))).toEqual([
      'ValueError',
      'transB',
    ]);
    expect(arg(() => new PackedSgemmB(false, -1, 8, B, 8))).toEqual(['ValueError', 'k']);
    expect(arg(() => new PackedSgemmB(false, 6, 1.5, B, 8))).toEqual(['ValueError', 'n']);
    expect(arg(() => new PackedSgemmB(false, 6, 8, bad, 8))).toEqual(['ValueError', 'B']);
    expect(arg(() => new PackedSgemmB(false, 6, 8, new Float32Array(47), 8))).toEqual(['ShapeError', 'B']);
    expect(arg(() => new PackedSgemmB(false, 6, 8, B, 7))).toEqual(['ValueError', 'ldb']);
    expect(
      arg(() => new PackedSgemmB(false, 6, 8, Float64Array.from(B) as unknown as Float32Array, 8)),
    ).toEqual(['ValueError', 'B']);
    expect(arg(() => new PackedSgemmB(false, 6, 8, B, 8, {} as KernelArena))).toEqual([
      'ValueError',
      'arena',
    ]);
    expect(arg(() => sgemmPacked('no' as unknown as boolean, 5, 1, A, 6, P, 0, C, 8))).toEqual([
      'ValueError',
      'transA',
    ]);
    expect(arg(() => sgemmPacked(false, -2, 1, A, 6, P, 0, C, 8))).toEqual(['ValueError', 'm']);
    expect(arg(() => sgemmPacked(false, 5, Number.NaN, A, 6, P, 0, C, 8))).toEqual(['ValueError', 'alpha']);
    expect(arg(() => sgemmPacked(false, 5, 1, A, 6, P, Number.POSITIVE_INFINITY, C, 8))).toEqual([
      'ValueError',
      'beta',
    ]);
    expect(arg(() => sgemmPacked(false, 5, 1, A, 6, {} as PackedSgemmB, 0, C, 8))).toEqual([
      'ValueError',
      'packedB',
    ]);
    expect(arg(() => sgemmPacked(false, 5, 1, bad, 6, P, 0, C, 8))).toEqual(['ValueError', 'A']);
    expect(arg(() => sgemmPacked(false, 5, 1, A, 6, P, 0, bad, 8))).toEqual(['ValueError', 'C']);
    expect(arg(() => sgemmPacked(false, 6, 1, A, 6, P, 0, C, 8))).toEqual(['ShapeError', 'A']);
    expect(arg(() => sgemmPacked(false, 5, 1, A, 5, P, 0, C, 8))).toEqual(['ValueError', 'lda']);
    expect(arg(() => sgemmPacked(false, 5, 1, A, 6, P, 0, C, 7))).toEqual(['ValueError', 'ldc']);
    expect(arg(() => sgemmPacked(false, 5, 1, A, 6, P, 0, A as Float32Array, 8))).toEqual([
      'ShapeError',
      'C',
    ]);
    // aliasing: C over A, C over the packed data
    const big = arena.f32(64);
    expect(arg(() => sgemmPacked(false, 2, 1, big, 6, P, 0, big.subarray(4), 8))).toEqual([
      'ValueError',
      'C',
    ]);
    expect(arg(() => sgemmPacked(false, 1, 1, A, 6, P, 0, P.packed.subarray(0, 8), 8))).toEqual([
      'ValueError',
      'C',
    ]);
    // residency: an arena-packed B needs A and C in the same arena
    expect(arg(() => sgemmPacked(false, 5, 1, Float32Array.from(A), 6, P, 0, C, 8))).toEqual([
      'ValueError',
      'A',
    ]);
    expect(arg(() => sgemmPacked(false, 5, 1, A, 6, P, 0, new Float32Array(40), 8))).toEqual([
      'ValueError',
      'C',
    ]);
    const other = new KernelArena(1 << 12);
    expect(arg(() => sgemmPacked(false, 5, 1, A, 6, P, 0, other.f32(40), 8))).toEqual(['ValueError', 'C']);
    // and errors leave C untouched
    expect(Array.from(C).every((v) => v === 0)).toBe(true);
  });

  it('typed errors are ShapeError/ValueError instances', () => {
    expect(() => new PackedSgemmB(false, 6, 8, new Float32Array(3), 8)).toThrow(ShapeError);
    expect(() =>
      sgemmPacked(false, 1, 1, new Float32Array(6), 6, {} as PackedSgemmB, 0, new Float32Array(8), 8),
    ).toThrow(ValueError);
  });
});

describe('PackedSgemmB in forced JavaScript mode', () => {
  afterAll(() => resetKernelsForTests());
  it('keeps op(B) row-major and gives gemm’s result (with and without an arena)', () => {
    resetKernelsForTests(true);
    expect(kernelInfo().mode).toBe('js');
    for (const arena of [undefined, new KernelArena(1 << 16)]) {
      for (const tb of [false, true]) {
        const { lda, ldb, ldc, A, B, C } = operands(7, 11, 13, true, tb, arena);
        const want = Float32Array.from(C);
        gemmJs(true, tb, 7, 11, 13, 0.5, A, lda, B, ldb, 2, want, ldc);
        const P = new PackedSgemmB(tb, 13, 11, B, ldb, arena);
        sgemmPacked(true, 7, 0.5, A, lda, P, 2, C, ldc);
        expect(maxDiff(C, want)).toBeLessThan(1e-5);
      }
    }
  });
});
