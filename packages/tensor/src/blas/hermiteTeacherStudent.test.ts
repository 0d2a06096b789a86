import { NotSupportedError, ShapeError, ValueError } from '../errors';
import { Rng } from '../rng';
import { HermiteTeacherStudent } from './hermiteTeacherStudent';
import { hermiteNetworkForward, hermiteNetworkGradient } from './kernels';
import { resetKernelsForTests } from './wasmModule';

/** c_k of σ and dc_k = √(k+1) c_{k+1}. */
function series(c: number[]): { coeffs: Float64Array; derivCoeffs: Float64Array } {
  const K = c.length - 1;
  return {
    coeffs: Float64Array.from(c),
    derivCoeffs: Float64Array.from({ length: Math.max(1, K) }, (_, k) => (k < K ? Math.sqrt(k + 1) * c[k + 1] : 0)),
  };
}

/**
 * The spherical step by its definition, w' = (w + η Π g)/‖w + η Π g‖ with Π g = g − (g·w) w (or
 * Π = I), from whole-row vectors (bits of multi-index's own loop are checked in its learner test).
 */
function sphericalStepDef(w: number[], g: number[], lr: number, tangent: boolean): number[] {
  const dot = (u: number[], v: number[]) => u.reduce((s, ui, j) => s + ui * v[j], 0);
  const gw = tangent ? dot(g, w) : 0;
  const v = w.map((wj, j) => wj + lr * (g[j] - gw * wj));
  const n = Math.sqrt(dot(v, v));
  return v.map((vj) => vj / n);
}

function unitRows(rng: Rng, m: number, d: number): Float64Array {
  const W = rng.normalArray(m * d);
  for (let i = 0; i < m; i++) {
    let n = 0;
    for (let j = 0; j < d; j++) n += W[i * d + j] ** 2;
    for (let j = 0; j < d; j++) W[i * d + j] /= Math.sqrt(n);
  }
  return W;
}

const H2H4 = [0, 0, 1, 0, 1];

describe('HermiteTeacherStudent (fused teacher–student spherical SGD step)', () => {
  afterEach(() => resetKernelsForTests());

  it.each([
    // d, m, P, batches, loss, tangent, teacher link, student activation
    [48, 12, 4, [64, 64, 64], 'squared', true, H2H4, H2H4],
    [48, 12, 4, [64, 64, 64], 'correlation', true, H2H4, H2H4],
    [17, 5, 3, [41, 60, 41], 'squared', false, [0.3, -0.2, 1, 0.5, 0.1, 0, 0.7], [0, 0.5, 1]],
    [33, 7, 1, [70, 90], 'correlation', true, [0, 1, 0.5], [0.2, 0, 1, 0, 0, 0, 0.4]],
    [8, 3, 8, [100, 128], 'squared', true, [1], [0, 1]],
  ] as const)(
    'equals normals + hermiteNetworkForward + hermiteNetworkGradient bit for bit, then the spherical step (d=%i, m=%i, P=%i)',
    (d, m, P, batches, loss, tangent, link, act) => {
      const rng = new Rng(`hts-${d}-${m}-${P}-${loss}`);
      const teacher = unitRows(rng.fold('V'), P, d);
      const t = series([...link]);
      const s = series([...act]);
      const a0 = 1 / 3;
      const maxBatch = Math.max(...batches);
      const ts = new HermiteTeacherStudent({
        d,
        m,
        maxBatch,
        teacher,
        P,
        teacherCoeffs: t.coeffs,
        coeffs: s.coeffs,
        derivCoeffs: s.derivCoeffs,
        loss,
        a0,
      });
      expect(HermiteTeacherStudent.available({ d, m, P, batch: Math.min(...batches) })).toBe(true);
      const W = unitRows(rng.fold('W'), m, d);
      ts.W.set(W);
      const G = new Float64Array(m * d);
      batches.forEach((B, step) => {
        const lr = 0.05 / (step + 1);
        const stream = rng.fold('data', step);
        const before = stream.toJSON();
        const r = ts.step(stream, B, lr, tangent);
        expect(stream.toJSON()).toEqual(before); // the stream is read, not advanced
        const X = stream.normalArray(B * d);
        const y = hermiteNetworkForward(teacher, P, d, X, B, t.coeffs, new Float64Array(B));
        const r0 = hermiteNetworkGradient({ W, m, d, X, y, B, ...s, loss, a0, G });
        expect(Object.is(r, r0)).toBe(true); // normals, labels and direction: the same bits
        let err = 0;
        for (let i = 0; i < m; i++) {
          const row = (A: Float64Array) => Array.from(A.subarray(i * d, (i + 1) * d));
          const ref = sphericalStepDef(row(W), row(G), lr, tangent);
          for (let j = 0; j < d; j++) err = Math.max(err, Math.abs(ref[j] - ts.W[i * d + j]));
        }
        expect(err).toBeLessThan(1e-14);
        W.set(ts.W); // continue from the fused step's W
      });
    },
  );

  it('available(shape) is false below the separate kernels’ crossover (they would run in JavaScript)', () => {
    expect(HermiteTeacherStudent.available()).toBe(true);
    expect(HermiteTeacherStudent.available({ d: 4, m: 3, P: 2, batch: 8 })).toBe(false);
    expect(HermiteTeacherStudent.available({ d: 48, m: 12, P: 4, batch: 64 })).toBe(true);
    expect(() => HermiteTeacherStudent.available({ d: 0, m: 1, P: 1, batch: 1 })).toThrow(ValueError);
    expect(() => HermiteTeacherStudent.available(null as never)).toThrow(/shape/);
  });

  it('needs wasm: NotSupportedError in forced JavaScript mode', () => {
    resetKernelsForTests(true);
    expect(HermiteTeacherStudent.available()).toBe(false);
    const { coeffs, derivCoeffs } = series(H2H4);
    expect(
      () =>
        new HermiteTeacherStudent({
          d: 2,
          m: 1,
          maxBatch: 4,
          teacher: new Float64Array([1, 0]),
          P: 1,
          teacherCoeffs: coeffs,
          coeffs,
          derivCoeffs,
          loss: 'correlation',
        }),
    ).toThrow(NotSupportedError);
  });

  it('rejects bad input with typed errors naming the argument', () => {
    const { coeffs, derivCoeffs } = series(H2H4);
    const ok = {
      d: 3,
      m: 2,
      maxBatch: 4,
      teacher: new Float64Array([1, 0, 0]),
      P: 1,
      teacherCoeffs: coeffs,
      coeffs,
      derivCoeffs,
      loss: 'squared' as const,
      a0: 0.5,
    };
    const make = (patch: object) => () => new HermiteTeacherStudent({ ...ok, ...patch });
    expect(make({ d: 0 })).toThrow(expect.objectContaining({ argument: 'd' }));
    expect(make({ m: 1.5 })).toThrow(ValueError);
    expect(make({ teacher: new Float64Array(2) })).toThrow(ShapeError);
    expect(make({ teacher: new Float64Array([NaN, 0, 0]) })).toThrow(ValueError);
    expect(make({ coeffs: new Float64Array(66) })).toThrow(ShapeError);
    expect(make({ teacherCoeffs: new Float64Array(0) })).toThrow(ShapeError);
    expect(make({ derivCoeffs: new Float64Array(2) })).toThrow(ShapeError);
    expect(make({ loss: 'hinge' })).toThrow(ValueError);
    expect(make({ a0: 0 })).toThrow(expect.objectContaining({ argument: 'a0' }));
    expect(make({ a0: undefined })).toThrow(ValueError);
    expect(() => new HermiteTeacherStudent(null as never)).toThrow(ValueError);
    const ts = new HermiteTeacherStudent({ ...ok, loss: 'correlation', a0: undefined });
    const rng = new Rng(1);
    expect(() => ts.step({} as Rng, 2, 0.1, true)).toThrow(expect.objectContaining({ argument: 'rng' }));
    expect(() => ts.step(rng, 5, 0.1, true)).toThrow(expect.objectContaining({ argument: 'batch' }));
    expect(() => ts.step(rng, 0, 0.1, true)).toThrow(ValueError);
    expect(() => ts.step(rng, 2, -1, true)).toThrow(expect.objectContaining({ argument: 'learningRate' }));
    expect(() => ts.step(rng, 2, 0.1, 1 as never)).toThrow(expect.objectContaining({ argument: 'tangent' }));
    ts.W.set([1, 0, 0, 0, 1, 0]);
    expect(Number.isFinite(ts.step(rng, 4, 0.1, true))).toBe(true);
  });
});
