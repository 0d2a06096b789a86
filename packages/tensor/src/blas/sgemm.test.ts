import { Rng } from '../rng';
import { KernelArena } from './arena';
import { sgemm } from './kernels';
import { kernelInfo } from './wasmModule';

/**
 * The wasm sgemm's exact arithmetic, emulated in float32 (Math.fround after every operation): per
 * entry, C ← β C first (β = 0: C is not read; β = 1: untouched), then for each kc = 256 block of
 * the k range a sum from 0 in order of p of the rounded products, added as C ← C + α·sum. With
 * plain SIMD (separate multiply and add, no FMA) the kernel must give exactly these bits.
 */
function emulate(
  ta: boolean,
  tb: boolean,
  m: number,
  n: number,
  k: number,
  alpha: number,
  A: Float32Array,
  lda: number,
  B: Float32Array,
  ldb: number,
  beta: number,
  C: Float32Array,
  ldc: number,
): Float32Array {
  const f = Math.fround;
  const out = Float32Array.from(C);
  const KC = 256;
  const al = f(alpha);
  const be = f(beta);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let c = be === 0 ? 0 : be === 1 ? C[i * ldc + j] : f(be * C[i * ldc + j]);
      for (let p0 = 0; p0 < k; p0 += KC) {
        let s = 0;
        for (let p = p0; p < Math.min(k, p0 + KC); p++)
          s = f(s + f((ta ? A[p * lda + i] : A[i * lda + p]) * (tb ? B[j * ldb + p] : B[p * ldb + j])));
        c = f(c + f(al * s));
      }
      out[i * ldc + j] = c;
    }
  return out;
}

function sameBits(a: Float32Array, b: Float32Array): number {
  let bad = 0;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) bad++;
  return bad;
}

const plain = kernelInfo().mode === 'wasm-simd';
const rng = new Rng(7);

describe('sgemm (float32, wasm SIMD)', () => {
  // the micro-kernel's k loop runs four steps per pass in separate blocks: k ≡ 0..3 (mod 4), k
  // across the kc = 256 block, m across the 4-row tile and mc = 64, n across the 8-column tile
  // (every size at least the wasm crossover m·n·k ≥ 4096; below it the JavaScript loops run)
  const sizes: [number, number, number][] = [
    [16, 16, 16],
    [16, 16, 17],
    [16, 16, 18],
    [16, 16, 19],
    [3, 70, 21],
    [9, 17, 255],
    [13, 24, 256],
    [66, 9, 257],
    [5, 520, 259],
    [70, 33, 515],
  ];
  (plain ? it : it.skip)(
    'plain SIMD gives exactly the bits of its float32 summation order (every transpose, α, β, odd sizes, padded ld)',
    () => {
      const arena = new KernelArena(1 << 22);
      for (const [m, n, k] of sizes)
        for (const [ta, tb] of [
          [false, false],
          [true, false],
          [false, true],
          [true, true],
        ] as const)
          for (const [alpha, beta] of [
            [1, 0],
            [0.7, 1],
            [-1.3, 0.25],
          ]) {
            arena.reset();
            const lda = (ta ? m : k) + 3;
            const ldb = (tb ? k : n) + 1;
            const ldc = n + 2;
            const A = arena.copyF32(rng.normalArray((ta ? k : m) * lda));
            const B = arena.copyF32(rng.normalArray((tb ? n : k) * ldb));
            const C = arena.copyF32(rng.normalArray(m * ldc));
            const want = emulate(ta, tb, m, n, k, alpha, A, lda, B, ldb, beta, C, ldc);
            sgemm(ta, tb, m, n, k, alpha, A, lda, B, ldb, beta, C, ldc);
            expect([m, n, k, ta, tb, alpha, sameBits(C, want)]).toEqual([m, n, k, ta, tb, alpha, 0]);
          }
    },
  );
});
