/**
 * Seeded, splittable pseudo-random numbers, independent of tfjs.
 *
 * Generator: xoshiro128** (Blackman & Vigna) on 32-bit integer arithmetic, with a 128-bit
 * *key* per stream. `rng.fold(...parts)` derives a child stream from the parent's key and the
 * parts alone (murmur3 finaliser mixing), never from how many numbers the parent has drawn, so
 * results do not change when unrelated code draws more numbers. Normals use a 128-layer
 * ziggurat (Marsaglia & Tsang 2000) whose layer index and value come from independent words
 * (Doornik 2005's fix for the original's bit reuse).
 *
 * Everything is plain JavaScript: the same seed gives bit-identical output on every tfjs backend.
 * @module
 */
import { zigguratFill } from './blas/kernels';
import { FN, KN, WN, ZIG_R } from './blas/zigguratTables';
import { ValueError, assertInteger, describe } from './errors';
import { readOptions } from './options/read';

/** The largest count of draws a single call may ask for (a typed-array length). */
const MAX_DRAWS = 2 ** 31 - 1;

/** Throws unless `out` is a Float64Array or Float32Array. */
function checkOut(out: unknown): void {
  if (!(out instanceof Float64Array) && !(out instanceof Float32Array)) {
    throw new ValueError(`out must be a Float64Array or Float32Array to fill, got ${describe(out)}`, 'out');
  }
}

/** Throws {@link ValueError} unless low ≤ high are finite. */
function checkInterval(low: number, high: number): void {
  if (!(low <= high) || !Number.isFinite(low) || !Number.isFinite(high)) {
    throw new ValueError(
      `low and high must be finite numbers with low <= high, got low = ${describe(low)}, high = ${describe(high)}`,
      'low',
    );
  }
}

/** A part of a stream key: a string, or a number (any finite number, integer or not). */
export type KeyPart = string | number;

/** Serialised generator state, see {@link Rng.toJSON}. */
export interface RngState {
  key: [number, number, number, number];
  state: [number, number, number, number];
}

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

function partWords(part: KeyPart): number[] {
  if (typeof part === 'number') {
    if (!Number.isFinite(part)) throw new ValueError(`rng key part must be finite, got ${describe(part)}`, 'key');
    f64[0] = part;
    return [0x6e756d62, u32[0], u32[1]]; // tag 'numb' keeps 1 and '1' apart
  }
  if (typeof part !== 'string') throw new ValueError(`rng key part must be a string or number, got ${describe(part)}`, 'key');
  const words = [0x73747269, part.length];
  for (let i = 0; i < part.length; i++) words.push(part.charCodeAt(i));
  return words;
}

function absorb(key: Uint32Array, words: number[]): Uint32Array {
  const k = new Uint32Array(key);
  for (const w of words) {
    for (let i = 0; i < 4; i++) {
      k[i] = fmix32((k[i] ^ Math.imul((w + 0x9e3779b9 * (i + 1)) | 0, 0x27d4eb2d)) >>> 0);
    }
    // diffuse across the four words
    k[0] ^= k[3];
    k[1] ^= k[0];
    k[2] ^= k[1];
    k[3] ^= k[2];
  }
  for (let i = 0; i < 4; i++) k[i] = fmix32(k[i] ^ (0xa54ff53a + i));
  return k;
}


/** Options of {@link Rng.choice}. */
export interface ChoiceOptions {
  /** Sample with replacement (default false). */
  replace?: boolean;
  /** Probabilities of the n items (non-negative, normalised internally). */
  p?: ArrayLike<number>;
}

/**
 * A seeded, splittable generator.
 *
 * ```ts
 * const rng = new Rng(42);
 * const noise = rng.fold('perturb', step).normalArray(1000);
 * ```
 */
export class Rng {
  /** The stream key (derived from the seed and the fold path); never changed by draws. */
  readonly key: Uint32Array;
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  /** A generator from an integer or string seed. Every seed, 0 included, is a valid distinct seed. */
  constructor(seed: KeyPart = 0) {
    this.key = absorb(new Uint32Array([0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344]), partWords(seed));
    [this.s0, this.s1, this.s2, this.s3] = Rng.initialState(this.key);
  }

  private static initialState(key: Uint32Array): [number, number, number, number] {
    const s = absorb(key, [0x73746174]);
    if ((s[0] | s[1] | s[2] | s[3]) === 0) s[0] = 1;
    // int32 (not uint32) so the state fields stay small integers in V8 (same bits)
    return [s[0] | 0, s[1] | 0, s[2] | 0, s[3] | 0];
  }

  private static fromKey(key: Uint32Array): Rng {
    const r = Object.create(Rng.prototype) as Rng;
    (r as { key: Uint32Array }).key = key;
    [r.s0, r.s1, r.s2, r.s3] = Rng.initialState(key);
    return r;
  }

  /**
   * A child stream determined by this stream's key and `parts` only (not by draws made so far).
   * `rng.fold('step', 3)` and `rng.fold('step', 4)` are independent; the same call twice is identical.
   */
  fold(...parts: KeyPart[]): Rng {
    let k = this.key;
    for (const p of parts) k = absorb(k, partWords(p));
    return Rng.fromKey(k);
  }

  /** `count` independent child streams `fold(label, 0..count-1)`. */
  split(count: number, label: KeyPart = 'split'): Rng[] {
    assertInteger('count', count, 0, MAX_DRAWS);
    assertInteger('count', count, 0);
    return Array.from({ length: count }, (_, i) => this.fold(label, i));
  }

  /** A copy of this generator in its current state. */
  clone(): Rng {
    return Rng.fromJSON(this.toJSON());
  }

  /** The full state, JSON-serialisable; {@link Rng.fromJSON} resumes the stream exactly. */
  toJSON(): RngState {
    return {
      key: [this.key[0], this.key[1], this.key[2], this.key[3]],
      state: [this.s0 >>> 0, this.s1 >>> 0, this.s2 >>> 0, this.s3 >>> 0],
    };
  }

  /** Restores a generator saved with {@link Rng.toJSON}. */
  static fromJSON(state: RngState): Rng {
    if (
      !state ||
      !Array.isArray(state.key) ||
      state.key.length !== 4 ||
      !Array.isArray(state.state) ||
      state.state.length !== 4
    ) {
      throw new ValueError(`state must be an RngState {key[4], state[4]}, got ${describe(state)}`, 'state');
    }
    for (const field of ['key', 'state'] as const) {
      state[field].forEach((v, i) => {
        if (typeof v !== 'number' || !Number.isInteger(v) || v < -0x80000000 || v > 0xffffffff) {
          throw new ValueError(
            `state.${field}[${i}] must be a 32-bit integer, got ${describe(v)}`,
            `state.${field}[${i}]`,
          );
        }
      });
    }
    if (state.state.every((v) => v === 0))
      throw new ValueError(
        'state.state must not be all zero (xoshiro128** would only emit zeros)',
        'state.state',
      );
    const r = Rng.fromKey(Uint32Array.from(state.key));
    [r.s0, r.s1, r.s2, r.s3] = state.state.map((v) => v | 0) as [number, number, number, number];
    return r;
  }

  /** The next 32-bit unsigned integer (xoshiro128**). */
  nextUint32(): number {
    const s0 = this.s0;
    const s1 = this.s1;
    const s2 = this.s2;
    const s3 = this.s3;
    const r = Math.imul(s1, 5);
    const result = Math.imul(((r << 7) | (r >>> 25)) >>> 0, 9) >>> 0;
    const t = s1 << 9;
    let n2 = s2 ^ s0;
    let n3 = s3 ^ s1;
    const n1 = s1 ^ n2;
    const n0 = s0 ^ n3;
    n2 ^= t;
    n3 = (n3 << 11) | (n3 >>> 21);
    this.s0 = n0 | 0;
    this.s1 = n1 | 0;
    this.s2 = n2 | 0;
    this.s3 = n3 | 0;
    return result;
  }

  /** A uniform double in [0, 1) with 53 random bits. */
  uniform(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) * 1.1102230246251565e-16;
  }

  /** A uniform double in [low, high). */
  uniformIn(low: number, high: number): number {
    checkInterval(low, high);
    return low + (high - low) * this.uniform();
  }

  /** A standard normal draw (ziggurat). */
  normal(): number {
    for (;;) {
      const hz = this.nextUint32() | 0;
      const iz = this.nextUint32() & 127;
      const ahz = hz < 0 ? -hz : hz;
      if (ahz < KN[iz]) return hz * WN[iz];
      const x = this.normalTail(hz, iz);
      if (x !== null) return x;
    }
  }

  private normalTail(hz: number, iz: number): number | null {
    if (iz === 0) {
      let x: number;
      let y: number;
      do {
        x = -Math.log(1 - this.uniform()) / ZIG_R;
        y = -Math.log(1 - this.uniform());
      } while (y + y < x * x);
      return hz > 0 ? ZIG_R + x : -ZIG_R - x;
    }
    const x = hz * WN[iz];
    if (FN[iz] + this.uniform() * (FN[iz - 1] - FN[iz]) < Math.exp(-0.5 * x * x)) return x;
    return null; // rejected: draw again
  }

  /** A uniform integer in [0, n) without modulo bias. */
  int(n: number): number {
    if (!(n >= 1 && n <= 4294967296 && Number.isInteger(n))) {
      throw new ValueError(`n must be an integer in [1, 2^32], got ${describe(n)}`, 'n');
    }
    if (n === 4294967296) return this.nextUint32();
    const limit = 4294967296 - (4294967296 % n);
    for (;;) {
      const x = this.nextUint32();
      if (x < limit) return x % n;
    }
  }

  /** Fills `out` with uniforms in [low, high) and returns it. */
  fillUniform<T extends Float64Array | Float32Array>(out: T, low = 0, high = 1): T {
    checkOut(out);
    checkInterval(low, high);
    const w = high - low;
    for (let i = 0; i < out.length; i++) out[i] = low + w * this.uniform();
    return out;
  }

  /**
   * Fills `out` with normals N(mean, std²) and returns it. Bit-identical to calling
   * {@link Rng.normal} `out.length` times (then `mean + std · z` in float64, stored once).
   */
  fillNormal<T extends Float64Array | Float32Array>(out: T, mean = 0, std = 1): T {
    checkOut(out);
    if (typeof mean !== 'number' || !Number.isFinite(mean))
      throw new ValueError(`mean must be a finite number, got ${describe(mean)}`, 'mean');
    if (typeof std !== 'number' || !(std >= 0) || !Number.isFinite(std)) {
      throw new ValueError(`std must be a finite number >= 0, got ${describe(std)}`, 'std');
    }
    if (mean === 0 && std === 1) {
      this.fillStandardNormal(out);
      return out;
    }
    // the affine map in float64, then one store: the same bits as `out[i] = mean + std * normal()`
    const z = out instanceof Float64Array ? out : new Float64Array(out.length);
    this.fillStandardNormal(z);
    for (let i = 0; i < out.length; i++) out[i] = mean + std * z[i];
    return out;
  }

  /** The ziggurat hot loop: standard normals, xoshiro128** inlined twice per draw. */
  private fillStandardNormal(out: Float64Array | Float32Array): void {
    const n = out.length;
    // bulk: the same loop as a wasm kernel (bit-identical; see blas/kernels.zigguratFill)
    if (n >= 256) {
      const st = Int32Array.of(this.s0, this.s1, this.s2, this.s3);
      if (zigguratFill(out, st, KN, WN, FN)) {
        this.s0 = st[0];
        this.s1 = st[1];
        this.s2 = st[2];
        this.s3 = st[3];
        return;
      }
    }
    let i = 0;
    while (i < n) {
      // state in int32 locals; the tight loop inlines xoshiro128** twice per draw and leaves
      // only on a rejection (~2.7% of draws), handled out of line below
      let s0 = this.s0 | 0;
      let s1 = this.s1 | 0;
      let s2 = this.s2 | 0;
      let s3 = this.s3 | 0;
      let hz = 0;
      let iz = 0;
      for (; i < n; i++) {
        // word 1 -> value
        let r = Math.imul(s1, 5);
        hz = Math.imul((r << 7) | (r >>> 25), 9);
        let t = s1 << 9;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = (s3 << 11) | (s3 >>> 21);
        // word 2 -> layer
        r = Math.imul(s1, 5);
        iz = Math.imul((r << 7) | (r >>> 25), 9) & 127;
        t = s1 << 9;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = (s3 << 11) | (s3 >>> 21);
        const ahz = hz < 0 ? -hz : hz;
        if (ahz >= KN[iz]) break;
        out[i] = hz * WN[iz];
      }
      this.s0 = s0;
      this.s1 = s1;
      this.s2 = s2;
      this.s3 = s3;
      if (i < n) out[i++] = this.normalSlow(hz, iz);
    }
  }

  /** The rare path of the ziggurat (wedge or tail test, redraw on rejection). */
  private normalSlow(hz: number, iz: number): number {
    const x = this.normalTail(hz, iz);
    return x === null ? this.normal() : x;
  }

  /** `n` uniforms in [low, high) as a Float64Array (or Float32Array with `dtype: 'float32'`). */
  uniformArray(
    n: number,
    options: { low?: number; high?: number; dtype?: 'float32' | 'float64' } = {},
  ): Float64Array | Float32Array {
    const {
      low = 0,
      high = 1,
      dtype = 'float64',
    } = readOptions<{ low?: number; high?: number; dtype?: 'float32' | 'float64' }>(options);
    if (dtype !== 'float32' && dtype !== 'float64')
      throw new ValueError(`dtype must be 'float32' or 'float64', got ${describe(dtype)}`, 'dtype');
    assertInteger('n', n, 0, MAX_DRAWS);
    return this.fillUniform(dtype === 'float32' ? new Float32Array(n) : new Float64Array(n), low, high);
  }

  /** `n` normals N(mean, std²) as a Float64Array. */
  normalArray(n: number, mean = 0, std = 1): Float64Array {
    assertInteger('n', n, 0, MAX_DRAWS);
    return this.fillNormal(new Float64Array(n), mean, std);
  }

  /** `n` normals N(mean, std²) as a Float32Array. */
  normalArray32(n: number, mean = 0, std = 1): Float32Array {
    assertInteger('n', n, 0, MAX_DRAWS);
    return this.fillNormal(new Float32Array(n), mean, std);
  }

  /** A uniformly random permutation of 0..n-1 (Fisher–Yates). */
  permutation(n: number): Int32Array {
    assertInteger('n', n, 0, MAX_DRAWS);
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    return this.shuffle(p);
  }

  /** Shuffles `arr` in place (Fisher–Yates) and returns it. */
  shuffle<T extends { length: number; [i: number]: unknown }>(arr: T): T {
    if (arr === null || typeof arr !== 'object' || !Number.isInteger(arr.length) || arr.length < 0) {
      throw new ValueError(`arr must be an array or a typed array, got ${describe(arr)}`, 'arr');
    }
    for (let i = arr.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = arr[i];
      arr[i] = arr[j];
      arr[j] = tmp;
    }
    return arr;
  }

  /**
   * `k` indices from 0..n-1: without replacement by default (a partial Fisher–Yates), with
   * replacement if `replace`, and with probabilities `p` (inverse CDF; without replacement by
   * sequential renormalisation).
   */
  choice(n: number, k: number, options: ChoiceOptions = {}): Int32Array {
    const { replace = false, p } = readOptions<ChoiceOptions>(options);
    if (typeof replace !== 'boolean')
      throw new ValueError(`replace must be true or false, got ${describe(replace)}`, 'replace');
    assertInteger('n', n, 0, MAX_DRAWS);
    assertInteger('k', k, 0, MAX_DRAWS);
    if (!replace && k > n) throw new ValueError(`k must be <= n = ${n} without replacement, got ${k}`, 'k');
    const out = new Int32Array(k);
    if (p === undefined) {
      if (replace) {
        for (let i = 0; i < k; i++) out[i] = this.int(n);
        return out;
      }
      const idx = new Int32Array(n);
      for (let i = 0; i < n; i++) idx[i] = i;
      for (let i = 0; i < k; i++) {
        const j = i + this.int(n - i);
        const tmp = idx[i];
        idx[i] = idx[j];
        idx[j] = tmp;
        out[i] = idx[i];
      }
      return out;
    }
    if (p.length !== n) throw new ValueError(`p must have length n = ${n}, got ${p.length}`, 'p');
    const w = Float64Array.from(p);
    let total = 0;
    for (let i = 0; i < n; i++) {
      if (!(w[i] >= 0) || !Number.isFinite(w[i]))
        throw new ValueError(`p must be finite and >= 0, got ${describe(w[i])} at index ${i}`, 'p');
      total += w[i];
    }
    if (!(total > 0)) throw new ValueError('p must have a positive sum', 'p');
    for (let s = 0; s < k; s++) {
      let u = this.uniform() * total;
      let pick = n - 1;
      for (let i = 0; i < n; i++) {
        u -= w[i];
        if (u < 0 && w[i] > 0) {
          pick = i;
          break;
        }
      }
      while (w[pick] === 0 && pick > 0) pick--;
      out[s] = pick;
      if (!replace) {
        total -= w[pick];
        w[pick] = 0;
        if (s + 1 < k && !(total > 0))
          throw new ValueError(`p has fewer than k = ${k} non-zero entries`, 'p');
      }
    }
    return out;
  }
}

/** Shorthand for `new Rng(seed)`. */
export function rng(seed: KeyPart = 0): Rng {
  return new Rng(seed);
}
