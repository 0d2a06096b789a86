import { ShapeError, ValueError } from '@descent/tensor';
import { absCosine, alignSign, relativeError } from './index';

describe('relativeError: min(‖x̂ − x‖, ‖x̂ + x‖)/‖x‖', () => {
  const x = Float64Array.from([3, 4]);
  it('is zero for x and for −x (the sign is not identifiable)', () => {
    expect(relativeError(x, x)).toBe(0);
    expect(
      relativeError(
        x.map((v) => -v),
        x,
      ),
    ).toBe(0);
  });
  it('matches a hand computation', () => {
    // x̂ = x + (1, 0): ‖x̂ − x‖ = 1, ‖x̂ + x‖ = ‖(7, 8)‖; ‖x‖ = 5
    expect(relativeError([4, 4], x)).toBeCloseTo(1 / 5, 14);
    // x̂ = −x + (0, 2): the + branch wins, 2/5
    expect(relativeError([-3, -2], x)).toBeCloseTo(2 / 5, 14);
  });
  it('rejects mismatched lengths and a zero ground truth', () => {
    expect(() => relativeError([1], x)).toThrow(ShapeError);
    expect(() => relativeError([1, 1], [0, 0])).toThrow(ValueError);
  });
});

describe('alignSign and absCosine', () => {
  it('flips x̂ to the side of x', () => {
    expect(Array.from(alignSign([-1, -2], [1, 1]))).toEqual([1, 2]);
    expect(Array.from(alignSign([1, 2], [1, 1]))).toEqual([1, 2]);
  });
  it('|cos| is sign and scale invariant', () => {
    expect(absCosine([2, 0], [-5, 0])).toBeCloseTo(1, 15);
    expect(absCosine([1, 1], [1, 0])).toBeCloseTo(Math.SQRT1_2, 15);
  });
});
