/**
 * The ridge oracles against finite differences of their own closed forms, across a family of
 * problems (dimensions, designs, penalties, temperatures, step sizes).
 */
import { ValueError, eigh, fdGrad, fdHvp, maxRelativeError } from '@descent/tensor';
import { checkProblem } from './problem';
import { type RidgePenalty, ridgeData, ridgeProblem } from './ridge';
import { errorArgument } from '@descent/testkit';

const family: { dim: number; nTrain: number; spread: number; penalty: RidgePenalty; seed: number }[] = [
  { dim: 4, nTrain: 20, spread: 1, penalty: 'perParameter', seed: 1 },
  { dim: 10, nTrain: 8, spread: 1, penalty: 'perParameter', seed: 2 }, // n < d: λ makes A definite
  { dim: 6, nTrain: 50, spread: 10, penalty: 'perParameter', seed: 3 },
  { dim: 5, nTrain: 30, spread: 3, penalty: 'scalar', seed: 4 },
];

function lambdaFor(p: number, seed: number): Float64Array {
  return Float64Array.from({ length: p }, (_, i) => 0.5 + ((i * 7 + seed) % 5) * 0.4);
}

describe('ridgeProblem closed forms', () => {
  for (const c of family) {
    const problem = ridgeProblem(ridgeData({ dim: c.dim, nTrain: c.nTrain, nVal: 30, spread: c.spread, seed: c.seed }), {
      penalty: c.penalty,
    });
    const lambda = lambdaFor(problem.hyperDim, c.seed);
    const lmax = eigh(problem.hessian(lambda)).values.reduce((a, b) => Math.max(a, b), 0);
    const targets = [
      {},
      { temperature: 0.7 },
      { temperature: 0.7, learningRate: 0.5 / lmax },
      { temperature: 2, learningRate: 1.5 / lmax },
    ];
    it(`hypergradients = finite differences of F, F_τ, F_η (d = ${c.dim}, n = ${c.nTrain}, ${c.penalty})`, () => {
      for (const target of targets) {
        const exact = problem.hypergradient(lambda, target);
        const fd = fdGrad((l) => problem.objective(l, target), lambda, { h: 1e-6 });
        expect(maxRelativeError(exact, fd)).toBeLessThan(1e-6);
      }
    });

    it(`oracles: gradients, HVP and mixed products match finite differences (d = ${c.dim}, ${c.penalty})`, () => {
      const theta = Float64Array.from({ length: problem.dim }, (_, i) => Math.sin(i + c.seed));
      const v = Float64Array.from({ length: problem.dim }, (_, i) => Math.cos(2 * i));
      const u = Float64Array.from({ length: problem.hyperDim }, (_, i) => 1 - 0.3 * i);
      const g = problem.innerGradient(theta, lambda);
      expect(maxRelativeError(g, fdGrad((t) => problem.innerValue(t, lambda), theta))).toBeLessThan(1e-6);
      expect(maxRelativeError(problem.outerGradient(theta, lambda), fdGrad((t) => problem.outerValue(t, lambda), theta))).toBeLessThan(1e-6);
      expect(
        maxRelativeError(problem.innerHyperGradient(theta, lambda), fdGrad((l) => problem.innerValue(theta, l), lambda)),
      ).toBeLessThan(1e-6);
      const hvp = problem.innerHvp(theta, lambda, v);
      expect(maxRelativeError(hvp, fdHvp(() => 0, theta, v, { grad: (t) => problem.innerGradient(t, lambda) }))).toBeLessThan(1e-6);
      // the checked view's finite-difference products agree with the exact ones
      const P = checkProblem(problem);
      expect(maxRelativeError(P.hvp(theta, lambda, v, 'fd'), hvp)).toBeLessThan(1e-6);
      expect(maxRelativeError(P.mixedVjp(theta, lambda, v, 'fd'), P.mixedVjp(theta, lambda, v, 'exact'))).toBeLessThan(1e-6);
      expect(maxRelativeError(P.mixedJvp(theta, lambda, u, 'fd'), P.mixedJvp(theta, lambda, u, 'exact'))).toBeLessThan(1e-6);
      // ⟨Bu, v⟩ = ⟨u, Bᵀv⟩
      const Bu = P.mixedJvp(theta, lambda, u);
      const Btv = P.mixedVjp(theta, lambda, v);
      const lhs = Bu.reduce((s, x, i) => s + x * v[i], 0);
      const rhs = Btv.reduce((s, x, i) => s + x * u[i], 0);
      expect(lhs).toBeCloseTo(rhs, 10);
    });

    it(`limits: τ → 0 gives the deterministic gradient, η → 0 the Gibbs one; the covariance-estimator mean at η = 0 is ∇F_τ (d = ${c.dim})`, () => {
      const det = problem.hypergradient(lambda);
      expect(maxRelativeError(problem.hypergradient(lambda, { temperature: 1e-9 }), det)).toBeLessThan(1e-6);
      const gibbs = problem.hypergradient(lambda, { temperature: 0.7 });
      expect(maxRelativeError(problem.hypergradient(lambda, { temperature: 0.7, learningRate: 1e-9 }), gibbs)).toBeLessThan(1e-6);
      expect(maxRelativeError(problem.covarianceEstimatorMean(lambda, { temperature: 0.7 }), gibbs)).toBeLessThan(1e-10);
      // the stationary mean is μ: F_τ − F = (τ/2)tr(V A⁻¹) > 0
      expect(problem.objective(lambda, { temperature: 0.7 })).toBeGreaterThan(problem.objective(lambda));
    });
  }

  it('the scalar penalty is the per-parameter one summed along λ·1', () => {
    const data = ridgeData({ dim: 5, seed: 9 });
    const per = ridgeProblem(data);
    const sc = ridgeProblem(data, { penalty: 'scalar' });
    const target = { temperature: 0.3, learningRate: 0.001 };
    const g = per.hypergradient(new Float64Array(5).fill(2), target);
    expect(sc.hypergradient([2], target)[0]).toBeCloseTo(g.reduce((a, b) => a + b, 0), 10);
    expect(sc.objective([2], target)).toBeCloseTo(per.objective([2, 2, 2, 2, 2], target), 12);
  });

  it('ridgeData is seeded and sparse as asked', () => {
    const a = ridgeData({ dim: 8, seed: 'a' });
    expect(ridgeData({ dim: 8, seed: 'a' }).X.data).toEqual(a.X.data);
    expect(ridgeData({ dim: 8, seed: 'b' }).X.data).not.toEqual(a.X.data);
    expect(Array.from(a.thetaTrue ?? []).filter((x) => x === 0)).toHaveLength(4);
  });

  it('bad input: typed errors naming the argument', () => {
    const problem = ridgeProblem(ridgeData({ dim: 3, nTrain: 2, seed: 1 }));
    expect(errorArgument(() => problem.hypergradient([1, 1]))).toBe('lambda');
    expect(errorArgument(() => problem.hypergradient([1, Number.NaN, 1]))).toBe('lambda');
    expect(errorArgument(() => problem.hypergradient([0, 0, 0]))).toBe('lambda'); // n = 2 < d = 3: singular
    expect(errorArgument(() => problem.hypergradient([1, 1, 1], { temperature: 1, learningRate: 10 }))).toBe('target.learningRate');
    expect(errorArgument(() => problem.covarianceEstimatorMean([1, 1, 1], {}))).toBe('target.temperature');
    expect(errorArgument(() => problem.innerGradient(new Float64Array(2), new Float64Array(3)))).toBe('theta');
    expect(errorArgument(() => ridgeProblem({ ...problem.data, y: new Float64Array(5) }))).toBe('data.y');
    expect(errorArgument(() => ridgeData({ dim: 0 }))).toBe('dim');
    expect(() => ridgeProblem(problem.data, { penalty: 'diagonal' as never })).toThrow(ValueError);
  });
});
