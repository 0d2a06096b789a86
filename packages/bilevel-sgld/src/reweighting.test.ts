/**
 * The re-weighting (hyper-cleaning) oracles against finite differences, and the weights' effect.
 */
import { Rng, fdGrad, maxRelativeError } from '@descent/tensor';
import { checkProblem } from './problem';
import { reweightingProblem } from './reweighting';
import { errorArgument } from '@descent/testkit';

function toyData(seed: number, n = 12, f = 3, k = 3) {
  const rng = new Rng(seed);
  const label = (i: number) => i % k;
  return {
    x: rng.fold('x').normalArray(n * f),
    y: Array.from({ length: n }, (_, i) => label(i)),
    xVal: rng.fold('xv').normalArray(6 * f),
    yVal: Array.from({ length: 6 }, (_, i) => label(i)),
    features: f,
    classes: k,
  };
}

describe('reweightingProblem', () => {
  for (const seed of [1, 2]) {
    const problem = reweightingProblem(toyData(seed), { l2: 0.1 });
    const rng = new Rng(seed + 10);
    const theta = rng.normalArray(problem.dim, 0, 0.5);
    const lambda = rng.normalArray(problem.hyperDim);
    const v = rng.normalArray(problem.dim);
    const u = rng.normalArray(problem.hyperDim);
    const innerValue = (t: Float64Array, l: Float64Array) => {
      // L_T by its definition, from the outer-loss code path on the training rows: Σ σ(λᵢ)ℓᵢ/n + γ/2‖θ‖²
      const ell = problem.innerHyperGradient(t, new Float64Array(problem.hyperDim)); // σ′(0)ℓᵢ/n = ℓᵢ/(4n)
      let s = 0;
      for (let i = 0; i < l.length; i++) s += (4 * ell[i]) / (1 + Math.exp(-l[i]));
      return s + 0.05 * t.reduce((a, b) => a + b * b, 0);
    };
    it(`gradients, HVP and mixed products match finite differences (seed ${seed})`, () => {
      expect(maxRelativeError(problem.innerGradient(theta, lambda), fdGrad((t) => innerValue(t, lambda), theta))).toBeLessThan(1e-6);
      expect(maxRelativeError(problem.innerHyperGradient(theta, lambda), fdGrad((l) => innerValue(theta, l), lambda))).toBeLessThan(1e-6);
      expect(maxRelativeError(problem.outerGradient(theta, lambda), fdGrad((t) => problem.outerValue(t, lambda), theta))).toBeLessThan(1e-6);
      const P = checkProblem(problem);
      expect(maxRelativeError(P.hvp(theta, lambda, v, 'exact'), P.hvp(theta, lambda, v, 'fd'))).toBeLessThan(1e-6);
      expect(maxRelativeError(P.mixedVjp(theta, lambda, v, 'exact'), P.mixedVjp(theta, lambda, v, 'fd'))).toBeLessThan(1e-6);
      expect(maxRelativeError(P.mixedJvp(theta, lambda, u, 'exact'), P.mixedJvp(theta, lambda, u, 'fd'))).toBeLessThan(1e-6);
    });
  }

  it('accuracy counts argmax hits; bad labels and shapes are typed errors', () => {
    const data = toyData(3);
    const problem = reweightingProblem(data);
    expect(problem.accuracy(new Float64Array(problem.dim), data.xVal, data.yVal)).toBeCloseTo(2 / 6, 12); // ties → class 0
    expect(errorArgument(() => reweightingProblem({ ...data, y: data.y.map(() => 3) }))).toBe('data.y');
    expect(errorArgument(() => reweightingProblem({ ...data, x: data.x.subarray(1) }))).toBe('data.x');
    expect(errorArgument(() => reweightingProblem({ ...data, classes: 1 }))).toBe('data.classes');
    expect(errorArgument(() => problem.innerGradient(new Float64Array(2), new Float64Array(12)))).toBe('theta');
  });
});
