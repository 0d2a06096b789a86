import {
  Matrix,
  ShapeError,
  ValueError,
  isTensorLike,
  readMatrix,
  readRows,
  readVector,
} from '../index';
import { ready, tf } from '../tf';

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
    expect(() => readVector([1, Number.NaN], 'x0')).toThrow(
      new ValueError('x0 must contain only finite numbers, got NaN at index 1'),
    );
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
    expect(() => readMatrix([[1, Number.POSITIVE_INFINITY]], 'A')).toThrow(
      'A must contain only finite numbers, got Infinity at row 0, column 1',
    );
  });
});

describe('bad entries and forms (the issue 11 cases)', () => {
  it('a null, a string or a nested array inside a vector is a typed error naming the index', () => {
    expect(() => readVector([1, null], 'x')).toThrow(
      new ValueError('x must contain only finite numbers, got null at index 1'),
    );
    expect(() => readVector([1, '2'], 'x')).toThrow(ValueError);
    expect(() => readVector([[1, 2]], 'x')).toThrow(ShapeError);
    expect(() => readVector(new Float32Array([1, Number.NaN]), 'x')).toThrow('got NaN at index 1');
  });

  it('a null inside a matrix is a ValueError, not a silent 0; ragged rows are a ShapeError', () => {
    expect(() =>
      readMatrix(
        [
          [1, 2],
          [3, null],
        ],
        'X',
      ),
    ).toThrow(new ValueError('X must contain only finite numbers, got null at row 1, column 1'));
    expect(() => readMatrix([[1, 2], [3]], 'X')).toThrow(ShapeError);
    expect(() => readMatrix([1, 2], 'X')).toThrow(ShapeError);
    expect(() => readMatrix([[1, 2]], 'X', { rows: 2 })).toThrow('X must have 2 rows, got 1');
  });

  it('reads rows as separate copies', () => {
    const rows = readRows([new Float64Array([1, 2]), [3, 4]], 'xs', { cols: 2 });
    expect(rows.map((r) => Array.from(r))).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });
});

describe('tensors are recognised by shape (no tfjs import in the readers)', () => {
  it('reads a duck-typed tensor and a real one the same way', async () => {
    await ready();
    const fake = { rank: 2, shape: [2, 2], dtype: 'float32', dataSync: () => new Float32Array([1, 2, 3, 4]) };
    expect(isTensorLike(fake)).toBe(true);
    expect(isTensorLike([1, 2])).toBe(false);
    const t = tf.tensor2d([1, 2, 3, 4], [2, 2]);
    expect(readMatrix(fake, 'X').data).toEqual(readMatrix(t, 'X').data);
    expect(Array.from(readRows(t, 'X')[1])).toEqual([3, 4]);
    expect(() => readVector(t, 'x')).toThrow('x must be a rank-1 tensor, got rank 2');
    t.dispose();
  });

  it('rejects disposed, string and non-finite tensors with typed errors', async () => {
    await ready();
    const t = tf.tensor1d([1, 2]);
    t.dispose();
    expect(() => readVector(t, 'x')).toThrow(
      new ValueError('x must be a live tensor, got a disposed tensor'),
    );
    const s = tf.tensor1d(['a', 'b'] as unknown as number[], 'string');
    expect(() => readVector(s, 'x')).toThrow('x must be a numeric tensor, got dtype string');
    s.dispose();
    const n = tf.tensor2d([1, Number.NaN], [1, 2]);
    expect(() => readMatrix(n, 'X')).toThrow('got NaN at row 0, column 1');
    n.dispose();
  });
});
