/**
 * Float64 SIMD (wasm f64x2) kernels for the two products of every WF iteration, y ← A z and
 * g ← Aᵀ r on a row-major float64 matrix, as a hand-assembled WebAssembly module (no toolchain,
 * no dependency). The per-iteration cost of V8's scalar loops is compute-bound (fusing the two
 * passes or storing A in float32 measured no gain); 2-lane SIMD is what moves it.
 * Falls back to `null` (callers use the JavaScript loops) where wasm SIMD is unavailable.
 * @module
 */

const I32 = 0x7f;
const F64 = 0x7c;
const V128 = 0x7b;

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

const get = (i: number) => [0x20, ...uleb(i)];
const set = (i: number) => [0x21, ...uleb(i)];
const tee = (i: number) => [0x22, ...uleb(i)];
const i32c = (v: number) => [0x41, ...sleb(v)];
const ADD = 0x6a;
const SHL = 0x74;
const LT_U = 0x49;
const GT_U = 0x4b;
const EQZ = 0x45;
const f64load = [0x2b, 0x03, 0x00];
const f64store = [0x39, 0x03, 0x00];
const v128load = [0xfd, 0x00, 0x03, 0x00];
const v128load16 = [0xfd, 0x00, 0x03, 0x10];
const v128store = [0xfd, 0x0b, 0x03, 0x00];
const v128zero = [0xfd, 0x0c, ...new Array(16).fill(0)];
const splat = [0xfd, 0x14];
const lane = (k: number) => [0xfd, 0x21, k];
const vadd = [0xfd, 0xf0, 0x01];
const vmul = [0xfd, 0xf2, 0x01];
const F_ADD = 0xa0;
const F_MUL = 0xa2;
const F_SUB = 0xa1;
const BLOCK = [0x02, 0x40];
const LOOP = [0x03, 0x40];
const IF = [0x04, 0x40];
const END = 0x0b;
const br = (d: number) => [0x0c, d];
const brIf = (d: number) => [0x0d, d];

// params: 0 A, 1 vec, 2 out, 3 m, 4 n (byte offsets / counts); locals: 5 i, 6 jb, 7 row, 8 nb, 9 v128, 10 f64, 11 v128
const prologue = [...get(4), ...i32c(3), SHL, ...set(8), ...get(0), ...set(7), ...i32c(0), ...set(5)];
const innerHead = [...get(6), ...i32c(16), ADD, ...get(8), GT_U, ...brIf(1)];
const advance = [...get(6), ...i32c(16), ADD, ...set(6), ...br(0)];
const rowTail = [
  ...get(7),
  ...get(8),
  ADD,
  ...set(7),
  ...get(5),
  ...i32c(1),
  ADD,
  ...tee(5),
  ...get(3),
  LT_U,
  ...brIf(0),
];

/** out[i] = Σ_j A[i, j] vec[j] (two f64x2 accumulators over 32-byte steps, then one 16-byte step, then a scalar tail) */
const applyBody = [
  ...prologue,
  ...BLOCK,
  ...get(3),
  EQZ,
  ...brIf(0),
  ...LOOP,
  ...v128zero,
  ...set(9),
  ...v128zero,
  ...set(11),
  ...i32c(0),
  ...set(6),
  ...BLOCK,
  ...LOOP,
  ...get(6),
  ...i32c(32),
  ADD,
  ...get(8),
  GT_U,
  ...brIf(1),
  ...get(9),
  ...get(7),
  ...get(6),
  ADD,
  ...v128load,
  ...get(1),
  ...get(6),
  ADD,
  ...v128load,
  ...vmul,
  ...vadd,
  ...set(9),
  ...get(11),
  ...get(7),
  ...get(6),
  ADD,
  ...v128load16,
  ...get(1),
  ...get(6),
  ADD,
  ...v128load16,
  ...vmul,
  ...vadd,
  ...set(11),
  ...get(6),
  ...i32c(32),
  ADD,
  ...set(6),
  ...br(0),
  END,
  END,
  ...get(9),
  ...get(11),
  ...vadd,
  ...set(9),
  ...BLOCK,
  ...LOOP,
  ...innerHead,
  ...get(9),
  ...get(7),
  ...get(6),
  ADD,
  ...v128load,
  ...get(1),
  ...get(6),
  ADD,
  ...v128load,
  ...vmul,
  ...vadd,
  ...set(9),
  ...advance,
  END,
  END,
  ...get(9),
  ...lane(0),
  ...get(9),
  ...lane(1),
  F_ADD,
  ...set(10),
  ...get(6),
  ...get(8),
  LT_U,
  ...IF,
  ...get(10),
  ...get(7),
  ...get(6),
  ADD,
  ...f64load,
  ...get(1),
  ...get(6),
  ADD,
  ...f64load,
  F_MUL,
  F_ADD,
  ...set(10),
  END,
  ...get(2),
  ...get(5),
  ...i32c(3),
  SHL,
  ADD,
  ...get(10),
  ...f64store,
  ...rowTail,
  END,
  END,
  END,
];

/** out[j] += Σ_i vec[i] A[i, j] (out must be zeroed by the caller) */
const applyTBody = [
  ...prologue,
  ...BLOCK,
  ...get(3),
  EQZ,
  ...brIf(0),
  ...LOOP,
  ...get(1),
  ...get(5),
  ...i32c(3),
  SHL,
  ADD,
  ...f64load,
  ...splat,
  ...set(9),
  ...i32c(0),
  ...set(6),
  ...BLOCK,
  ...LOOP,
  ...innerHead,
  ...get(2),
  ...get(6),
  ADD,
  ...get(2),
  ...get(6),
  ADD,
  ...v128load,
  ...get(9),
  ...get(7),
  ...get(6),
  ADD,
  ...v128load,
  ...vmul,
  ...vadd,
  ...v128store,
  ...advance,
  END,
  END,
  ...get(6),
  ...get(8),
  LT_U,
  ...IF,
  ...get(2),
  ...get(6),
  ADD,
  ...get(2),
  ...get(6),
  ADD,
  ...f64load,
  ...get(9),
  ...lane(0),
  ...get(7),
  ...get(6),
  ADD,
  ...f64load,
  F_MUL,
  F_ADD,
  ...f64store,
  END,
  ...rowTail,
  END,
  END,
  END,
];

// fused WF gradient: params 0 A, 1 z, 2 g, 3 m, 4 n, 5 y, 6 Az (out), 7 scale (f64)
// locals: 8 i, 9 jb, 10 row, 11 nb (i32), 12 acc0, 13 acc1 (v128), 14 d (f64), 15 cvec (v128)
const fg = (i: number) => get(i);
const fusedBody = [
  ...fg(4),
  ...i32c(3),
  SHL,
  ...set(11),
  ...fg(0),
  ...set(10),
  ...i32c(0),
  ...set(8),
  ...BLOCK,
  ...fg(3),
  EQZ,
  ...brIf(0),
  ...LOOP,
  // d = a_iᵀz (two accumulators)
  ...v128zero,
  ...set(12),
  ...v128zero,
  ...set(13),
  ...i32c(0),
  ...set(9),
  ...BLOCK,
  ...LOOP,
  ...fg(9),
  ...i32c(32),
  ADD,
  ...fg(11),
  GT_U,
  ...brIf(1),
  ...fg(12),
  ...fg(10),
  ...fg(9),
  ADD,
  ...v128load,
  ...fg(1),
  ...fg(9),
  ADD,
  ...v128load,
  ...vmul,
  ...vadd,
  ...set(12),
  ...fg(13),
  ...fg(10),
  ...fg(9),
  ADD,
  ...v128load16,
  ...fg(1),
  ...fg(9),
  ADD,
  ...v128load16,
  ...vmul,
  ...vadd,
  ...set(13),
  ...fg(9),
  ...i32c(32),
  ADD,
  ...set(9),
  ...br(0),
  END,
  END,
  ...fg(12),
  ...fg(13),
  ...vadd,
  ...set(12),
  ...BLOCK,
  ...LOOP,
  ...fg(9),
  ...i32c(16),
  ADD,
  ...fg(11),
  GT_U,
  ...brIf(1),
  ...fg(12),
  ...fg(10),
  ...fg(9),
  ADD,
  ...v128load,
  ...fg(1),
  ...fg(9),
  ADD,
  ...v128load,
  ...vmul,
  ...vadd,
  ...set(12),
  ...fg(9),
  ...i32c(16),
  ADD,
  ...set(9),
  ...br(0),
  END,
  END,
  ...fg(12),
  ...lane(0),
  ...fg(12),
  ...lane(1),
  F_ADD,
  ...set(14),
  ...fg(9),
  ...fg(11),
  LT_U,
  ...IF,
  ...fg(14),
  ...fg(10),
  ...fg(9),
  ADD,
  ...f64load,
  ...fg(1),
  ...fg(9),
  ADD,
  ...f64load,
  F_MUL,
  F_ADD,
  ...set(14),
  END,
  // Az[i] = d
  ...fg(6),
  ...fg(8),
  ...i32c(3),
  SHL,
  ADD,
  ...fg(14),
  ...f64store,
  // cvec = splat(((d·d − y_i)·d)·scale)
  ...fg(14),
  ...fg(14),
  F_MUL,
  ...fg(5),
  ...fg(8),
  ...i32c(3),
  SHL,
  ADD,
  ...f64load,
  F_SUB,
  ...fg(14),
  F_MUL,
  ...fg(7),
  F_MUL,
  ...splat,
  ...set(15),
  // g += cvec · a_i
  ...i32c(0),
  ...set(9),
  ...BLOCK,
  ...LOOP,
  ...fg(9),
  ...i32c(16),
  ADD,
  ...fg(11),
  GT_U,
  ...brIf(1),
  ...fg(2),
  ...fg(9),
  ADD,
  ...fg(2),
  ...fg(9),
  ADD,
  ...v128load,
  ...fg(15),
  ...fg(10),
  ...fg(9),
  ADD,
  ...v128load,
  ...vmul,
  ...vadd,
  ...v128store,
  ...fg(9),
  ...i32c(16),
  ADD,
  ...set(9),
  ...br(0),
  END,
  END,
  ...fg(9),
  ...fg(11),
  LT_U,
  ...IF,
  ...fg(2),
  ...fg(9),
  ADD,
  ...fg(2),
  ...fg(9),
  ADD,
  ...f64load,
  ...fg(15),
  ...lane(0),
  ...fg(10),
  ...fg(9),
  ADD,
  ...f64load,
  F_MUL,
  F_ADD,
  ...f64store,
  END,
  ...fg(10),
  ...fg(11),
  ADD,
  ...set(10),
  ...fg(8),
  ...i32c(1),
  ADD,
  ...tee(8),
  ...fg(3),
  LT_U,
  ...brIf(0),
  END,
  END,
  END,
];

// ---------- float32 variants (f32x4) on a float32 copy of A ----------
const f32load = [0x2a, 0x02, 0x00];
const f32store = [0x38, 0x02, 0x00];
const splat32 = [0xfd, 0x13];
const lane32 = (k: number) => [0xfd, 0x1f, k];
const vadd32 = [0xfd, 0xe4, 0x01];
const vmul32 = [0xfd, 0xe6, 0x01];
const F32_ADD = 0x92;
const F32_MUL = 0x94;
const PROMOTE = 0xbb;
const prologue32 = [...get(4), ...i32c(2), SHL, ...set(8), ...get(0), ...set(7), ...i32c(0), ...set(5)];
const stepHead = (bytes: number) => [...get(6), ...i32c(bytes), ADD, ...get(8), GT_U, ...brIf(1)];
const stepAdvance = (bytes: number) => [...get(6), ...i32c(bytes), ADD, ...set(6), ...br(0)];
const at = (base: number) => [...get(base), ...get(6), ADD];

/** out[i] (f64) = Σ_j A[i, j] vec[j] with A, vec float32 (f32x4, two accumulators) */
const apply32Body = [
  ...prologue32,
  ...BLOCK,
  ...get(3),
  EQZ,
  ...brIf(0),
  ...LOOP,
  ...v128zero,
  ...set(9),
  ...v128zero,
  ...set(11),
  ...i32c(0),
  ...set(6),
  ...BLOCK,
  ...LOOP,
  ...stepHead(32),
  ...get(9),
  ...at(7),
  ...v128load,
  ...at(1),
  ...v128load,
  ...vmul32,
  ...vadd32,
  ...set(9),
  ...get(11),
  ...at(7),
  ...v128load16,
  ...at(1),
  ...v128load16,
  ...vmul32,
  ...vadd32,
  ...set(11),
  ...stepAdvance(32),
  END,
  END,
  ...get(9),
  ...get(11),
  ...vadd32,
  ...set(9),
  ...BLOCK,
  ...LOOP,
  ...stepHead(16),
  ...get(9),
  ...at(7),
  ...v128load,
  ...at(1),
  ...v128load,
  ...vmul32,
  ...vadd32,
  ...set(9),
  ...stepAdvance(16),
  END,
  END,
  ...get(9),
  ...lane32(0),
  PROMOTE,
  ...get(9),
  ...lane32(1),
  PROMOTE,
  F_ADD,
  ...get(9),
  ...lane32(2),
  PROMOTE,
  F_ADD,
  ...get(9),
  ...lane32(3),
  PROMOTE,
  F_ADD,
  ...set(10),
  ...BLOCK,
  ...LOOP,
  ...stepHead(4),
  ...get(10),
  ...at(7),
  ...f32load,
  ...at(1),
  ...f32load,
  F32_MUL,
  PROMOTE,
  F_ADD,
  ...set(10),
  ...stepAdvance(4),
  END,
  END,
  ...get(2),
  ...get(5),
  ...i32c(3),
  SHL,
  ADD,
  ...get(10),
  ...f64store,
  ...rowTail,
  END,
  END,
  END,
];

/** out[j] (f32) += Σ_i vec[i] A[i, j] with A, vec float32 (out zeroed by the caller) */
const applyT32Body = [
  ...prologue32,
  ...BLOCK,
  ...get(3),
  EQZ,
  ...brIf(0),
  ...LOOP,
  ...get(1),
  ...get(5),
  ...i32c(2),
  SHL,
  ADD,
  ...f32load,
  ...splat32,
  ...set(9),
  ...i32c(0),
  ...set(6),
  ...BLOCK,
  ...LOOP,
  ...stepHead(16),
  ...at(2),
  ...at(2),
  ...v128load,
  ...get(9),
  ...at(7),
  ...v128load,
  ...vmul32,
  ...vadd32,
  ...v128store,
  ...stepAdvance(16),
  END,
  END,
  ...BLOCK,
  ...LOOP,
  ...stepHead(4),
  ...at(2),
  ...at(2),
  ...f32load,
  ...get(9),
  ...lane32(0),
  ...at(7),
  ...f32load,
  F32_MUL,
  F32_ADD,
  ...f32store,
  ...stepAdvance(4),
  END,
  END,
  ...rowTail,
  END,
  END,
  END,
];

function section(id: number, payload: number[]): number[] {
  return [id, ...uleb(payload.length), ...payload];
}

function func(body: number[], locals = [0x04, ...uleb(4), I32, 0x01, V128, 0x01, F64, 0x01, V128]): number[] {
  const all = [...locals, ...body];
  return [...uleb(all.length), ...all];
}

const fusedLocals = [0x04, 0x04, I32, 0x02, V128, 0x01, F64, 0x01, V128];

function str(s: string): number[] {
  return [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];
}

function moduleBytes(): Uint8Array {
  const type = [
    0x02,
    0x60,
    0x05,
    I32,
    I32,
    I32,
    I32,
    I32,
    0x00,
    0x60,
    0x08,
    I32,
    I32,
    I32,
    I32,
    I32,
    I32,
    I32,
    F64,
    0x00,
  ];
  const bytes = [
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...section(1, type),
    ...section(3, [0x05, 0x00, 0x00, 0x01, 0x00, 0x00]),
    ...section(5, [0x01, 0x00, 0x01]),
    ...section(7, [
      0x06,
      ...str('mem'),
      0x02,
      0x00,
      ...str('apply'),
      0x00,
      0x00,
      ...str('applyT'),
      0x00,
      0x01,
      ...str('wfGrad'),
      0x00,
      0x02,
      ...str('apply32'),
      0x00,
      0x03,
      ...str('applyT32'),
      0x00,
      0x04,
    ]),
    ...section(10, [
      0x05,
      ...func(applyBody),
      ...func(applyTBody),
      ...func(fusedBody, fusedLocals),
      ...func(apply32Body),
      ...func(applyT32Body),
    ]),
  ];
  return Uint8Array.from(bytes);
}

/** The slice of the WebAssembly JS API used here (the repo's TS lib has no DOM types). */
interface WasmMemory {
  buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}
const WA: WasmApi | undefined = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

let compiled: object | null | undefined;

/** The compiled module, or null if this runtime lacks wasm SIMD. */
function getModule(): object | null {
  if (compiled !== undefined) return compiled;
  try {
    const bytes = moduleBytes();
    compiled = WA?.validate(bytes) ? new WA.Module(bytes) : null;
  } catch {
    compiled = null;
  }
  return compiled;
}

/** True if the SIMD kernels can run here. */
export function simdAvailable(): boolean {
  return getModule() !== null;
}

/** A float64 m × n matrix resident in a wasm instance, with SIMD products. */
export interface SimdMatrix {
  /** out ← A z */
  apply(z: Float64Array, out: Float64Array): Float64Array;
  /** out ← Aᵀ r */
  applyT(r: Float64Array, out: Float64Array): Float64Array;
  /**
   * One pass over A (each row stays in L1): Az ← A z and g ← scale · Σ_i ((a_iᵀz)² − y_i)(a_iᵀz) a_i,
   * the WF gradient with scale = 1/m. `y` must have been set with {@link SimdMatrix.setResponses}.
   */
  wfGradient(z: Float64Array, scale: number, Az: Float64Array, g: Float64Array): void;
  /** Copies y into the instance for {@link SimdMatrix.wfGradient}. */
  setResponses(y: Float64Array): void;
}

/** Copies `data` (row-major m × n) into a fresh wasm instance; null if SIMD is unavailable. */
export function makeSimdMatrix(data: Float64Array, m: number, n: number): SimdMatrix | null {
  const mod = getModule();
  if (!mod || !WA) return null;
  const inst = new WA.Instance(mod, {});
  const mem = inst.exports.mem as WasmMemory;
  const apply = inst.exports.apply as (a: number, v: number, o: number, m: number, n: number) => void;
  const applyT = inst.exports.applyT as (a: number, v: number, o: number, m: number, n: number) => void;
  const wfGrad = inst.exports.wfGrad as (
    a: number,
    z: number,
    g: number,
    m: number,
    n: number,
    y: number,
    az: number,
    scale: number,
  ) => void;
  const aOff = 0;
  const vOff = aOff + m * n * 8;
  const oOff = vOff + Math.max(m, n) * 8;
  const yOff = oOff + Math.max(m, n) * 8;
  const azOff = yOff + m * 8;
  const bytes = azOff + m * 8;
  const pages = Math.ceil(bytes / 65536);
  if (pages > 1) mem.grow(pages - 1);
  new Float64Array(mem.buffer, aOff, m * n).set(data);
  const vIn = new Float64Array(mem.buffer, vOff, Math.max(m, n));
  const vOut = new Float64Array(mem.buffer, oOff, Math.max(m, n));
  const yIn = new Float64Array(mem.buffer, yOff, m);
  const azOut = new Float64Array(mem.buffer, azOff, m);
  return {
    setResponses(y) {
      yIn.set(y);
    },
    wfGradient(z, scale, Az, g) {
      vIn.set(z);
      vOut.fill(0, 0, n);
      wfGrad(aOff, vOff, oOff, m, n, yOff, azOff, scale);
      Az.set(azOut);
      g.set(vOut.subarray(0, n));
    },
    apply(z, out) {
      vIn.set(z);
      apply(aOff, vOff, oOff, m, n);
      out.set(vOut.subarray(0, m));
      return out;
    },
    applyT(r, out) {
      vIn.set(r);
      vOut.fill(0, 0, n);
      applyT(aOff, vOff, oOff, m, n);
      out.set(vOut.subarray(0, n));
      return out;
    },
  };
}

/**
 * A float32 copy of the m × n matrix in a wasm instance with f32x4 products (4 lanes, half the memory
 * traffic of float64); float32 accuracy (relative ≈ 1e-7 per product). Null if SIMD is unavailable.
 */
export function makeSimdMatrix32(
  data: Float64Array,
  m: number,
  n: number,
): Pick<SimdMatrix, 'apply' | 'applyT'> | null {
  const mod = getModule();
  if (!mod || !WA) return null;
  const inst = new WA.Instance(mod, {});
  const mem = inst.exports.mem as WasmMemory;
  const apply32 = inst.exports.apply32 as (a: number, v: number, o: number, m: number, n: number) => void;
  const applyT32 = inst.exports.applyT32 as (a: number, v: number, o: number, m: number, n: number) => void;
  const up16 = (b: number) => Math.ceil(b / 16) * 16;
  const k = Math.max(m, n);
  const aOff = 0;
  const vOff = up16(m * n * 4);
  const oOff = up16(vOff + k * 4);
  const tOff = up16(oOff + m * 8);
  const bytes = tOff + n * 4 + 16;
  const pages = Math.ceil(bytes / 65536);
  if (pages > 1) mem.grow(pages - 1);
  new Float32Array(mem.buffer, aOff, m * n).set(data);
  const vIn = new Float32Array(mem.buffer, vOff, k);
  const out64 = new Float64Array(mem.buffer, oOff, m);
  const out32 = new Float32Array(mem.buffer, tOff, n);
  return {
    apply(z, out) {
      vIn.set(z);
      apply32(aOff, vOff, oOff, m, n);
      out.set(out64);
      return out;
    },
    applyT(r, out) {
      vIn.set(r);
      out32.fill(0);
      applyT32(aOff, vOff, tOff, m, n);
      out.set(out32);
      return out;
    },
  };
}
