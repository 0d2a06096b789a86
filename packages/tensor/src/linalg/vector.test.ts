import fc from 'fast-check';
import { ShapeError, ValueError } from '../errors';
import { add, axpy, dot, norm2, scale, sub } from './vector';

const vec = (n: number) =>
  fc.float64Array({ minLength: n, maxLength: n, min: -1e3, max: 1e3, noNaN: true, noDefaultInfinity: true });

describe('vector helpers', () => {
  it('dot is symmetric and norm2² = dot(x, x)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 20 }).chain((n) => fc.tuple(vec(n), vec(n))),
        ([x, y]) => {
          expect(dot(x, y)).toBeCloseTo(dot(y, x), 10);
          const n = norm2(x);
          expect(Math.abs(n * n - dot(x, x))).toBeLessThanOrEqual(1e-12 * Math.max(1, dot(x, x)));
        },
      ),
    );
  });

  it('norm2 neither overflows nor underflows', () => {
    expect(norm2([3e200, 4e200]) / 5e200).toBeCloseTo(1, 14);
    expect(norm2([3e-200, 4e-200]) / 5e-200).toBeCloseTo(1, 14);
    expect(norm2([])).toBe(0);
    expect(() => norm2([Number.NaN, 1])).toThrow(ValueError);
  });

  it('axpy, scale, add and sub agree with their definitions', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 10 })
          .chain((n) => fc.tuple(vec(n), vec(n), fc.double({ min: -10, max: 10, noNaN: true }))),
        ([x, y, a]) => {
          const s = add(x, y);
          const d = sub(s, y);
          for (let i = 0; i < x.length; i++) expect(d[i]).toBeCloseTo(x[i], 8);
          const z = axpy(a, x, Float64Array.from(y));
          const w = add(scale(a, x), y);
          for (let i = 0; i < x.length; i++) expect(z[i]).toBeCloseTo(w[i], 8);
        },
      ),
    );
  });

  it('throws a ShapeError naming the argument on length mismatch', () => {
    expect(() => dot([1, 2], [1])).toThrow(ShapeError);
    expect(() => dot([1, 2], [1])).toThrow('y must have length 2');
    expect(() => add([1, 2], [1, 2], new Float64Array(3))).toThrow('out must have length 2, got 3');
    expect(() => axpy(1, [1], new Float64Array(2))).toThrow(ShapeError);
  });
});

describe('vector helpers: bad input (issue 11)', () => {
  it('non-finite entries are a ValueError naming the argument, in plain and typed arrays', () => {
    const good = [0.5, -1.5, 2];
    for (const bad of [[1, Number.NaN, 2], [1, null, 2], ['a', 'b', 'c'], Float64Array.of(1, Infinity, 2)]) {
      const b = bad as unknown as number[];
      expect(() => dot(good, b)).toThrow(expect.objectContaining({ argument: 'y' }));
      expect(() => dot(b, good)).toThrow(expect.objectContaining({ argument: 'x' }));
      expect(() => add(good, b)).toThrow(expect.objectContaining({ argument: 'y' }));
      expect(() => sub(b, good)).toThrow(expect.objectContaining({ argument: 'x' }));
      expect(() => scale(2, b)).toThrow(expect.objectContaining({ argument: 'x' }));
      expect(() => norm2(b)).toThrow(ValueError);
      expect(() => axpy(2, b, Float64Array.from(good))).toThrow(expect.objectContaining({ argument: 'x' }));
    }
  });

  it('non-vectors, bad scalars and bad outputs are typed errors', () => {
    expect(() => dot(null as never, [1])).toThrow(expect.objectContaining({ argument: 'x' }));
    expect(() => norm2('abc' as never)).toThrow(expect.objectContaining({ argument: 'x' }));
    expect(() => scale(Number.NaN, [1, 2])).toThrow(expect.objectContaining({ argument: 'alpha' }));
    expect(() => axpy(undefined as never, [1], new Float64Array(1))).toThrow(
      expect.objectContaining({ argument: 'alpha' }),
    );
    expect(() => axpy(1, [1, 2], [1, 2] as never)).toThrow(expect.objectContaining({ argument: 'y' }));
    expect(() => add([1, 2], [1, 2], [0, 0] as never)).toThrow(expect.objectContaining({ argument: 'out' }));
    expect(() => add([1, 2], [1, 2], new Float64Array(3))).toThrow(ShapeError);
  });

  it('empty vectors are vectors of length 0 (norm 0, empty results), as numpy', () => {
    expect(norm2([])).toBe(0);
    expect(dot([], [])).toBe(0);
    expect(scale(2, []).length).toBe(0);
    expect(add([], []).length).toBe(0);
  });

  it('an overflow from finite inputs is ±Infinity (IEEE), not an input error', () => {
    expect(dot([1e200], [1e200])).toBe(Infinity);
    expect(add([1.7e308], [1.7e308])[0]).toBe(Infinity);
  });

  it('typed arrays and rank-1 tensor-likes are read; Float64Array outputs may alias inputs', () => {
    const x = Float64Array.of(1, 2, 3);
    expect(Array.from(add(x, x, x))).toEqual([2, 4, 6]);
    expect(dot(Int32Array.of(1, 2), [3, 4])).toBe(11);
  });
});
