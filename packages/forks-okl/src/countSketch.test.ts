import { Rng } from '@descent/tensor';
import { columnSampler, countSketch, countSketchApply, countSketchDense } from './countSketch';
import { maxAbsDiff, mm } from './testUtils';

describe('count sketch and column sampler', () => {
  it('Sᵀv computed from the hash equals the dense product, and each row has exactly one ±1', () => {
    const rng = new Rng(1);
    const S = countSketch(50, 7, rng);
    const D = countSketchDense(S);
    for (let i = 0; i < 50; i++) {
      const row = Array.from(D.subarray(i * 7, (i + 1) * 7));
      expect(row.filter((v) => v !== 0)).toHaveLength(1);
      expect(Math.abs(row.find((v) => v !== 0) as number)).toBe(1);
    }
    const v = rng.normalArray(50);
    const dense = mm(v, D, 1, 50, 7);
    expect(maxAbsDiff(countSketchApply(S, v), dense)).toBeLessThan(1e-12);
  });

  it('the column sampler draws distinct sorted indices, deterministic in the seed', () => {
    const a = columnSampler(100, 15, new Rng(3));
    expect(new Set(a).size).toBe(15);
    expect(Array.from(a)).toEqual(Array.from(a).sort((x, y) => x - y));
    expect(a).toEqual(columnSampler(100, 15, new Rng(3)));
    expect(() => columnSampler(10, 11, new Rng(1))).toThrow('s must be an integer in [1, 10], got 11');
  });
});
