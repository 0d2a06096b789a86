/**
 * The curvature step rule on ridge, where λmax(H) = λmax(XᵀX + diag λ) is known exactly: the power
 * iteration reaches it from below; every estimator given the rule computes exactly what it
 * computes with the fixed step the rule resolved to (same bits) and reports that step; warm starts
 * use `warmIterations`; in a closed loop whose optimum λ makes the inner problem several times more
 * curved than at λ0, a step fixed at 1/λmax(λ0) fails with a typed error while the rule keeps
 * η·λmax(A(λₖ)) in [1, 1.05] at every outer step and reaches min F.
 */
import { NotSupportedError, ValueError, adam, eigh } from '@descent/tensor';
import { errorArgument } from '@descent/testkit';
import { bilevelTrain } from './bilevelTrain';
import type { HypergradientEstimator } from './estimator';
import { iftCG, iftNeumann } from './ift';
import { dartsFD, dartsFirstOrder, ignoreHypergradient, t1t2 } from './oneStep';
import { checkProblem } from './problem';
import { ridgeData, ridgeProblem } from './ridge';
import { sgldCovariance } from './sgldCovariance';
import { sgldFirstOrder } from './sgldFirstOrder';
import { sgldPathwise } from './sgldPathwise';
import { curvatureAt, readStepSize, resolveStep } from './stepSize';
import { smallRidge } from './testing';
import { forwardMode, unrolledReverse } from './unrolled';

const lmaxOf = (problem: ReturnType<typeof ridgeProblem>, lambda: ArrayLike<number>) => Math.max(...eigh(problem.hessian(lambda)).values);

describe('curvatureAt (power iteration on H·v)', () => {
  it('reaches λmax(A) from below, nondecreasing, and a warm start converges at once', () => {
    const { problem, lambda, lmax } = smallRidge(3, 'perParameter', 6);
    const P = checkProblem(problem);
    const theta = new Float64Array(6);
    let previous = 0;
    for (const k of [1, 2, 4, 8, 16]) {
      const { value } = curvatureAt(P, theta, lambda, k);
      expect(value).toBeLessThanOrEqual(lmax * (1 + 1e-12));
      expect(value).toBeGreaterThanOrEqual(previous * (1 - 1e-12));
      previous = value;
    }
    const long = curvatureAt(P, theta, lambda, 300);
    expect(Math.abs(long.value / lmax - 1)).toBeLessThan(1e-8);
    expect(Math.abs(curvatureAt(P, theta, lambda, 1, long.vector).value / lmax - 1)).toBeLessThan(1e-8);
  });
});

describe('every estimator with the rule = the same estimator with the step it resolved to', () => {
  const rule = { type: 'curvature', scale: 0.8 } as const;
  const inner = (lr: number | typeof rule) => ({ innerSteps: 8, innerLearningRate: lr });
  const chain = (lr: number | typeof rule) => ({ learningRate: lr, temperature: 0.1, burnIn: 3, samples: 5, chains: 2, seed: 4 });
  const makers: [string, (lr: number | typeof rule) => HypergradientEstimator][] = [
    ['IFT-CG', (lr) => iftCG({ ...inner(lr), maxIter: 4 })],
    ['IFT-Neumann', (lr) => iftNeumann({ ...inner(lr), terms: 4 })],
    ['RMD', (lr) => unrolledReverse(inner(lr))],
    ['truncated RMD', (lr) => unrolledReverse({ ...inner(lr), truncate: 3 })],
    ['FMD', (lr) => forwardMode(inner(lr))],
    ['T1-T2', (lr) => t1t2(inner(lr))],
    ['DARTS FD', (lr) => dartsFD(inner(lr))],
    ['DARTS first order', (lr) => dartsFirstOrder(inner(lr))],
    ['ignore', (lr) => ignoreHypergradient(inner(lr))],
    ['SGLD covariance', (lr) => sgldCovariance(chain(lr))],
    ['SGLD pathwise', (lr) => sgldPathwise(chain(lr))],
    ['SGLD adjoint (B)', (lr) => sgldFirstOrder(chain(lr))],
    ['SGLD Hessian-dropped (A)', (lr) => sgldFirstOrder({ ...chain(lr), variant: 'hessianDropped' })],
  ];
  const { problem, lambda, lmax } = smallRidge(2);
  const theta0 = Float64Array.from({ length: problem.dim }, (_, i) => 0.3 * Math.cos(i));
  it.each(makers)('%s', (_name, make) => {
    const r = make(rule).estimate(problem, lambda, { theta0 });
    const eta = r.learningRate ?? Number.NaN;
    expect(r.curvature).toBeDefined();
    expect(eta).toBe(0.8 / (r.curvature?.value ?? Number.NaN));
    expect(Math.abs((eta * lmax) / 0.8 - 1)).toBeLessThan(1e-3); // 20 cold iterations on a d = 4 ridge
    const fixed = make(eta).estimate(problem, lambda, { theta0 });
    expect(fixed.learningRate).toBe(eta);
    expect(fixed.curvature).toBeUndefined();
    expect(Array.from(r.hypergradient)).toEqual(Array.from(fixed.hypergradient));
    expect(r.secondOrderCalls).toBe(fixed.secondOrderCalls + 20); // the cold power iteration
    // a warm start (the vector of the last estimate) costs warmIterations = 4 products
    const warm = make(rule).estimate(problem, lambda, { theta0, curvature: r.curvature?.vector });
    expect(warm.secondOrderCalls).toBe(fixed.secondOrderCalls + 4);
  });
});

describe('resolveStep and readStepSize', () => {
  const { problem, lambda, lmax } = smallRidge(1);
  const P = checkProblem(problem);
  const theta = new Float64Array(problem.dim);

  it('fixed steps pass through; maxStep caps the rule', () => {
    expect(resolveStep(P, readStepSize(0.1, 'lr'), theta, lambda, undefined, 'lr')).toEqual({ eta: 0.1 });
    expect(resolveStep(P, readStepSize({ type: 'curvature', maxStep: 1e-4 }, 'lr'), theta, lambda, undefined, 'lr').eta).toBe(1e-4);
    const free = resolveStep(P, readStepSize({ type: 'curvature', iterations: 200 }, 'lr'), theta, lambda, undefined, 'lr').eta;
    expect(Math.abs(free * lmax - 1)).toBeLessThan(1e-8);
  });

  it('a zero Hessian without maxStep is a NotSupportedError naming the option', () => {
    const flat = checkProblem({
      dim: 2,
      hyperDim: 1,
      innerGradient: () => [0, 0],
      innerHyperGradient: () => [0],
      outerValue: () => 0,
      outerGradient: () => [0, 0],
      innerHvp: () => [0, 0],
    });
    const rule = readStepSize({ type: 'curvature' }, 'innerLearningRate');
    expect(() => resolveStep(flat, rule, new Float64Array(2), new Float64Array(1), undefined, 'innerLearningRate')).toThrow(NotSupportedError);
    expect(resolveStep(flat, readStepSize({ type: 'curvature', maxStep: 0.5 }, 'x'), new Float64Array(2), new Float64Array(1), undefined, 'x').eta).toBe(0.5);
  });

  it.each([
    [0, 'innerLearningRate'],
    [-1, 'innerLearningRate'],
    [Number.NaN, 'innerLearningRate'],
    ['curvature', 'innerLearningRate'],
    [{ type: 'fixed' }, 'innerLearningRate'],
    [{ type: 'curvature', scale: 0 }, 'innerLearningRate.scale'],
    [{ type: 'curvature', scale: 3 }, 'innerLearningRate.scale'],
    [{ type: 'curvature', iterations: 0 }, 'innerLearningRate.iterations'],
    [{ type: 'curvature', warmIterations: 1.5 }, 'innerLearningRate.warmIterations'],
    [{ type: 'curvature', maxStep: -1 }, 'innerLearningRate.maxStep'],
    [{ type: 'curvature', scales: 1 }, 'innerLearningRate.scales'],
  ])('bad step %p is a ValueError naming %s (through an estimator)', (value, argument) => {
    expect(errorArgument(() => iftCG({ innerLearningRate: value as number }))).toBe(argument);
    expect(() => iftCG({ innerLearningRate: value as number })).toThrow(ValueError);
  });

  it('context.curvature is checked (length d)', () => {
    const est = iftCG({ innerLearningRate: { type: 'curvature' } });
    expect(() => est.estimate(problem, lambda, { curvature: [1] })).toThrow(/context\.curvature/);
  });
});

describe('a closed loop that moves λ where the inner loss is more curved (ridge, noise 5)', () => {
  for (const seed of [1, 2, 3]) {
    const scalar = ridgeProblem(ridgeData({ dim: 10, nTrain: 20, nVal: 30, noise: 5, seed }), { penalty: 'scalar' });
    const l0 = lmaxOf(scalar, [1]);
    const estimator = (lr: number | { type: 'curvature' }) => iftCG({ innerSteps: 20, innerLearningRate: lr, maxIter: 10 });
    const run = (lr: number | { type: 'curvature' }, maxSteps: number) =>
      bilevelTrain(scalar, {
        estimator: estimator(lr),
        lambda0: [1],
        maxSteps,
        optimizer: adam({ learningRate: (k: number) => 0.3 / (1 + k / 30) }),
        seed,
      });

    it(`a step fixed at 1/λmax(λ0) fails with a typed error naming innerLearningRate (seed ${seed})`, () => {
      expect(errorArgument(() => run(1 / l0, 150))).toBe('innerLearningRate');
    });

    it(`the curvature rule keeps η·λmax(A(λₖ)) in [1, 1.05] and reaches min F (relative gap < 1e-3; F is flat near its minimum) (seed ${seed})`, () => {
      let best = 0;
      let bestValue = Number.POSITIVE_INFINITY;
      for (let u = -2; u <= 8; u += 0.001) {
        const v = scalar.objective([Math.exp(u)]);
        if (v < bestValue) [best, bestValue] = [u, v];
      }
      expect(lmaxOf(scalar, [Math.exp(best)])).toBeGreaterThan(2 * l0); // the fixed step is unstable there
      const r = run({ type: 'curvature' }, 150);
      for (const h of r.history) {
        const ratio = (h.learningRate ?? Number.NaN) * lmaxOf(scalar, h.lambda);
        expect(ratio).toBeGreaterThanOrEqual(1 - 1e-9);
        expect(ratio).toBeLessThan(1.05);
      }
      expect(scalar.objective(r.lambda) / bestValue - 1).toBeLessThan(1e-3);
    });
  }
});
