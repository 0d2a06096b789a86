/**
 * Kernel arenas: typed arrays that live inside a wasm kernel instance's memory, so that the BLAS
 * kernels run on them without copying (zero-copy "resident" data). Arrays from anywhere else work
 * too (see ./kernels.ts: small problems run in JavaScript, large products are copied in).
 *
 * An arena has a fixed capacity while arrays are allocated from it: growing a wasm memory
 * detaches every view of it, so {@link KernelArena.f64} / {@link KernelArena.f32} throw a
 * {@link ValueError} instead of growing when the capacity is exhausted. Capacity may be raised
 * with {@link KernelArena.reserve} only while nothing is allocated (after {@link KernelArena.reset}).
 * Without wasm SIMD an arena is a plain ArrayBuffer and the kernels run in JavaScript on it.
 * @module
 */
import { assertInteger, describe, ValueError } from '../errors';
import { readVector } from '../input/readVector';
import { instantiateKernels, type KernelExports } from './wasmModule';

const PAGE = 65536;
/** Largest wasm32 memory (4 GiB minus one page, to stay clear of the index limit). */
const MAX_BYTES = 65535 * PAGE;

/** Which instance owns a memory buffer (to run kernels on resident arrays without copies). */
const owners = new WeakMap<ArrayBuffer, KernelExports>();

/** The kernel instance whose memory is `buffer`, if any. @internal */
export function ownerOf(buffer: ArrayBufferLike): KernelExports | undefined {
  return owners.get(buffer as ArrayBuffer);
}

/** Bytes of gemm scratch (packing buffers) each arena reserves at its start. */
let scratchBytes = -1;
function gemmScratchBytes(ex: KernelExports | null): number {
  if (scratchBytes < 0 && ex) scratchBytes = Math.max(ex.dgemmWorkSize() * 8, ex.sgemmWorkSize() * 4);
  return ex ? scratchBytes : 0;
}

/** The values of a copy: typed float arrays scanned in place, anything else read by readVector (typed errors naming `values`). */
function finiteValues(values: unknown): ArrayLike<number> {
  if (values instanceof Float64Array || values instanceof Float32Array) {
    let chk = 0;
    for (let i = 0; i < values.length; i++) chk += values[i] * 0; // NaN iff some entry is not finite
    if (chk !== 0) {
      for (let i = 0; i < values.length; i++)
        if (!Number.isFinite(values[i]))
          throw new ValueError(
            `values must contain only finite numbers, got ${describe(values[i])} at index ${i}`,
            'values',
          );
    }
    return values;
  }
  return readVector(values, 'values', { allowEmpty: true });
}

/** A bump allocator of typed arrays inside one wasm kernel instance's memory. */
export class KernelArena {
  /** The kernel instance (null: JavaScript fallback, plain ArrayBuffer). @internal */
  readonly exports: KernelExports | null;
  /** Byte offset of the gemm packing scratch (0..scratch) in this arena's memory. @internal */
  readonly scratch: number;
  private buf: ArrayBuffer;
  private offset: number;
  private limit: number;

  /**
   * An arena able to hold `bytes` bytes of arrays (plus the kernels' own scratch).
   * Throws a {@link ValueError} naming `bytes` beyond the 4 GiB of a wasm32 memory.
   */
  constructor(bytes: number) {
    assertInteger('bytes', bytes, 0);
    this.exports = instantiateKernels();
    this.scratch = gemmScratchBytes(this.exports);
    this.offset = this.scratch;
    this.limit = this.scratch;
    this.buf = new ArrayBuffer(0);
    this.grow(this.scratch + bytes);
  }

  /** Bytes available to arrays in total (excluding the kernels' scratch). */
  get capacity(): number {
    return this.limit - this.scratch;
  }

  /** Bytes allocated so far. */
  get used(): number {
    return this.offset - this.scratch;
  }

  /** True when the kernels run in wasm on this arena's arrays. */
  get wasm(): boolean {
    return this.exports !== null;
  }

  /** The memory (for tests and for kernels). @internal */
  get buffer(): ArrayBuffer {
    return this.buf;
  }

  private grow(total: number): void {
    if (total > MAX_BYTES) {
      throw new ValueError(
        `bytes must be at most ${MAX_BYTES - this.scratch} (a wasm32 memory is limited to 4 GiB), got ${total - this.scratch}`,
        'bytes',
      );
    }
    const ex = this.exports;
    if (ex) {
      const have = ex.memory.buffer.byteLength;
      if (total > have) ex.memory.grow(Math.ceil((total - have) / PAGE));
      this.buf = ex.memory.buffer;
      owners.set(this.buf, ex);
      this.limit = this.buf.byteLength;
    } else if (total > this.buf.byteLength) {
      this.buf = new ArrayBuffer(total);
      this.limit = total;
    }
  }

  private take(bytes: number, name: string): number {
    const start = (this.offset + 15) & ~15; // 16-byte aligned (v128 loads)
    if (start + bytes > this.limit) {
      throw new ValueError(
        `${name}: the kernel arena is full (${this.used} of ${this.capacity} bytes used, ${bytes} more requested); create it larger or reset() it (arenas never grow while arrays are allocated: growth would detach them)`,
        name,
      );
    }
    this.offset = start + bytes;
    return start;
  }

  /** A zero-filled Float64Array of length n inside the arena. */
  f64(n: number): Float64Array {
    assertInteger('n', n, 0);
    const at = this.take(n * 8, 'n');
    const out = new Float64Array(this.buf, at, n);
    out.fill(0);
    return out;
  }

  /** A zero-filled Float32Array of length n inside the arena. */
  f32(n: number): Float32Array {
    assertInteger('n', n, 0);
    const at = this.take(n * 4, 'n');
    const out = new Float32Array(this.buf, at, n);
    out.fill(0);
    return out;
  }

  /**
   * A copy of `values` inside the arena. `values` must hold finite numbers (a typed array, a plain
   * array or a rank-1 tensor; checked before anything is allocated): {@link ValueError} naming
   * `values` otherwise. An empty `values` gives an empty array.
   */
  copyF64(values: ArrayLike<number>): Float64Array {
    const v = finiteValues(values);
    const out = this.f64(v.length);
    out.set(v);
    return out;
  }

  /** A float32 copy of `values` inside the arena (checked as in {@link KernelArena.copyF64}). */
  copyF32(values: ArrayLike<number>): Float32Array {
    const v = finiteValues(values);
    const out = this.f32(v.length);
    out.set(v);
    return out;
  }

  /**
   * Frees every array of this arena at once (their storage is reused by later allocations: do
   * not use them afterwards).
   */
  reset(): void {
    this.offset = this.scratch;
  }

  /**
   * Makes room for `bytes` bytes of arrays in total. Only while nothing is allocated (call
   * {@link KernelArena.reset} first): growing the memory detaches every earlier array.
   */
  reserve(bytes: number): void {
    assertInteger('bytes', bytes, 0);
    if (this.offset !== this.scratch) {
      throw new ValueError(
        `bytes: reserve() needs an empty arena (${this.used} bytes allocated; call reset() first)`,
        'bytes',
      );
    }
    if (this.scratch + bytes > this.limit) this.grow(this.scratch + bytes);
  }
}

/**
 * A float64 copy of `values` inside `arena` without the finiteness check of
 * {@link KernelArena.copyF64} (tensor's own kernels: their inputs are validated where they enter,
 * and a diverging iterate must reach the caller's own divergence check as NaN). @internal
 */
export function rawCopyF64(arena: KernelArena, values: ArrayLike<number>): Float64Array {
  const out = arena.f64(values.length);
  out.set(values);
  return out;
}

const pool: KernelArena[] = [];

/**
 * Runs `f` with a pooled arena of at least `bytes` bytes (reset before and after), so that
 * repeated decompositions reuse one wasm memory instead of allocating a new one per call.
 * Nested calls get distinct arenas. @internal
 */
export function withArena<T>(bytes: number, f: (arena: KernelArena) => T): T {
  const arena = pool.pop() ?? new KernelArena(bytes);
  try {
    arena.reset();
    arena.reserve(bytes);
    return f(arena);
  } finally {
    arena.reset();
    pool.push(arena);
  }
}
