import { Matrix, ShapeError, ValueError, readMatrix, readVector } from './index';
import { ready, tf } from './tf';

describe('readVector', () => {
  it('accepts arrays, typed arrays and rank-1 tensors, returning float64', () => {
    expect(Array.from(readVector([1, 2], 'x'))).toEqual([1, 2]);
    const f = new Float64Array([3, 4]);
    expect(readVector(f, 'x')).toBe(f); // no copy unless asked
    expect(readVector(f, 'x', { copy: true })).not.toBe(f);
    expect(readVector(new Float32Array([0.5]), 'x')).toBeInstanceOf(Float64Array);
  });

  it('reads tensors without leaking', async () => {
    await ready();
    const t = tf.tensor1d([1, 2, 3]);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 1000; i++) readVector(t, 'x', { length: 3 });
    expect(tf.memory().numTensors).toBe(before);
    t.dispose();
  });

  it('names the argument and the problem', () => {
    expect(() => readVector([1, Number.NaN], 'x0')).toThrow(new ValueError('x0 must contain only finite numbers, got NaN at index 1'));
    expect(() => readVector([1, 2], 'x0', { length: 3 })).toThrow('x0 must have length 3, got 2');
    expect(() => readVector([], 'x0')).toThrow(ShapeError);
    expect(readVector([], 'x0', { allowEmpty: true })).toHaveLength(0);
    expect(() => readVector('abc', 'x0')).toThrow(/x0 must be a vector/);
    expect(() => readVector(null, 'x0')).toThrow(ShapeError);
  });
});

describe('readMatrix', () => {
  it('accepts Matrix (no copy) and nested arrays', () => {
    const M = Matrix.identity(2);
    expect(readMatrix(M, 'A')).toBe(M);
    expect(readMatrix([[1, 2]], 'A').cols).toBe(2);
  });

  it('checks emptiness, squareness, columns and finiteness', () => {
    expect(() => readMatrix([], 'A')).toThrow(ShapeError);
    expect(() => readMatrix([[1, 2]], 'A', { square: true })).toThrow('A must be square, got 1×2');
    expect(() => readMatrix([[1, 2]], 'A', { cols: 3 })).toThrow('A must have 3 columns, got 2');
    expect(() => readMatrix([[1, Number.POSITIVE_INFINITY]], 'A')).toThrow('A must contain only finite numbers, got Infinity at row 0, column 1');
  });
});
