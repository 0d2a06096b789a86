import { spawnSync } from 'node:child_process';
import { ShapeError, ValueError } from '../errors';
import { Matrix } from '../matrix';
import { Rng } from '../rng';
import { KERNELS_RELAXED_BASE64 } from './generated/kernelsWasm';
import { gemvJs, gemvTJs, wfGradientJs } from './jsKernels';
import { PackedMatrix, packRows } from './packedMatrix';
import { maxRel } from './testUtils';
import { kernelInfo, resetKernelsForTests } from './wasmModule';

/**
 * Sizes around the blocking (4 rows, 4 columns) and the kernels' unrolling (n4/4 steps per block
 * row: (steps mod 8) single steps, then 8 per loop trip): steps 1, 3, 5, 8, 10, 15, 33, 64, 65.
 */
const SIZES: [number, number][] = [
  [1, 1],
  [3, 2],
  [4, 4],
  [5, 3],
  [7, 9],
  [33, 17],
  [12, 32],
  [9, 37],
  [5, 60],
  [130, 1],
  [1, 130],
  [301, 257],
  [2048, 256],
];

describe.each([
  ['wasm', false],
  ['forced JavaScript', true],
])('PackedMatrix (%s)', (_, forceJs) => {
  beforeAll(() => resetKernelsForTests(forceJs));
  afterAll(() => resetKernelsForTests());

  it.each(SIZES)('A z, Aᵀ r and the WF gradient match the row-major loops at %i×%i', (m, n) => {
    const rng = new Rng(`packed-${m}-${n}`);
    const A = new Matrix(m, n, rng.normalArray(m * n));
    const P = new PackedMatrix(A);
    expect([P.rows, P.cols]).toEqual([m, n]);
    const z = rng.normalArray(n);
    const r = rng.normalArray(m);
    const y = rng.normalArray(m).map((v) => v * v);
    const Az = new Float64Array(m);
    const g = new Float64Array(n);
    const refAz = new Float64Array(m);
    const refG = new Float64Array(n);
    P.apply(z, Az);
    gemvJs(m, n, 1, A.data, n, z, 0, refAz);
    expect(maxRel(Az, refAz)).toBeLessThan(1e-13);
    P.applyT(r, g);
    gemvTJs(m, n, 1, A.data, n, r, 0, refG);
    expect(maxRel(g, refG)).toBeLessThan(1e-13);
    // outputs are overwritten, not accumulated: a second call gives the same result
    P.wfGradient(z, y, 1 / m, Az, g);
    P.wfGradient(z, y, 1 / m, Az, g);
    wfGradientJs(m, n, A.data, n, z, y, 1 / m, refAz, refG);
    expect(maxRel(Az, refAz)).toBeLessThan(1e-13);
    expect(maxRel(g, refG)).toBeLessThan(1e-12);
  });

  it('reads longer vectors up to their dimension and may write into its own input', () => {
    const rng = new Rng(5);
    const A = new Matrix(6, 6, rng.normalArray(36));
    const P = new PackedMatrix(A);
    const z = rng.normalArray(8);
    const ref = new Float64Array(6);
    gemvJs(6, 6, 1, A.data, 6, z, 0, ref);
    const out = Float64Array.from(z);
    P.apply(out, out); // z is read before out is written
    expect(maxRel(out.subarray(0, 6), ref)).toBeLessThan(1e-14);
    expect(Array.from(out.subarray(6))).toEqual(Array.from(z.subarray(6)));
  });

  it('is a copy: later changes to the source do not reach it', () => {
    const data = new Float64Array([1, 2, 3, 4]);
    const P = new PackedMatrix(new Matrix(2, 2, data));
    data.fill(0);
    const out = new Float64Array(2);
    P.apply(new Float64Array([1, 1]), out);
    expect(Array.from(out)).toEqual([3, 7]);
  });

  it('accepts nested arrays', () => {
    const P = new PackedMatrix([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    const out = new Float64Array(2);
    P.applyT(new Float64Array([1, 0, 1]), out);
    expect(Array.from(out)).toEqual([6, 8]);
  });
});

describe('PackedMatrix fused WF gradient, plain wasm SIMD', () => {
  beforeAll(() => resetKernelsForTests(false));
  afterAll(() => resetKernelsForTests());

  it('runs on the plain-SIMD kernels here (Jest sets no relaxed-SIMD flag)', () => {
    expect(kernelInfo().mode).toBe('wasm-simd');
  });

  // the identity is the plain build's: FMA rounds once, and the relaxed form sums in another order
  it.each(SIZES)(
    'plain SIMD: the fused WF gradient has the bits of A z, then r, then Aᵀ r at %i×%i',
    (m, n) => {
      const rng = new Rng(`fused-${m}-${n}`);
      const P = new PackedMatrix(new Matrix(m, n, rng.normalArray(m * n)));
      const z = rng.normalArray(n);
      const y = rng.normalArray(m).map((v) => v * v);
      const scale = 1 / m;
      const Az = new Float64Array(m);
      const g = new Float64Array(n);
      P.wfGradient(z, y, scale, Az, g);
      const t = new Float64Array(m);
      P.apply(z, t);
      const r = t.map((ti, i) => scale * (ti * ti - y[i]) * ti);
      const g2 = new Float64Array(n);
      P.applyT(r, g2);
      expect(Array.from(Az)).toEqual(Array.from(t));
      expect(Array.from(g)).toEqual(Array.from(g2));
    },
  );
});

describe('PackedMatrix bad input', () => {
  const P = new PackedMatrix(new Matrix(3, 2, new Float64Array([1, 2, 3, 4, 5, 6])));
  const arg = (f: () => void) => {
    try {
      f();
    } catch (e) {
      return [(e as Error).constructor.name, (e as { argument?: string }).argument];
    }
    return null;
  };
  it('names the argument', () => {
    expect(arg(() => new PackedMatrix(new Matrix(0, 0)))).toEqual(['ShapeError', 'A']);
    expect(arg(() => new PackedMatrix([[1, Number.NaN]]))).toEqual(['ValueError', 'A']);
    expect(arg(() => new PackedMatrix('x' as never))).toEqual([expect.any(String), 'A']);
    expect(arg(() => P.apply(new Float64Array(1), new Float64Array(3)))).toEqual(['ShapeError', 'z']);
    expect(arg(() => P.apply(new Float64Array(2), new Float64Array(2)))).toEqual(['ShapeError', 'out']);
    expect(arg(() => P.apply([1, 2] as never, new Float64Array(3)))).toEqual(['ValueError', 'z']);
    expect(arg(() => P.applyT(new Float64Array(2), new Float64Array(2)))).toEqual(['ShapeError', 'r']);
    expect(arg(() => P.applyT(new Float64Array(3), new Float32Array(2) as never))).toEqual([
      'ValueError',
      'out',
    ]);
    const z = new Float64Array(2);
    const y = new Float64Array(3);
    expect(arg(() => P.wfGradient(z, new Float64Array(2), 1, new Float64Array(3), z))).toEqual([
      'ShapeError',
      'y',
    ]);
    expect(arg(() => P.wfGradient(z, y, '1' as never, new Float64Array(3), new Float64Array(2)))).toEqual([
      'ValueError',
      'scale',
    ]);
    const both = new Float64Array(3);
    expect(arg(() => P.wfGradient(z, y, 1, both, both))).toEqual(['ValueError', 'g']);
    expect(ShapeError).toBeDefined();
    expect(ValueError).toBeDefined();
  });
});

describe('packRows', () => {
  it('lays out blocks of four rows with column pairs interleaved and zero padding', () => {
    // 5×3 → m4 = 8, n4 = 4
    const data = Float64Array.from({ length: 15 }, (_, i) => i + 1);
    const dst = new Float64Array(32).fill(-1);
    packRows(dst, data, 5, 3);
    // block 0, columns (0,1): rows 0..3
    expect(Array.from(dst.subarray(0, 8))).toEqual([1, 2, 4, 5, 7, 8, 10, 11]);
    // block 0, columns (2,3): column 3 is padding
    expect(Array.from(dst.subarray(8, 16))).toEqual([3, 0, 6, 0, 9, 0, 12, 0]);
    // block 1: row 4, then three zero rows
    expect(Array.from(dst.subarray(16, 24))).toEqual([13, 14, 0, 0, 0, 0, 0, 0]);
    expect(Array.from(dst.subarray(24, 32))).toEqual([15, 0, 0, 0, 0, 0, 0, 0]);
  });
  it('runs the wasm kernels when they are available', () => {
    expect(kernelInfo().mode).toMatch(/^(wasm|js)/);
  });
});

/**
 * The relaxed-SIMD (FMA) build of the packed kernels, which Jest's process cannot load without
 * setting a process-wide V8 flag: a child `node --experimental-wasm-relaxed-simd` instantiates the
 * embedded relaxed binary and runs dpgemv / dpgemvT / dpwfgrad on layouts packed here (odd sizes
 * around the blocking and the unrolling); the results must match the row-major loops.
 */
describe('PackedMatrix kernels, relaxed-SIMD build', () => {
  const CHILD = `
const chunks = [];
process.stdin.on('data', (c) => chunks.push(c));
process.stdin.on('end', () => {
  const q = JSON.parse(Buffer.concat(chunks).toString());
  const bytes = Buffer.from(q.b64, 'base64');
  if (!WebAssembly.validate(bytes)) { process.stdout.write(JSON.stringify({ skip: true })); return; }
  const ex = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { exp: Math.exp, log: Math.log } }).exports;
  const out = q.cases.map((c) => {
    const { m4, n4 } = c;
    const need = (m4 * n4 + 2 * n4 + 3 * m4) * 8 + 1024;
    const have = ex.memory.buffer.byteLength;
    if (have < need + 65536) ex.memory.grow(Math.ceil((need + 65536 - have) / 65536));
    const f = new Float64Array(ex.memory.buffer);
    const base = 65536;
    const A = base, z = A + m4 * n4 * 8, g = z + n4 * 8, az = g + n4 * 8, y = az + m4 * 8, r = y + m4 * 8;
    f.set(c.packed, A / 8); f.fill(0, z / 8, r / 8 + m4);
    f.set(c.z, z / 8); f.set(c.y, y / 8);
    ex.dpgemv(m4, n4, A, z, az);
    const Az = Array.from(f.subarray(az / 8, az / 8 + c.m));
    f.set(c.r, r / 8);
    ex.dpgemvT(m4, n4, A, r, g);
    const G = Array.from(f.subarray(g / 8, g / 8 + c.n));
    ex.dpwfgrad(m4, n4, A, z, y, 1 / c.m, az, g);
    return { relaxed: ex.relaxed(), Az, G, wfAz: Array.from(f.subarray(az / 8, az / 8 + c.m)), wfG: Array.from(f.subarray(g / 8, g / 8 + c.n)) };
  });
  process.stdout.write(JSON.stringify({ out }));
});`;

  it('matches the row-major loops at odd sizes around the blocking and the unrolling', () => {
    const sizes: [number, number][] = [
      [1, 1],
      [5, 3],
      [33, 17],
      [12, 32],
      [9, 37],
      [5, 60],
      [130, 1],
      [301, 257],
      [700, 64],
    ];
    const cases = sizes.map(([m, n]) => {
      const rng = new Rng(`relaxed-${m}-${n}`);
      const A = rng.normalArray(m * n);
      const m4 = (m + 3) & ~3;
      const n4 = (n + 3) & ~3;
      const packed = new Float64Array(m4 * n4);
      packRows(packed, A, m, n);
      const pad = (v: Float64Array, len: number) => {
        const o = new Float64Array(len);
        o.set(v);
        return Array.from(o);
      };
      const z = rng.normalArray(n);
      const r = rng.normalArray(m);
      const y = rng.normalArray(m).map((v) => v * v);
      return {
        m,
        n,
        m4,
        n4,
        A,
        z,
        r,
        y,
        q: { m, n, m4, n4, packed: Array.from(packed), z: pad(z, n4), y: pad(y, m4), r: pad(r, m4) },
      };
    });
    const res = spawnSync(process.execPath, ['--experimental-wasm-relaxed-simd', '-e', CHILD], {
      input: JSON.stringify({ b64: KERNELS_RELAXED_BASE64, cases: cases.map((c) => c.q) }),
      encoding: 'utf8',
      maxBuffer: 1 << 28,
    });
    expect(res.status).toBe(0);
    const ans = JSON.parse(res.stdout) as {
      skip?: boolean;
      out: { relaxed: number; Az: number[]; G: number[]; wfAz: number[]; wfG: number[] }[];
    };
    if (ans.skip) return; // this Node cannot validate relaxed SIMD even with the flag
    cases.forEach((c, i) => {
      const o = ans.out[i];
      expect(o.relaxed).toBe(1);
      const refAz = new Float64Array(c.m);
      const refG = new Float64Array(c.n);
      gemvJs(c.m, c.n, 1, c.A, c.n, c.z, 0, refAz);
      expect(maxRel(Float64Array.from(o.Az), refAz)).toBeLessThan(1e-13);
      gemvTJs(c.m, c.n, 1, c.A, c.n, c.r, 0, refG);
      expect(maxRel(Float64Array.from(o.G), refG)).toBeLessThan(1e-13);
      wfGradientJs(c.m, c.n, c.A, c.n, c.z, c.y, 1 / c.m, refAz, refG);
      expect(maxRel(Float64Array.from(o.wfAz), refAz)).toBeLessThan(1e-13);
      expect(maxRel(Float64Array.from(o.wfG), refG)).toBeLessThan(1e-12);
    });
  });
});
