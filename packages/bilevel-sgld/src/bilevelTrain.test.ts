/**
 * Closed-loop hyperparameter optimisation on ridge (paper notes §5.2 item 5): the outer loop on
 * log λ with an estimator reaches the argmin of the closed-form objective the estimator targets
 * (F for the deterministic IFT, F_η for the SGLD adjoint) within 0.05 in log λ, over seeds; the
 * per-parameter λ does at least as well on validation as the best scalar λ.
 */
import { adam, eigh, sgd } from '@descent/tensor';
import { bilevelTrain } from './bilevelTrain';
import { iftCG } from './ift';
import { type RidgeProblem, type RidgeTarget, ridgeData, ridgeProblem } from './ridge';
import { sgldFirstOrder } from './sgldFirstOrder';
import { errorArgument } from '@descent/testkit';

/** argmin over log λ of the scalar objective by golden-section search on [lo, hi]. */
function argminLog(problem: RidgeProblem, target: RidgeTarget, lo = -8, hi = 8): number {
  const f = (u: number) => problem.objective([Math.exp(u)], target);
  const g = (Math.sqrt(5) - 1) / 2;
  let a = lo;
  let b = hi;
  for (let k = 0; k < 200; k++) {
    const c = b - g * (b - a);
    const d = a + g * (b - a);
    if (f(c) < f(d)) b = d;
    else a = c;
  }
  return (a + b) / 2;
}

const lmaxAt = (problem: RidgeProblem, lambda: number[]) => Math.max(...eigh(problem.hessian(lambda)).values);
const decaying = (lr: number) => adam({ learningRate: (k: number) => lr / (1 + k / 30) });

describe('bilevelTrain on ridge', () => {
  for (const seed of [1, 2, 3]) {
    const data = ridgeData({ dim: 10, nTrain: 30, nVal: 30, noise: 1, seed });
    const scalar = ridgeProblem(data, { penalty: 'scalar' });
    it(`IFT-CG reaches argmin F within 0.05 in log λ (seed ${seed})`, () => {
      const best = argminLog(scalar, {});
      expect(Math.abs(best)).toBeLessThan(7); // interior
      const lmax = lmaxAt(scalar, [Math.exp(best)]);
      const r = bilevelTrain(scalar, {
        estimator: iftCG({ innerSteps: 20, innerLearningRate: 1 / lmax, maxIter: 10 }),
        lambda0: [1],
        maxSteps: 150,
        optimizer: decaying(0.3),
        seed,
      });
      expect(Math.abs(Math.log(r.lambda[0]) - best)).toBeLessThan(0.05);
      expect(r.history).toHaveLength(150);
      expect(r.stopReason).toBe('maxSteps');
    });

    it(`the SGLD adjoint (B) reaches argmin F_η within 0.05 in log λ (seed ${seed})`, () => {
      // η stable up to λ = e⁵ (the search range)
      const target = { temperature: 0.1, learningRate: 0.5 / lmaxAt(scalar, [Math.exp(5)]) };
      const best = argminLog(scalar, target, -6, 5);
      expect(best).toBeLessThan(4.5);
      const r = bilevelTrain(scalar, {
        estimator: sgldFirstOrder({ ...target, burnIn: 30, samples: 30, chains: 4 }),
        lambda0: [1],
        maxSteps: 400,
        optimizer: decaying(0.3),
        bounds: [Math.exp(-6), Math.exp(5)],
        seed,
      });
      const tail = r.history.slice(-50).map((h) => Math.log(h.lambda[0]));
      expect(Math.abs(tail.reduce((a, b) => a + b, 0) / tail.length - best)).toBeLessThan(0.05);
    });
  }

  it('per-parameter λ (d = 10) does at least as well on validation as the best scalar λ', () => {
    const data = ridgeData({ dim: 10, nTrain: 30, nVal: 30, seed: 4 });
    const scalar = ridgeProblem(data, { penalty: 'scalar' });
    const per = ridgeProblem(data);
    const bestScalar = scalar.objective([Math.exp(argminLog(scalar, {}))]);
    // λ ∈ [1e-3, 1e2] (zero weights of the sparse truth want λᵢ → ∞), η stable at the top
    const lmax = lmaxAt(scalar, [100]);
    const r = bilevelTrain(per, {
      bounds: [1e-3, 100],
      estimator: iftCG({ innerSteps: 20, innerLearningRate: 1 / lmax, maxIter: 10 }),
      lambda0: new Float64Array(10).fill(Math.exp(argminLog(scalar, {}))),
      maxSteps: 200,
      optimizer: decaying(0.2),
    });
    expect(per.objective(r.lambda)).toBeLessThanOrEqual(bestScalar);
  });

  it('plain SGD on λ (logSpace false), callbacks stop, seeds reproduce', () => {
    const problem = ridgeProblem(ridgeData({ dim: 3, seed: 5 }), { penalty: 'scalar' });
    const estimator = sgldFirstOrder({ learningRate: 0.001, temperature: 0.1, burnIn: 5, samples: 5, chains: 2 });
    const run = (seed: number) => bilevelTrain(problem, { estimator, lambda0: [2], maxSteps: 5, seed });
    expect(run(1).lambda).toEqual(run(1).lambda);
    expect(run(1).lambda).not.toEqual(run(2).lambda);
    const r = bilevelTrain(problem, {
      estimator,
      lambda0: [2],
      logSpace: false,
      optimizer: sgd({ learningRate: 1e-3 }),
      onStep: (e) => e.step < 2,
    });
    expect(r.stopReason).toBe('callback');
    expect(r.history).toHaveLength(3);
  });

  it('bad input: typed errors naming the argument', () => {
    const problem = ridgeProblem(ridgeData({ dim: 3, seed: 5 }), { penalty: 'scalar' });
    const estimator = iftCG({ innerLearningRate: 0.001 });
    expect(errorArgument(() => bilevelTrain(problem, { estimator, lambda0: [-1] }))).toBe('lambda0');
    expect(errorArgument(() => bilevelTrain(problem, { estimator, lambda0: [1, 2] }))).toBe('lambda0');
    expect(errorArgument(() => bilevelTrain(problem, { estimator: {} as never, lambda0: [1] }))).toBe('estimator');
    expect(errorArgument(() => bilevelTrain(problem, { estimator, lambda0: [1], optimizer: 3 as never }))).toBe('optimizer');
    expect(errorArgument(() => bilevelTrain(problem, { estimator, lambda0: [1], theta0: [1] }))).toBe('theta0');
    expect(errorArgument(() => bilevelTrain({} as never, { estimator, lambda0: [1] }))).toBe('problem.dim');
  });
});
