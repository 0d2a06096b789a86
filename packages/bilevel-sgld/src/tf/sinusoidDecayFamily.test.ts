/**
 * The sinusoid weight-decay MLP family (issue 15: the bench's sinusoid experiment diverged on a
 * seed): with the inner step fixed at 1/λmax of the initial network, gradient descent diverges
 * once the network fits (its curvature grows several-fold) — a typed ValueError naming
 * `innerLearningRate`, never a silent NaN. With the curvature rule (η = 1/L̂ at the current θ₀, λ
 * of every estimate) a GD baseline (T1–T2) and the SGLD estimators C and B run a closed loop with an aggressive outer step
 * (log decays move by ~1 per outer step) on 5 seeds of the bench's network and on two other
 * widths/shot counts: all outer values, λ and final inner losses stay finite, and the step the rule
 * gives at the final (θ, λ) has 1 ≤ η·λmax < 1.5 (λmax from a long power iteration). Every
 * estimator resolves its step through the same code (stepSize.test.ts checks each of them on ridge:
 * the rule = a fixed step at the rule's value); the bench runs all of them on the family.
 */
import { Rng, adam } from '@descent/tensor';
import { errorArgument } from '@descent/testkit';
import { ready } from '@descent/tensor/tf';
import { bilevelTrain } from '../bilevelTrain';
import type { HypergradientEstimator } from '../estimator';
import { ignoreHypergradient, t1t2 } from '../oneStep';
import { checkProblem } from '../problem';
import { sgldCovariance } from '../sgldCovariance';
import { sgldFirstOrder } from '../sgldFirstOrder';
import { type StepSize, curvatureAt } from '../stepSize';
import { sinusoidDecayTask } from './sinusoidDecayTask';

beforeAll(async () => {
  await ready();
});

const rule: StepSize = { type: 'curvature', scale: 1, maxStep: 0.5, iterations: 8, warmIterations: 3 };

/** One deterministic GD baseline, the SGLD covariance (first order) and the SGLD adjoint (its own η-recursion). */
function estimators(T: number): [string, HypergradientEstimator][] {
  const sg = { learningRate: rule, temperature: 1e-4, burnIn: 0, samples: T, chains: 1 };
  return [
    ['T1-T2', t1t2({ innerSteps: T, innerLearningRate: rule })],
    ['SGLD covariance (C)', sgldCovariance(sg)],
    ['SGLD adjoint (B)', sgldFirstOrder(sg)],
  ];
}

/** The bench's task of a seed (the same stream as `bilevel-mlp-sinusoid-decay`). */
const benchTask = (seed: number, sizes?: number[], shots?: number) =>
  sinusoidDecayTask({ rng: new Rng(seed).fold('bench', 'bilevel-mlp-sinusoid-decay').fold('task'), initSeed: seed, sizes, shots });

describe('the sinusoid weight-decay MLP family', () => {
  it('a step fixed at 1/λmax of the initial network diverges as it fits (seed 2): a typed ValueError naming innerLearningRate; the rule does not', () => {
    const task = benchTask(2);
    try {
      const P = checkProblem(task.problem);
      const l = new Float64Array(task.hyperDim).fill(Math.log(1e-3));
      const eta = Math.min(0.5, 1 / curvatureAt(P, task.theta0, l, 20).value);
      const diverge = () => ignoreHypergradient({ innerSteps: 150, innerLearningRate: eta }).estimate(task.problem, l, { theta0: task.theta0 });
      expect(errorArgument(diverge)).toBe('innerLearningRate');
      // the same 150 steps with the rule (re-resolved every 10 steps) stay finite, at a smaller step
      const r = bilevelTrain(task.problem, {
        estimator: ignoreHypergradient({ innerSteps: 10, innerLearningRate: rule }),
        lambda0: l,
        theta0: task.theta0,
        logSpace: false,
        maxSteps: 15,
      });
      expect(Number.isFinite(task.problem.innerValue(r.states[0], l))).toBe(true);
      expect(r.history.at(-1)?.learningRate).toBeLessThan(0.75 * eta);
    } finally {
      task.dispose();
    }
  });

  const family = [
    ...[0, 1, 2, 3, 4].map((seed) => ({ seed, sizes: [1, 40, 40, 1], shots: 10 })),
    { seed: 5, sizes: [1, 16, 1], shots: 5 },
    { seed: 6, sizes: [1, 24, 24, 24, 1], shots: 20 },
  ];
  it.each(family)('no estimator diverges with the curvature rule: seed $seed, sizes $sizes, $shots shots', ({ seed, sizes, shots }) => {
    const task = benchTask(seed, sizes, shots);
    try {
      const P = checkProblem(task.problem);
      const lambda0 = new Float64Array(task.hyperDim).fill(Math.log(1e-3));
      const warm = bilevelTrain(task.problem, {
        estimator: ignoreHypergradient({ innerSteps: 10, innerLearningRate: rule }),
        lambda0,
        theta0: task.theta0,
        logSpace: false,
        maxSteps: 4,
      }).states[0];
      let last: { theta: Float64Array; lambda: Float64Array; eta: number } | undefined;
      for (const [name, estimator] of estimators(4)) {
        // log decays move by ~1 per outer step (Adam, learning rate 1)
        const r = bilevelTrain(task.problem, {
          estimator,
          lambda0,
          theta0: warm,
          logSpace: false,
          maxSteps: 3,
          optimizer: adam({ learningRate: 1 }),
          seed,
        });
        const finalLoss = task.problem.innerValue(r.states[0], r.lambda);
        const finite = Number.isFinite(finalLoss) && r.lambda.every(Number.isFinite) && r.history.every((h) => Number.isFinite(h.outerValue));
        expect({ name, finite }).toEqual({ name, finite: true });
        last = { theta: r.states[0], lambda: r.lambda, eta: r.history.at(-1)?.learningRate ?? Number.NaN };
      }
      // the rule's step at the last estimate's start vs a long power iteration there: stable with margin
      if (last === undefined) throw new Error('no run');
      const cold = estimators(4)[0][1].estimate(task.problem, last.lambda, { theta0: last.theta }).learningRate ?? Number.NaN;
      const lmax = curvatureAt(P, last.theta, last.lambda, 40).value;
      expect(cold * lmax).toBeGreaterThanOrEqual(1 - 1e-6);
      expect(cold * lmax).toBeLessThan(1.5);
    } finally {
      task.dispose();
    }
  });
});
