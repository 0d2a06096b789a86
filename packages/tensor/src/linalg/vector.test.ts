import fc from 'fast-check';
import { ShapeError } from '../errors';
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
    expect(norm2([Number.NaN, 1])).toBeNaN();
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
