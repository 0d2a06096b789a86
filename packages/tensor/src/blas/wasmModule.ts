/**
 * Loading the wasm SIMD kernels (built from `wasm/kernels.ts`, embedded in
 * `generated/kernelsWasm.ts`): validation, compilation, the relaxed-SIMD opt-in and the async
 * initialisation browsers need.
 *
 * - **Node**: the module compiles synchronously on first use. Relaxed SIMD (FMA) is used when
 *   the engine validates it: Node 20 does so only with `--experimental-wasm-relaxed-simd` or
 *   after {@link enableRelaxedSimd} (an explicit call; nothing here changes V8 flags by itself).
 * - **Browsers**: Chrome refuses synchronous compilation of modules over 4 KB on the main thread.
 *   The first use then starts an asynchronous compile and the kernels run in JavaScript until it
 *   is done; `await initKernels()` at start-up makes the wasm kernels available from the first
 *   call. Browsers that ship relaxed SIMD get it by default.
 * - Without wasm SIMD at all, every kernel runs its JavaScript fallback.
 * @module
 */
import { KERNELS_RELAXED_BASE64, KERNELS_SIMD_BASE64 } from './generated/kernelsWasm';

/** The slice of the WebAssembly JS API used here (the repo's TS lib has no DOM types). */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
/** @internal */
export interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
  compile(bytes: Uint8Array): Promise<object>;
}
const WA: WasmApi | undefined = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

/**
 * The packed matrix–vector kernels (wasm/packedGemv.mjs), exported by the kernel module and by the
 * shared-memory module of the kernel threads (pointers are byte offsets into the memory).
 */
export interface PackedKernelExports {
  dpgemv(m4: number, n4: number, ap: number, z: number, az: number): void;
  dpgemvT(m4: number, n4: number, ap: number, r: number, g: number): void;
  dpwfgrad(
    m4: number,
    n4: number,
    ap: number,
    z: number,
    y: number,
    scale: number,
    az: number,
    g: number,
  ): void;
}

/** The exported kernels of one instance (pointers are byte offsets into `memory`). */
export interface KernelExports extends PackedKernelExports {
  memory: WasmMemory;
  relaxed(): number;
  ddot(n: number, x: number, y: number): number;
  daxpy(n: number, alpha: number, x: number, y: number): void;
  dscal(n: number, alpha: number, x: number): void;
  dgemv(
    m: number,
    n: number,
    alpha: number,
    a: number,
    lda: number,
    x: number,
    beta: number,
    y: number,
  ): void;
  dgemvT(
    m: number,
    n: number,
    alpha: number,
    a: number,
    lda: number,
    x: number,
    beta: number,
    y: number,
  ): void;
  dger(m: number, n: number, alpha: number, x: number, y: number, a: number, lda: number): void;
  dwfgrad(
    m: number,
    n: number,
    a: number,
    lda: number,
    z: number,
    y: number,
    scale: number,
    az: number,
    g: number,
  ): void;
  dhermitegrad(
    B: number,
    d: number,
    m: number,
    w: number,
    x: number,
    y: number,
    K: number,
    c: number,
    dc: number,
    sq: number,
    isq: number,
    loss: number,
    a: number,
    a0: number,
    g: number,
    ga: number,
    scratch: number,
  ): number;
  dsymvl(m: number, a: number, lda: number, x: number, y: number): void;
  dsecular(
    k: number,
    d: number,
    z2: number,
    rho: number,
    zz: number,
    origin: number,
    tau: number,
    delta: number,
  ): number;
  dsecvec(
    k: number,
    d: number,
    z: number,
    origin: number,
    tau: number,
    rho: number,
    zhat: number,
    u: number,
  ): void;
  // O (FORKS): src/blas/onsKernels.ts
  dgemvtord(m: number, n: number, a: number, x: number, y: number): void;
  dons(
    k: number,
    w: number,
    ainv: number,
    phi: number,
    gamma: number,
    bound: number,
    guard: number,
    s: number,
    a: number,
    out: number,
  ): number;
  dsyr2l(m: number, alpha: number, x: number, y: number, a: number, lda: number): void;
  dtrsmrlt(m: number, nb: number, l: number, ldl: number, b: number, ldb: number): void;
  dexpneg(len: number, u: number, scale: number, out: number): void;
  drbfsym(n: number, u: number, scale: number, k: number, rows: number): void;
  dtql2(
    n: number,
    d: number,
    e: number,
    w: number,
    width: number,
    ldw: number,
    maxIter: number,
    rc: number,
    rs: number,
  ): number;
  dtred2(n: number, w: number, d: number, e: number, wantVectors: number): void;
  dpdistu(n: number, d: number, x: number, out: number): void;
  dlupanel(n: number, a: number, lda: number, k0: number, nb: number, ipiv: number): number;
  dtrsmllu(nb: number, w: number, l: number, ldl: number, b: number, ldb: number): void;
  dhermiteforward(
    B: number,
    d: number,
    m: number,
    w: number,
    x: number,
    K: number,
    c: number,
    sq: number,
    isq: number,
    out: number,
    scratch: number,
  ): void;
  drotchainql(w: number, width: number, ldw: number, lo: number, hi: number, rc: number, rs: number): void;
  drotchainsvd(w: number, width: number, ldw: number, lo: number, hi: number, rc: number, rs: number): void;
  zigfill(out: number, n: number, st: number, kn: number, wn: number, fn: number): void;
  dsphericalstep(m: number, d: number, w: number, g: number, lr: number, tangent: number): void;
  dteacherstudent(
    B: number,
    d: number,
    st: number,
    kn: number,
    wn: number,
    fn: number,
    x: number,
    y: number,
    P: number,
    v: number,
    Kt: number,
    ct: number,
    m: number,
    w: number,
    K: number,
    c: number,
    dc: number,
    sq: number,
    isq: number,
    loss: number,
    a0: number,
    g: number,
    lr: number,
    tangent: number,
    scratch: number,
  ): number;
  dgemmWorkSize(): number;
  dgemm(
    ta: number,
    tb: number,
    m: number,
    n: number,
    k: number,
    alpha: number,
    a: number,
    lda: number,
    b: number,
    ldb: number,
    beta: number,
    c: number,
    ldc: number,
    work: number,
  ): void;
  sgemv(
    m: number,
    n: number,
    alpha: number,
    a: number,
    lda: number,
    x: number,
    beta: number,
    y: number,
  ): void;
  sgemvT(
    m: number,
    n: number,
    alpha: number,
    a: number,
    lda: number,
    x: number,
    beta: number,
    y: number,
  ): void;
  sger(m: number, n: number, alpha: number, x: number, y: number, a: number, lda: number): void;
  sgemmWorkSize(): number;
  sgemmpb(
    ta: number,
    m: number,
    n: number,
    k: number,
    alpha: number,
    a: number,
    lda: number,
    bp: number,
    beta: number,
    c: number,
    ldc: number,
    work: number,
  ): void;
  sgemm(
    ta: number,
    tb: number,
    m: number,
    n: number,
    k: number,
    alpha: number,
    a: number,
    lda: number,
    b: number,
    ldb: number,
    beta: number,
    c: number,
    ldc: number,
    work: number,
  ): void;
}

/** Which implementation the kernels run on. */
export type KernelMode = 'wasm-relaxed-simd' | 'wasm-simd' | 'js' | 'js-pending-async-compile';

/** What {@link kernelInfo} reports. */
export interface KernelInfo {
  /** `wasm-relaxed-simd` (FMA), `wasm-simd`, `js` (no wasm SIMD here) or `js-pending-async-compile` (browser, until compiled). */
  mode: KernelMode;
  /** Why the mode is not the best one, when it is not. */
  note?: string;
}

/** Bytes of a base64 string (the embedded binaries). @internal */
export function decode(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** The host functions the kernels import (the ziggurat's exp/log: the same bits as src/rng.ts). */
const IMPORTS = { env: { exp: Math.exp, log: Math.log } };

let bytesSimd: Uint8Array | undefined;
let bytesRelaxed: Uint8Array | undefined;
let compiled: { module: object; relaxed: boolean } | null | undefined;
let pending: Promise<void> | null = null;
let note: string | undefined;

function chooseBytes(): { bytes: Uint8Array; relaxed: boolean } | null {
  if (!WA) return null;
  bytesRelaxed ??= decode(KERNELS_RELAXED_BASE64);
  try {
    if (WA.validate(bytesRelaxed)) return { bytes: bytesRelaxed, relaxed: true };
  } catch {
    // fall through to plain SIMD
  }
  bytesSimd ??= decode(KERNELS_SIMD_BASE64);
  try {
    if (WA.validate(bytesSimd)) return { bytes: bytesSimd, relaxed: false };
  } catch {
    // no SIMD
  }
  return null;
}

/** The compiled module, or null (JavaScript fallback). Compiles synchronously where allowed. */
export function kernelModule(): { module: object; relaxed: boolean } | null {
  if (compiled !== undefined) return compiled;
  if (pending) return null;
  const choice = chooseBytes();
  if (!choice || !WA) {
    note = 'this runtime has no wasm SIMD';
    compiled = null;
    return null;
  }
  try {
    compiled = { module: new WA.Module(choice.bytes), relaxed: choice.relaxed };
  } catch {
    // e.g. Chrome's 4 KB limit on synchronous compilation on the main thread: compile
    // asynchronously and use the JavaScript kernels meanwhile
    note = 'synchronous wasm compilation refused here; compiling asynchronously (await initKernels())';
    void initKernels();
    return null;
  }
  return compiled;
}

/**
 * Compiles the wasm kernels asynchronously (allowed everywhere, including a browser's main
 * thread) and resolves with the mode in use. Calling it is optional in Node; in browsers, await
 * it once at start-up so that the first kernel calls already run in wasm.
 */
export function initKernels(): Promise<KernelInfo> {
  if (compiled !== undefined) return Promise.resolve(kernelInfo());
  if (!pending) {
    const choice = chooseBytes();
    if (!choice || !WA) {
      compiled = null;
      note = 'this runtime has no wasm SIMD';
      return Promise.resolve(kernelInfo());
    }
    pending = WA.compile(choice.bytes).then(
      (module) => {
        compiled = { module, relaxed: choice.relaxed };
        note = undefined;
        pending = null;
      },
      (e: unknown) => {
        compiled = null;
        note = `wasm compilation failed: ${String(e)}`;
        pending = null;
      },
    );
  }
  return (pending as Promise<void>).then(() => kernelInfo());
}

/** A fresh instance of the kernels (its own memory), or null in JavaScript mode. */
export function instantiateKernels(): KernelExports | null {
  const c = kernelModule();
  if (!c || !WA) return null;
  return new WA.Instance(c.module, IMPORTS).exports as unknown as KernelExports;
}

/** Which implementation the kernels run on, and why. */
export function kernelInfo(): KernelInfo {
  const c = pending ? null : kernelModule();
  const mode: KernelMode = pending
    ? 'js-pending-async-compile'
    : c
      ? c.relaxed
        ? 'wasm-relaxed-simd'
        : 'wasm-simd'
      : 'js';
  return note && mode !== 'wasm-relaxed-simd' ? { mode, note } : { mode };
}

/**
 * Opt-in to relaxed SIMD (fused multiply-add) in Node, where V8 keeps it behind
 * `--experimental-wasm-relaxed-simd`: sets that V8 flag (process-wide, for wasm compiled from now
 * on) and recompiles the kernels with FMA if the engine then validates them. Kernel arenas created
 * afterwards use FMA; results may differ from plain SIMD in the last bits (one rounding instead of
 * two). Returns true when relaxed SIMD is in use. Does nothing (returns whether it is in use) in
 * browsers, which decide by themselves, and where V8's flag API is unavailable.
 */
export function enableRelaxedSimd(): boolean {
  if (compiled?.relaxed) return true;
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const v8 = proc?.getBuiltinModule?.('node:v8') as { setFlagsFromString?: (f: string) => void } | undefined;
  if (!v8?.setFlagsFromString || !WA) return false;
  v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
  bytesRelaxed ??= decode(KERNELS_RELAXED_BASE64);
  let ok = false;
  try {
    ok = WA.validate(bytesRelaxed);
  } catch {
    ok = false;
  }
  if (!ok) return false;
  compiled = { module: new WA.Module(bytesRelaxed), relaxed: true };
  note = undefined;
  return true;
}

/**
 * Test hook: forget the compiled module so that the next use decides again; `forceJs` pins the
 * JavaScript fallback (to test it against the wasm kernels). Not exported from the package.
 * @internal
 */
export function resetKernelsForTests(forceJs = false): void {
  pending = null;
  note = forceJs ? 'forced JavaScript fallback (tests)' : undefined;
  compiled = forceJs ? null : undefined;
}
