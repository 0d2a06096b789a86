import { ValueError } from '../errors';
import { Matrix } from '../matrix';
import { Rng } from '../rng';
import { gemvJs, gemvTJs, wfGradientJs } from './jsKernels';
import {
  disableKernelThreads,
  enableKernelThreads,
  kernelThreadPool,
  THREAD_MIN_DOUBLES,
} from './kernelThreads';
import { PackedMatrix } from './packedMatrix';
import { maxRel } from './testUtils';

/** The three products of P at fixed inputs (fresh outputs). */
function products(P: PackedMatrix, z: Float64Array, r: Float64Array, y: Float64Array) {
  const m = P.rows;
  const n = P.cols;
  const Az = new Float64Array(m);
  const g = new Float64Array(n);
  const wAz = new Float64Array(m);
  const wg = new Float64Array(n);
  P.apply(z, Az);
  P.applyT(r, g);
  P.wfGradient(z, y, 1 / m, wAz, wg);
  return { Az, g, wAz, wg };
}

/**
 * Sizes at and above the threading threshold (m4·n4 ≥ 65536), with 1, 2 and 4 parts and parts of
 * unequal block counts; below it the matrix is packed as usual.
 */
const THREADED: [number, number][] = [
  [2048, 256],
  [301, 257],
  [1030, 64],
  [8, 8192],
  [4, 16384],
];

describe('kernel threads (Node worker_threads on a shared wasm memory)', () => {
  beforeAll(() => {
    expect(enableKernelThreads()).toBe(true);
    expect(enableKernelThreads()).toBe(true); // idempotent
  });
  afterAll(() => disableKernelThreads());

  it('cuts rows into parts at 4-row block boundaries that tile [0, m4)', () => {
    const partRows = kernelThreadPool()?.partRows;
    if (!partRows) throw new Error('kernel threads are enabled in beforeAll');
    for (const m4 of [4, 8, 12, 304, 2048]) {
      for (const parts of [1, 2, 3, 4]) {
        if (parts > m4 / 4) continue;
        let prev = 0;
        for (let p = 0; p < parts; p++) {
          const [r0, r1] = partRows(m4, parts, p);
          expect(r0).toBe(prev);
          expect(r0 % 4).toBe(0);
          expect(r1).toBeGreaterThan(r0);
          prev = r1;
        }
        expect(prev).toBe(m4);
      }
    }
  });

  it.each(THREADED)(
    'splits A z, Aᵀ r and the WF gradient at %i×%i and matches the row-major loops',
    (m, n) => {
      const rng = new Rng(`threads-${m}-${n}`);
      const A = new Matrix(m, n, rng.normalArray(m * n));
      const P = new PackedMatrix(A);
      expect(P.threaded).toBe(true);
      const z = rng.normalArray(n);
      const r = rng.normalArray(m);
      const y = rng.normalArray(m).map((v) => v * v);
      const out = products(P, z, r, y);
      const refAz = new Float64Array(m);
      const refG = new Float64Array(n);
      gemvJs(m, n, 1, A.data, n, z, 0, refAz);
      expect(maxRel(out.Az, refAz)).toBeLessThan(1e-13);
      gemvTJs(m, n, 1, A.data, n, r, 0, refG);
      expect(maxRel(out.g, refG)).toBeLessThan(1e-13);
      wfGradientJs(m, n, A.data, n, z, y, 1 / m, refAz, refG);
      expect(maxRel(out.wAz, refAz)).toBeLessThan(1e-13);
      expect(maxRel(out.wg, refG)).toBeLessThan(1e-12);
      P.dispose();
    },
  );

  it('gives the same bits whichever thread runs which part, and with the worker stopped', () => {
    const m = 2048;
    const n = 256;
    const rng = new Rng('threads-bits');
    const A = new Matrix(m, n, rng.normalArray(m * n));
    const z = rng.normalArray(n);
    const r = rng.normalArray(m);
    const y = rng.normalArray(m).map((v) => v * v);
    const P = new PackedMatrix(A);
    const pool = kernelThreadPool();
    const before = pool?.workerParts ?? 0;
    const first = products(P, z, r, y);
    // many products: the worker claims some parts of some of them (it spins between products; on
    // a busy machine it may need more products to be scheduled in time: up to 3000)
    for (let k = 0; k < 3000 && (k < 200 || (pool?.workerParts ?? 0) === before); k++) {
      const again = products(P, z, r, y);
      expect(Array.from(again.wg)).toEqual(Array.from(first.wg));
      expect(Array.from(again.g)).toEqual(Array.from(first.g));
      expect(Array.from(again.Az)).toEqual(Array.from(first.Az));
    }
    expect((pool?.workerParts ?? 0) - before).toBeGreaterThan(0);
    // A z's rows are independent: the same bits as the unthreaded kernel
    disableKernelThreads();
    const Q = new PackedMatrix(A);
    expect(Q.threaded).toBe(false);
    const single = products(Q, z, r, y);
    expect(Array.from(single.Az)).toEqual(Array.from(first.Az));
    expect(Array.from(single.wAz)).toEqual(Array.from(first.wAz));
    // every part on this thread once the worker is stopped: the threaded matrix keeps its bits
    expect(P.threaded).toBe(false);
    const solo = products(P, z, r, y);
    expect(Array.from(solo.wg)).toEqual(Array.from(first.wg));
    expect(Array.from(solo.g)).toEqual(Array.from(first.g));
    P.dispose();
    expect(enableKernelThreads()).toBe(true);
  });

  it('packs small matrices as usual (below THREAD_MIN_DOUBLES)', () => {
    const P = new PackedMatrix(new Matrix(100, 64, new Rng(1).normalArray(6400)));
    expect(100 * 64).toBeLessThan(THREAD_MIN_DOUBLES);
    expect(P.threaded).toBe(false);
  });

  it('returns shared memory on dispose (packing again reuses it) and refuses products afterwards', () => {
    const pool = kernelThreadPool();
    const rng = new Rng('threads-dispose');
    const A = new Matrix(512, 256, rng.normalArray(512 * 256));
    new PackedMatrix(A).dispose();
    const size = pool?.buffer.byteLength;
    for (let k = 0; k < 10; k++) {
      const P = new PackedMatrix(A);
      expect(P.threaded).toBe(true);
      P.dispose();
      P.dispose(); // idempotent
      expect(pool?.buffer.byteLength).toBe(size);
      const z = new Float64Array(256);
      expect(() => P.apply(z, new Float64Array(512))).toThrow(ValueError);
    }
  });
});
