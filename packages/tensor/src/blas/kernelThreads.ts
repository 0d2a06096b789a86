/**
 * Kernel threads: a second thread for the large packed products ({@link PackedMatrix}'s `A z`,
 * `Aᵀ r` and WF gradient), opt-in with {@link enableKernelThreads} (Node: one `worker_threads`
 * worker on a shared wasm memory; elsewhere it returns false and everything stays single-threaded).
 *
 * A product is cut into row PARTS (at most {@link THREAD_PARTS}, at 4-row block boundaries). Each
 * part writes its own rows of `A z` and its own partial `Aᵀ r`; the caller's thread claims parts
 * from an atomic counter in the shared memory, the worker (spinning briefly after each product,
 * then sleeping on `Atomics.wait`) claims the others, and the partial gradients are summed in part
 * order. So the result's bits do not depend on which thread ran which part, nor on whether the
 * worker took any (a busy second core costs the claim checks, not a 2× slowdown); they differ
 * from the one-part product of a matrix packed while threads are off only by that summation order.
 *
 * Measured on the 2-core EPYC (n = 256, m = 8n, quiet): the WF gradient 124 → 64 µs (plain SIMD),
 * 105 → 55 µs (relaxed SIMD). With the second core busy the worker's spinning competes with it.
 * @module
 */
import { ValueError } from '../errors';
import { PACKED_SHARED_RELAXED_BASE64, PACKED_SHARED_SIMD_BASE64 } from './generated/kernelsWasm';
import { decode, type PackedKernelExports, type WasmApi } from './wasmModule';

/** Most parts a product is cut into (partial gradients summed in order: n4 adds each). */
export const THREAD_PARTS = 4;
/** Products of packed matrices with at least this many doubles (m4·n4) are split (≈ 25 µs of work). */
export const THREAD_MIN_DOUBLES = 1 << 16;

/** Job kinds (the worker's switch). */
export const JOB_GEMV = 0;
export const JOB_GEMVT = 1;
export const JOB_WFGRAD = 2;

// The control block at the start of the shared memory (Int32 indices / Float64 indices).
const SEQ = 0; // job sequence number (negative: shut down)
const CLAIM = 1; // (seq & 0x7fffff) << 8 | next part
const DONE = 2; // parts finished in the current job
const READY = 3; // 1 once the worker instantiated the module
const FAILED = 4; // 1 when a part threw in the worker
const WORKER_PARTS = 5; // parts the worker has run (diagnostics, tests)
const ARGS = 8; // Float64 index of the job arguments (byte 64): kind, parts, m4, n4, ap, x, y, scale, out, g
const CONTROL_BYTES = 256;
const PAGE = 65536;
/** Spins (Atomics.load) before a wait: the worker stays awake between back-to-back products. */
const SPINS = 20000;

/**
 * The functions both threads run, as source: the worker evaluates it, and this thread builds its
 * copy with `new Function` when threads are enabled (one copy of the protocol, no bundler helpers
 * inside a stringified function). partRows(m4, parts, p): rows [start, end) of part p (4-row block
 * boundaries); runPart(ex, a, p): part p of the job whose Float64
 * arguments are `a` (kind, parts, m4, n4, ap, x, y, scale, out, g); claimParts(ex, ctl, a, seq):
 * claims parts of job `seq` from the atomic counter until none is left, counting each done.
 */
const PART_SOURCE = `
function partRows(m4, parts, p) {
  const blocks = m4 >> 2;
  return [4 * Math.floor((p * blocks) / parts), 4 * Math.floor(((p + 1) * blocks) / parts)];
}
function runPart(ex, a, p) {
  const m4 = a[2], n4 = a[3], ap = a[4], x = a[5], y = a[6], scale = a[7], out = a[8], g = a[9];
  const [r0, r1] = partRows(m4, a[1], p);
  if (r1 <= r0) return;
  const apP = ap + r0 * n4 * 8;
  const gP = g + p * n4 * 8;
  if (a[0] === ${JOB_GEMV}) ex.dpgemv(r1 - r0, n4, apP, x, out + r0 * 8);
  else if (a[0] === ${JOB_GEMVT}) ex.dpgemvT(r1 - r0, n4, apP, x + r0 * 8, gP);
  else ex.dpwfgrad(r1 - r0, n4, apP, x, y + r0 * 8, scale, out + r0 * 8, gP);
}
function claimParts(ex, ctl, a, seq) {
  const tag = (seq & 0x7fffff) << 8;
  for (let ran = 0; ; ran++) {
    const c = Atomics.load(ctl, ${CLAIM});
    if ((c & ~255) !== tag) return ran;
    const p = c & 255;
    if (p >= a[1]) return ran;
    if (Atomics.compareExchange(ctl, ${CLAIM}, c, c + 1) !== c) {
      ran--;
      continue;
    }
    runPart(ex, a, p);
    Atomics.add(ctl, ${DONE}, 1);
    Atomics.notify(ctl, ${DONE});
  }
}
`;

type PartRows = (m4: number, parts: number, p: number) => [number, number];
type RunPart = (ex: PackedKernelExports, a: Float64Array, p: number) => void;
type ClaimParts = (ex: PackedKernelExports, ctl: Int32Array, a: Float64Array, seq: number) => number;

/** The worker's program (CommonJS, evaluated by `new Worker(code, { eval: true })`). */
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { module, memory } = workerData;
const ex = new WebAssembly.Instance(module, { env: { memory, abort() { throw new Error('abort'); } } }).exports;
const ctl = new Int32Array(memory.buffer, 0, 16);
const a = new Float64Array(memory.buffer, ${ARGS * 8}, 10);
${PART_SOURCE}
Atomics.store(ctl, ${READY}, 1);
Atomics.notify(ctl, ${READY});
let seen = 0;
for (;;) {
  let spins = 0;
  while (Atomics.load(ctl, ${SEQ}) === seen) {
    if (++spins > ${SPINS}) { Atomics.wait(ctl, ${SEQ}, seen); spins = 0; }
  }
  seen = Atomics.load(ctl, ${SEQ});
  if (seen < 0) break;
  try { Atomics.add(ctl, ${WORKER_PARTS}, claimParts(ex, ctl, a, seen)); } catch (e) { Atomics.store(ctl, ${FAILED}, 1); Atomics.add(ctl, ${DONE}, 1000); Atomics.notify(ctl, ${DONE}); }
}
`;

interface WorkerLike {
  unref(): void;
  terminate(): Promise<number>;
}
/** The WebAssembly API with shared memories. */
interface SharedWasmApi extends WasmApi {
  Memory: new (d: {
    initial: number;
    maximum: number;
    shared: boolean;
  }) => {
    buffer: ArrayBufferLike;
    grow(pages: number): number;
  };
}
const WA: SharedWasmApi | undefined = (globalThis as unknown as { WebAssembly?: SharedWasmApi }).WebAssembly;

/** A region of the shared memory. */
export interface SharedRegion {
  /** Byte offset. */
  readonly offset: number;
  /** Bytes. */
  readonly bytes: number;
}

/**
 * The shared memory, its instance on this thread, the worker, a first-fit allocator of regions
 * and the job protocol. One per JavaScript thread that enabled kernel threads. @internal
 */
export class KernelThreadPool {
  /** The packed kernels on the shared memory, on this thread. */
  readonly ex: PackedKernelExports;
  /** Relaxed-SIMD build (FMA). */
  readonly relaxed: boolean;
  private readonly memory: { buffer: ArrayBufferLike; grow(pages: number): number };
  private readonly worker: WorkerLike;
  private readonly ctl: Int32Array;
  private readonly args: Float64Array;
  /** Rows [start, end) of part p of `parts` over m4 rows: the function both threads run. */
  readonly partRows: PartRows;
  private readonly runPart: RunPart;
  private readonly claimParts: ClaimParts;
  private seq = 0;
  private top = CONTROL_BYTES;
  /** True after {@link KernelThreadPool.shutdown}: products run every part on this thread. */
  stopped = false;
  private free: SharedRegion[] = [];

  constructor(module: object, relaxed: boolean, Worker: new (code: string, o: object) => WorkerLike) {
    if (!WA) throw new ValueError('WebAssembly is not available', 'threads');
    this.relaxed = relaxed;
    this.memory = new WA.Memory({ initial: 1, maximum: 65536, shared: true });
    this.ex = new WA.Instance(module, { env: { memory: this.memory, abort: abortKernel } })
      .exports as unknown as PackedKernelExports;
    this.ctl = new Int32Array(this.memory.buffer, 0, 16);
    this.args = new Float64Array(this.memory.buffer, ARGS * 8, 10);
    const fns = new Function(`${PART_SOURCE}\nreturn { partRows, runPart, claimParts };`)() as {
      partRows: PartRows;
      runPart: RunPart;
      claimParts: ClaimParts;
    };
    this.partRows = fns.partRows;
    this.runPart = fns.runPart;
    this.claimParts = fns.claimParts;
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { module, memory: this.memory } });
    this.worker.unref(); // never keeps the process alive
  }

  /** The shared memory's current buffer (views stay valid across growth: shared memory never detaches). */
  get buffer(): ArrayBufferLike {
    return this.memory.buffer;
  }

  /** A region of `bytes` bytes (64-byte aligned), growing the memory when needed. */
  alloc(bytes: number): SharedRegion {
    const size = (bytes + 63) & ~63;
    const i = this.free.findIndex((r) => r.bytes >= size);
    if (i >= 0) {
      const r = this.free[i];
      this.free.splice(i, 1);
      if (r.bytes > size) this.free.push({ offset: r.offset + size, bytes: r.bytes - size });
      return { offset: r.offset, bytes: size };
    }
    const offset = this.top;
    const need = offset + size;
    const have = this.memory.buffer.byteLength;
    if (need > have) {
      if (need > 65535 * PAGE)
        throw new ValueError(
          `the kernel threads' shared memory is limited to 4 GiB (asked for ${need} bytes)`,
          'A',
        );
      this.memory.grow(Math.ceil((need - have) / PAGE));
    }
    this.top = need;
    return { offset, bytes: size };
  }

  /** Returns a region to the allocator (merged with its free neighbours). */
  release(region: SharedRegion): void {
    this.free.push(region);
    this.free.sort((a, b) => a.offset - b.offset);
    const merged: SharedRegion[] = [];
    for (const r of this.free) {
      const last = merged[merged.length - 1];
      if (last && last.offset + last.bytes === r.offset)
        merged[merged.length - 1] = { offset: last.offset, bytes: last.bytes + r.bytes };
      else merged.push(r);
    }
    const last = merged[merged.length - 1];
    if (last && last.offset + last.bytes === this.top) {
      this.top = last.offset;
      merged.pop();
    }
    this.free = merged;
  }

  /**
   * Runs a product in `parts` parts on both threads and returns when all are done. `solo` keeps
   * the worker out of it (tests: the same bits either way).
   */
  run(
    kind: number,
    parts: number,
    m4: number,
    n4: number,
    ap: number,
    x: number,
    y: number,
    scale: number,
    out: number,
    g: number,
    solo = false,
  ): void {
    const { ctl, args: a } = this;
    a[0] = kind;
    a[1] = parts;
    a[2] = m4;
    a[3] = n4;
    a[4] = ap;
    a[5] = x;
    a[6] = y;
    a[7] = scale;
    a[8] = out;
    a[9] = g;
    this.seq = (this.seq + 1) & 0x7fffff || 1;
    const seq = this.seq;
    Atomics.store(ctl, DONE, 0);
    Atomics.store(ctl, CLAIM, solo ? ((seq & 0x7fffff) << 8) | 255 : (seq & 0x7fffff) << 8);
    if (solo || this.stopped) {
      for (let p = 0; p < parts; p++) this.runPart(this.ex, a, p);
      return;
    }
    Atomics.store(ctl, SEQ, seq);
    Atomics.notify(ctl, SEQ);
    this.claimParts(this.ex, ctl, a, seq);
    // the worker holds the rest: its parts are running (they were claimed), so this wait is short
    let spins = 0;
    while (Atomics.load(ctl, DONE) < parts) {
      if (++spins > SPINS) {
        Atomics.wait(ctl, DONE, Atomics.load(ctl, DONE), 1);
        spins = 0;
      }
    }
    if (Atomics.load(ctl, FAILED) === 1) {
      Atomics.store(ctl, FAILED, 0);
      throw new ValueError('a kernel thread failed on its part of the product', 'threads');
    }
  }

  /** Stops the worker (products of this pool's matrices then run on this thread only). */
  shutdown(): void {
    this.stopped = true;
    Atomics.store(this.ctl, SEQ, -1);
    Atomics.notify(this.ctl, SEQ);
    void this.worker.terminate();
  }

  /** Parts of products the worker has run so far (diagnostics). */
  get workerParts(): number {
    return Atomics.load(this.ctl, WORKER_PARTS);
  }

  /** True once the worker has started (tests). */
  get workerReady(): boolean {
    return Atomics.load(this.ctl, READY) === 1;
  }
}

function abortKernel(): never {
  throw new ValueError('a packed kernel aborted', 'threads');
}

let pool: KernelThreadPool | null = null;

/** The pool when kernel threads are enabled on this thread, else null. @internal */
export function kernelThreadPool(): KernelThreadPool | null {
  return pool;
}

/**
 * Opt-in to a second thread for large packed products (robust-phase's `'float64-simd'`
 * operator, {@link PackedMatrix}): starts one `worker_threads` worker sharing a wasm memory with
 * this thread. Matrices packed from then on with at least {@link THREAD_MIN_DOUBLES} entries live
 * in that memory and their products are split between both threads. Uses relaxed SIMD (FMA) when
 * the engine validates it (call {@link enableRelaxedSimd} first for FMA in Node 20). Returns true
 * when threads are in use; false where `worker_threads`, shared memory or wasm SIMD are missing
 * (browsers included: there the products stay single-threaded). Idempotent. Pays when a second
 * core is free (2-core EPYC, quiet: 1.9× on the WF gradient at n = 256, m = 8n); the worker spins
 * briefly after each product, competing with other work on a busy machine.
 */
export function enableKernelThreads(): boolean {
  if (pool) return true;
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const wt = proc?.getBuiltinModule?.('node:worker_threads') as
    | { Worker?: new (code: string, o: object) => WorkerLike }
    | undefined;
  if (!wt?.Worker || !WA || typeof SharedArrayBuffer === 'undefined' || typeof Atomics?.wait !== 'function')
    return false;
  let relaxed = false;
  let bytes = decode(PACKED_SHARED_RELAXED_BASE64);
  try {
    relaxed = WA.validate(bytes);
  } catch {
    relaxed = false;
  }
  if (!relaxed) {
    bytes = decode(PACKED_SHARED_SIMD_BASE64);
    try {
      if (!WA.validate(bytes)) return false;
    } catch {
      return false;
    }
  }
  pool = new KernelThreadPool(new WA.Module(bytes), relaxed, wt.Worker);
  return true;
}

/**
 * Stops the kernel threads' worker. Matrices already packed in the shared memory keep working
 * single-threaded (every part on this thread: the same bits); matrices packed afterwards use the
 * ordinary kernels.
 */
export function disableKernelThreads(): void {
  if (!pool) return;
  pool.shutdown();
  pool = null;
}
