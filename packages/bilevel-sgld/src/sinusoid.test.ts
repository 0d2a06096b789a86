/**
 * Few-shot sinusoid meta-learning: the closed-form hypergradient against finite differences and
 * IFT-CG, and the outer loop improving the meta-test loss over a zero prior.
 */
import { fdGrad, maxRelativeError } from '@descent/tensor';
import { bilevelTrain } from './bilevelTrain';
import { iftCG } from './ift';
import { checkProblem } from './problem';
import { sgldFirstOrder } from './sgldFirstOrder';
import { sinusoidFewShot } from './sinusoid';
import { errorArgument } from '@descent/testkit';

describe('sinusoidFewShot', () => {
  const problem = sinusoidFewShot({ tasks: 8, features: 12, seed: 1 });
  const lambda = Float64Array.from({ length: 12 }, (_, j) => Math.sin(j));

  it('closed-form hypergradient = finite differences of F = IFT-CG at θ*; oracles match finite differences', () => {
    const exact = problem.hypergradient(lambda);
    expect(maxRelativeError(exact, fdGrad((l) => problem.objective(l), lambda))).toBeLessThan(1e-6);
    const cg = iftCG({ innerSteps: 0, innerLearningRate: 0.1, maxIter: problem.dim }).estimate(problem, lambda, {
      theta0: problem.innerMinimizer(lambda),
    });
    expect(maxRelativeError(cg.hypergradient, exact)).toBeLessThan(1e-8);
    const P = checkProblem(problem);
    const theta = problem.innerMinimizer(lambda).map((x, i) => x + 0.1 * Math.cos(i));
    const v = theta.map((_, i) => Math.sin(3 * i));
    expect(maxRelativeError(P.hvp(theta, lambda, v, 'exact'), P.hvp(theta, lambda, v, 'fd'))).toBeLessThan(1e-6);
    expect(maxRelativeError(P.mixedVjp(theta, lambda, v, 'exact'), P.mixedVjp(theta, lambda, v, 'fd'))).toBeLessThan(1e-6);
    expect(maxRelativeError(P.mixedJvp(theta, lambda, lambda, 'exact'), P.mixedJvp(theta, lambda, lambda, 'fd'))).toBeLessThan(1e-6);
    // the inner minimiser is stationary
    expect(Math.max(...Array.from(problem.innerGradient(problem.innerMinimizer(lambda), lambda), Math.abs))).toBeLessThan(1e-10);
  });

  it('meta-training the prior mean lowers the meta-test loss on fresh tasks (IFT-CG and SGLD adjoint)', () => {
    const p = sinusoidFewShot({ tasks: 20, features: 20, seed: 2 });
    const zero = new Float64Array(20);
    const before = p.metaTestLoss(zero, 200, 'test');
    for (const estimator of [
      iftCG({ innerSteps: 10, innerLearningRate: 0.1, maxIter: 20 }),
      sgldFirstOrder({ learningRate: 0.05, temperature: 0.01, burnIn: 0, samples: 10, chains: 2 }),
    ]) {
      const r = bilevelTrain(p, { estimator, lambda0: zero, logSpace: false, maxSteps: 150, learningRate: 0.1 });
      expect(p.objective(r.lambda)).toBeLessThan(p.objective(zero));
      expect(p.metaTestLoss(r.lambda, 200, 'test')).toBeLessThan(before);
    }
  });

  it('bad input: typed errors naming the argument', () => {
    expect(errorArgument(() => sinusoidFewShot({ shots: 0 }))).toBe('shots');
    expect(errorArgument(() => problem.hypergradient([1]))).toBe('lambda');
    expect(errorArgument(() => problem.metaTestLoss(lambda, 0, 1))).toBe('count');
    expect(errorArgument(() => problem.metaTestLoss(lambda, 2, Number.NaN))).toBe('seed');
  });
});
