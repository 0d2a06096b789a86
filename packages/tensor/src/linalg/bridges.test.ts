import { ShapeError, ValueError } from '../errors';
import { Matrix } from '../matrix';
import { matrixToTensor, ready, tf } from '../tf';
import { cholesky } from './cholesky';
import { eigh } from './eigh';
import { solve } from './lu';
import { matmul, matvec } from './products';
import { qr } from './qr';
import { svd } from './svd';
import { gaussian, relErr } from './testUtils';

/** Entries rounded to float32, so that the float32 tensor round trip is exact. */
function float32Matrix(m: number, n: number, seed: number): Matrix {
  const a = gaussian(m, n, seed);
  for (let i = 0; i < a.data.length; i++) a.data[i] = Math.fround(a.data[i]);
  return a;
}

describe('tf.Tensor bridges', () => {
  beforeAll(async () => {
    await ready({ backend: 'cpu' });
  });

  it('matrixToTensor / Matrix.fromTensor round-trip exactly (float32 values) without leaking tensors, 1000 calls', () => {
    const a = float32Matrix(7, 5, 1);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 1000; i++) {
      const t = matrixToTensor(a);
      const back = Matrix.fromTensor(t);
      t.dispose();
      if (i === 0) {
        expect([back.rows, back.cols]).toEqual([7, 5]);
        expect(back.data).toEqual(a.data);
      }
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('public entry points accept rank-2 tensors (and rank-1 right-hand sides) and leak nothing, 1000 calls', () => {
    const a = float32Matrix(6, 6, 2);
    for (let i = 0; i < 6; i++) a.data[i * 6 + i] = Math.fround(a.data[i * 6 + i] + 8); // well-conditioned
    const spd = matmul(a.transpose(), a);
    for (let i = 0; i < spd.data.length; i++) spd.data[i] = Math.fround(spd.data[i]);
    for (let i = 0; i < 6; i++) for (let j = 0; j < i; j++) spd.data[i * 6 + j] = spd.data[j * 6 + i];
    const b = Float64Array.from([1, 2, 3, 4, 5, 6]);
    const at = matrixToTensor(a);
    const st = matrixToTensor(spd);
    const bt = tf.tensor1d(Array.from(b));
    const before = tf.memory().numTensors;
    for (let i = 0; i < 1000; i++) {
      const x = solve(at, bt);
      if (i === 0) {
        expect(relErr(x, solve(a, b))).toBe(0);
        expect(relErr(matvec(at, x), b)).toBeLessThan(1e-12);
        expect(relErr(cholesky(st), cholesky(spd))).toBe(0);
        expect(relErr(svd(at).S, svd(a).S)).toBe(0);
        expect(relErr(eigh(st).values, eigh(spd).values)).toBe(0);
        expect(relErr(qr(at).R, qr(a).R)).toBe(0);
      }
    }
    expect(tf.memory().numTensors).toBe(before);
    at.dispose();
    st.dispose();
    bt.dispose();
  });

  it('results convert to tensors with toTensor', () => {
    const { Q } = qr(float32Matrix(4, 3, 3));
    const t = matrixToTensor(Q);
    expect(t.shape).toEqual([4, 3]);
    expect(t.dtype).toBe('float32');
    t.dispose();
  });

  it('rejects tensors of the wrong rank and non-finite tensors with typed errors', () => {
    const t3 = tf.zeros([2, 2, 2]);
    const t1 = tf.zeros([4]);
    const nan = tf.tensor2d([
      [1, Number.NaN],
      [0, 1],
    ]);
    expect(() => Matrix.of(t3 as tf.Tensor2D, 'A')).toThrow(ShapeError);
    expect(() => solve(Matrix.identity(2), t3 as unknown as tf.Tensor1D)).toThrow(ShapeError);
    expect(() => solve(Matrix.identity(2), t1 as tf.Tensor1D)).toThrow('b must have length 2, got 4');
    expect(() => solve(nan, [1, 1])).toThrow(ValueError);
    tf.dispose([t3, t1, nan]);
  });
});
