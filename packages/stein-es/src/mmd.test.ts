import { Rng, mmd2, rbf } from '@descent/tensor';

/** T(a, b) = E k(x, y) for x ~ N(a, s_a²I), y ~ N(b, s_b²I) and k = exp(−‖x−y‖²/(2ℓ²)) (notes 5.2.8). */
function T(a: number[], sa: number, b: number[], sb: number, l: number): number {
  const v = l * l + sa * sa + sb * sb;
  const d2 = a.reduce((s, ai, i) => s + (ai - b[i]) ** 2, 0);
  return ((l * l) / v) ** (a.length / 2) * Math.exp(-d2 / (2 * v));
}

describe('MMD² as used by the benchmarks (closed form for Gaussians, notes 5.2.8)', () => {
  it('the unbiased estimate matches the closed form within 3 standard errors; biased MMD²(X, X) = 0', () => {
    const a = [0, 0];
    const b = [1, 0.5];
    const sa = 1;
    const sb = 0.7;
    const exact = T(a, sa, a, sa, 1) + T(b, sb, b, sb, 1) - 2 * T(a, sa, b, sb, 1);
    const k = rbf({ bandwidth: 1 });
    const rng = new Rng(11);
    const est: number[] = [];
    for (let r = 0; r < 10; r++) {
      const X = Array.from({ length: 200 }, () => Float64Array.from(a, (m) => m + sa * rng.normal()));
      const Y = Array.from({ length: 200 }, () => Float64Array.from(b, (m) => m + sb * rng.normal()));
      est.push(mmd2(X, Y, k, { unbiased: true }));
      if (r === 0) expect(mmd2(X, X, k)).toBe(0);
    }
    const mean = est.reduce((s, v) => s + v, 0) / est.length;
    const sd = Math.sqrt(est.reduce((s, v) => s + (v - mean) ** 2, 0) / (est.length - 1));
    expect(Math.abs(mean - exact)).toBeLessThan((3 * sd) / Math.sqrt(est.length));
  });
});
