/**
 * One fused wasm call per step of teacher–student spherical SGD on a two-layer Hermite network
 * (multi-index's learner, Ren & Lee 2024): fresh Gaussian inputs, the teacher's labels, the
 * student's direction and the spherical step, on arrays resident in one kernel arena (no copies,
 * no allocation per step).
 * @module
 */
import { describe, NotSupportedError, ShapeError, ValueError } from '../errors';
import { readBuffer } from '../input/readBuffer';
import { readBoolean, readEnum, readInteger, readNumber } from '../options/read';
import { Rng } from '../rng';
import { KernelArena, rawCopyF64 } from './arena';
import { CROSSOVER } from './crossovers';
import { INV_SQRT_TABLE, SQRT_TABLE } from './jsKernels';
import { type KernelExports, kernelModule } from './wasmModule';
import { FN, KN, WN } from './zigguratTables';

/** Options of {@link HermiteTeacherStudent}. */
export interface HermiteTeacherStudentOptions {
  /** Input dimension d ≥ 1. */
  d: number;
  /** Student width m ≥ 1. */
  m: number;
  /** Largest batch a step may draw (the arena holds maxBatch×d inputs). */
  maxBatch: number;
  /** Teacher directions v_k as the rows of a P×d row-major buffer. */
  teacher: Float64Array;
  /** Number of teacher directions P ≥ 1. */
  P: number;
  /** Coefficients of the teacher's link φ = Σ_k c_k h_k (normalised Hermite polynomials), K ≤ 64. */
  teacherCoeffs: Float64Array;
  /** Coefficients of the student's activation σ (length 1..65). */
  coeffs: Float64Array;
  /** Derivative coefficients of σ: dc_k = √(k+1) c_{k+1} (length max(1, K)). */
  derivCoeffs: Float64Array;
  /** `'correlation'` (r = y) or `'squared'` (r = y − a₀ Σ_i σ(w_i·x)). */
  loss: 'correlation' | 'squared';
  /** The fixed second layer a₀ > 0 (squared loss; ignored by the correlation loss). */
  a0?: number;
}

/** Reads Hermite coefficients (length 1..65, finite) and returns the degree K. */
function readCoeffs(value: unknown, name: string): Float64Array {
  const c = readBuffer(value, name, { minLength: 1 });
  if (c.length > 65) throw new ShapeError(`${name} must have length 1..65, got ${c.length}`, name);
  return c;
}

/**
 * Teacher–student spherical SGD in one wasm call per step, for a student f(x) = Σ_i a₀ σ(w_i·x)
 * learning labels y = Σ_k φ(v_k·x) of x ~ N(0, I_d): per step, B·d standard normals from `rng`
 * (bit-identical to `rng.fillNormal`), the labels (as {@link hermiteNetworkForward}), the
 * batch-mean direction G (as {@link hermiteNetworkGradient} with a fixed second layer), then
 * `w_i ← (w_i + η Π_i g_i)/‖·‖` with Π_i the tangent projection (optional). Same bits as those
 * kernels called one after the other on the same data. Needs the wasm kernels
 * ({@link HermiteTeacherStudent.available}); a {@link NotSupportedError} otherwise.
 *
 * ```ts
 * const ts = new HermiteTeacherStudent({ d, m, maxBatch: 64, teacher: V, P, teacherCoeffs: c, coeffs: c, derivCoeffs: dc, loss: 'squared', a0: P / m });
 * ts.W.set(W0); // unit rows
 * for (let t = 0; t < steps; t++) ts.step(rng.fold(t), 64, 0.02 / d, true);
 * ```
 */
export class HermiteTeacherStudent {
  /** Student first layer, m×d row-major, resident in this object's kernel arena (updated in place by {@link step}). */
  readonly W: Float64Array;
  /** Input dimension. */
  readonly d: number;
  /** Student width. */
  readonly m: number;
  /** Number of teacher directions. */
  readonly P: number;
  /** Largest batch of a step. */
  readonly maxBatch: number;
  /** The loss. */
  readonly loss: 'correlation' | 'squared';
  private readonly ex: KernelExports;
  private readonly st: Int32Array;
  private readonly at: {
    kn: number;
    wn: number;
    fn: number;
    x: number;
    y: number;
    v: number;
    ct: number;
    Kt: number;
    c: number;
    K: number;
    dc: number;
    sq: number;
    isq: number;
    g: number;
    scratch: number;
  };
  private readonly a0: number;

  /**
   * True when the wasm kernels are available (the class needs them) and, when `shape` is given,
   * when {@link hermiteNetworkForward} (B·P·d) and {@link hermiteNetworkGradient} (B·m·d) run in
   * wasm at that shape too (at or above their crossover), so that a step gives the same bits as
   * those kernels called one after the other (below it they run in JavaScript, whose sums are
   * ordered differently).
   */
  static available(shape?: { d: number; m: number; P: number; batch: number }): boolean {
    if (kernelModule() === null) return false;
    if (shape === undefined) return true;
    if (shape === null || typeof shape !== 'object')
      throw new ValueError(`shape must be an object { d, m, P, batch }, got ${describe(shape)}`, 'shape');
    const d = readInteger(shape.d, 'shape.d', { min: 1 });
    const m = readInteger(shape.m, 'shape.m', { min: 1 });
    const P = readInteger(shape.P, 'shape.P', { min: 1 });
    const B = readInteger(shape.batch, 'shape.batch', { min: 1 });
    return B * Math.min(m, P) * d >= CROSSOVER.hermiteGradient;
  }

  constructor(options: HermiteTeacherStudentOptions) {
    if (options === null || typeof options !== 'object')
      throw new ValueError(`options must be an object, got ${describe(options)}`, 'options');
    const d = readInteger(options.d, 'd', { min: 1, max: 1e6 });
    const m = readInteger(options.m, 'm', { min: 1, max: 1e6 });
    const P = readInteger(options.P, 'P', { min: 1, max: 1e6 });
    const maxBatch = readInteger(options.maxBatch, 'maxBatch', { min: 1, max: 1e6 });
    const teacher = readBuffer(options.teacher, 'teacher', { length: P * d, lengthName: 'P·d' });
    const ct = readCoeffs(options.teacherCoeffs, 'teacherCoeffs');
    const c = readCoeffs(options.coeffs, 'coeffs');
    const K = c.length - 1;
    const dc = readBuffer(options.derivCoeffs, 'derivCoeffs', { minLength: Math.max(1, K) });
    const loss = readEnum(options.loss, 'loss', ['correlation', 'squared'] as const);
    const a0 =
      loss === 'squared' ? readNumber(options.a0, 'a0', { gt: 0 }) : options.a0 === undefined ? 0 : readNumber(options.a0, 'a0');
    const doubles = maxBatch * d + maxBatch + P * d + m * d + m * d + (maxBatch + 1) * Math.max(m, P);
    if (doubles * 8 > 2 ** 31)
      throw new ValueError(`maxBatch·d, m·d and P·d must fit in 2 GiB, got ${doubles} doubles`, 'maxBatch');
    if (kernelModule() === null)
      throw new NotSupportedError(
        'HermiteTeacherStudent needs the wasm SIMD kernels (kernelInfo().mode is not wasm); use hermiteNetworkForward / hermiteNetworkGradient',
        'options',
      );
    const arena = new KernelArena((doubles + 4 * 66 + 3 * 128 + 8) * 8 + 16 * 16);
    const ex = arena.exports;
    if (!ex) throw new NotSupportedError('HermiteTeacherStudent needs the wasm SIMD kernels', 'options');
    this.ex = ex;
    this.d = d;
    this.m = m;
    this.P = P;
    this.maxBatch = maxBatch;
    this.loss = loss;
    this.a0 = a0;
    const stBuf = arena.f64(2);
    this.st = new Int32Array(stBuf.buffer, stBuf.byteOffset, 4);
    const knBuf = arena.f64(64);
    new Uint32Array(knBuf.buffer, knBuf.byteOffset, 128).set(KN);
    const ctA = rawCopyF64(arena, ct);
    const cA = rawCopyF64(arena, c);
    const dcA = rawCopyF64(arena, dc.subarray(0, Math.max(1, K)));
    this.at = {
      kn: knBuf.byteOffset,
      wn: rawCopyF64(arena, WN).byteOffset,
      fn: rawCopyF64(arena, FN).byteOffset,
      x: arena.f64(maxBatch * d).byteOffset,
      y: arena.f64(maxBatch).byteOffset,
      v: rawCopyF64(arena, teacher).byteOffset,
      ct: ctA.byteOffset,
      Kt: ct.length - 1,
      c: cA.byteOffset,
      K,
      dc: dcA.byteOffset,
      sq: rawCopyF64(arena, SQRT_TABLE).byteOffset,
      isq: rawCopyF64(arena, INV_SQRT_TABLE).byteOffset,
      g: arena.f64(m * d).byteOffset,
      scratch: arena.f64((maxBatch + 1) * Math.max(m, P)).byteOffset,
    };
    this.W = arena.f64(m * d);
  }

  /**
   * One step on `batch` fresh samples drawn from `rng` (its stream is read from its current
   * state, as `rng.fillNormal` would; `rng` itself is not advanced): updates {@link W} in place
   * and returns the batch mean of r² (r = y for the correlation loss, y − f(x) for the squared).
   */
  step(rng: Rng, batch: number, learningRate: number, tangent: boolean): number {
    if (!(rng instanceof Rng)) throw new ValueError(`rng must be an Rng, got ${describe(rng)}`, 'rng');
    const B = readInteger(batch, 'batch', { min: 1, max: this.maxBatch });
    const lr = readNumber(learningRate, 'learningRate', { min: 0 });
    const tan = readBoolean(tangent, 'tangent');
    const s = rng.toJSON().state;
    const st = this.st;
    st[0] = s[0];
    st[1] = s[1];
    st[2] = s[2];
    st[3] = s[3];
    const a = this.at;
    return this.ex.dteacherstudent(
      B,
      this.d,
      st.byteOffset,
      a.kn,
      a.wn,
      a.fn,
      a.x,
      a.y,
      this.P,
      a.v,
      a.Kt,
      a.ct,
      this.m,
      this.W.byteOffset,
      a.K,
      a.c,
      a.dc,
      a.sq,
      a.isq,
      this.loss === 'squared' ? 1 : 0,
      this.a0,
      a.g,
      lr,
      tan ? 1 : 0,
      a.scratch,
    );
  }
}
