/**
 * Meta-learning an MLP prior (iMAML proximal inner loss on the tensor path): a one-layer net on
 * the random Fourier features of the float64 `sinusoidFewShot` IS that problem (same seeded tasks,
 * every hypergradient estimator = its closed form, first order = its ∇L_V, meta-test loss equal);
 * on a tanh MLP with learned per-tensor precisions, unrolled RMD = finite differences of the
 * unrolled meta-objective and IFT-CG = finite differences of the converged one; meta-batches and
 * runs are seeded; nothing leaks; bad input gets typed errors.
 */
import { DescentError, Rng } from '@descent/tensor';
import { ready, tf } from '@descent/tensor/tf';
import { dense, mlp, sequential } from '@descent/nn';
import { bilevelTrain } from '../bilevelTrain';
import { iftCG } from '../ift';
import { dartsFirstOrder, ignoreHypergradient } from '../oneStep';
import { sgldCovariance } from '../sgldCovariance';
import { sgldFirstOrder } from '../sgldFirstOrder';
import { sinusoidFewShot } from '../sinusoid';
import { maxRel } from '../testing';
import { unrolledReverse } from '../unrolled';
import { mlpMetaPrior } from './mlpMetaPrior';

beforeAll(async () => {
  await ready();
});

/** The float64 random-feature problem and the same problem as a one-layer nn on its features. */
function linearPair(seed: number, D = 12, M = 4) {
  const ref = sinusoidFewShot({ tasks: M, features: D, shots: 5, queries: 20, seed });
  // sinusoidFewShot's features (bandwidth 1.5), from the same seeded folds
  const rng = new Rng(seed);
  const omega = rng.fold('omega').normalArray(D, 0, 1 / 1.5);
  const phase = rng.fold('phase').fillUniform(new Float64Array(D), 0, 2 * Math.PI);
  const problem = mlpMetaPrior({
    model: sequential([dense({ inputs: D, units: 1, bias: false })]),
    inputs: (x) => Array.from(omega, (w, j) => Math.sqrt(2 / D) * Math.cos(w * x + phase[j])),
    metaBatch: M,
    shots: 5,
    queries: 20,
    precision: 1,
    seed,
  });
  const lambda = Float64Array.from({ length: D }, (_, j) => 0.7 * Math.sin(j + seed));
  // δ* = θ*_m − θ₀ per task
  const star = ref.innerMinimizer(lambda);
  const deltaStar = star.map((v, i) => v - lambda[i % D]);
  return { ref, problem, lambda, star, deltaStar, D, M };
}

describe('mlpMetaPrior: a one-layer net on random features = the float64 sinusoidFewShot', () => {
  it('same tasks and objective; IFT-CG and the first-order meta-gradient = their closed forms; meta-test loss equal', () => {
    const { ref, problem, lambda, star, deltaStar, D, M } = linearPair(1);
    expect(problem.dim).toBe(M * D);
    expect(problem.hyperDim).toBe(D);
    // L_V is the query MSE, sinusoidFewShot's is the mean of ½r²: a factor 2 everywhere
    expect(problem.outerValue(deltaStar, lambda) / (2 * ref.objective(lambda))).toBeCloseTo(1, 5);
    // δ* is stationary for the nn inner loss too
    expect(Math.max(...Array.from(problem.innerGradient(deltaStar, lambda), Math.abs))).toBeLessThan(1e-4);
    const exact = ref.hypergradient(lambda).map((v) => 2 * v);
    const cg = iftCG({ innerSteps: 0, innerLearningRate: 0.05, maxIter: problem.dim }).estimate(problem, lambda, { theta0: deltaStar });
    expect(maxRel(cg.hypergradient, exact)).toBeLessThan(1e-3);
    // first order (FOMAML-style): ∇_θ₀ L_V at θ₀ + δ* = Σ_m ∇_{θ_m} L_V(θ*) of the float64 problem
    const gv = ref.outerGradient(star, lambda);
    const fo = new Float64Array(D);
    for (let m = 0; m < M; m++) for (let j = 0; j < D; j++) fo[j] += 2 * gv[m * D + j];
    const first = dartsFirstOrder({ innerSteps: 0, innerLearningRate: 0.05 }).estimate(problem, lambda, { theta0: deltaStar });
    expect(maxRel(first.hypergradient, fo)).toBeLessThan(1e-4);
    // they differ: the (I + H/γ)⁻¹ factor matters
    expect(maxRel(fo, exact)).toBeGreaterThan(0.1);
    // K-shot adaptation on fresh seeded tasks (GD to convergence) = the closed-form adaptation
    const mine = problem.metaTestLoss(lambda, { tasks: 4, seed: 'test', steps: 400, learningRate: 0.08 });
    expect(mine / (2 * ref.metaTestLoss(lambda, 4, 'test'))).toBeCloseTo(1, 4);
    problem.dispose();
  });

  it('SGLD adjoint (B) and covariance (C) hit the closed form within 4 SE (the Gibbs covariance does not depend on θ₀ here)', () => {
    // with a quadratic inner loss the stationary law is N(δ*, Σ_η) with Σ_η free of θ₀, so ∇F_η = ∇F_τ = ∇F
    const { ref, problem, lambda, deltaStar } = linearPair(2, 8, 2);
    const exact = ref.hypergradient(lambda).map((v) => 2 * v);
    const scale = Math.max(...Array.from(exact, Math.abs));
    /** max over coordinates of |estimate − exact| / (SE + float32 allowance 1e-3·max|exact|) */
    const z = (est: { hypergradient: Float64Array; standardError?: Float64Array }) =>
      Math.max(...Array.from(exact, (v, j) => Math.abs(est.hypergradient[j] - v) / ((est.standardError?.[j] ?? 0) + 1e-3 * scale)));
    // η·λmax ≲ 1.1 (‖φ(x)‖² ≤ 2, K = 5, γ = 1); 60 burn-in steps contract the adjoint by (1 − ηγ)^60 < 2e-3
    const sg = { learningRate: 0.1, temperature: 0.01, burnIn: 60, samples: 60, chains: 6, seed: 3 };
    const b = sgldFirstOrder(sg).estimate(problem, lambda, { theta0: deltaStar });
    expect(z(b)).toBeLessThan(4);
    const c = sgldCovariance(sg).estimate(problem, lambda, { theta0: deltaStar });
    expect(z(c)).toBeLessThan(4);
    // and they are informative: B's standard error is small against the signal
    expect(Math.max(...Array.from(b.standardError ?? [], Math.abs))).toBeLessThan(0.1 * scale);
    problem.dispose();
  });
});

/** A tiny tanh MLP meta-problem with learned per-tensor log precisions. */
function tanhProblem(seed = 0, precision = 1) {
  const problem = mlpMetaPrior({
    precision,
    model: mlp({ sizes: [1, 6, 6, 1], activation: 'tanh' }),
    inputs: (x) => [x / 5], // inputs in [−1, 1]: a better-conditioned inner problem (fewer GD steps in the tests)
    metaBatch: 2,
    shots: 5,
    queries: 5,
    learnPrecision: true,
    seed,
  });
  const lambda = problem.initialLambda({ seed: 1 });
  return { problem, lambda };
}

const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((s, v, i) => s + v * b[i], 0);

describe('mlpMetaPrior on a tanh MLP (learned precisions): hypergradients = finite differences of the meta-objective', () => {
  it('full RMD = central differences of the T-step unrolled query loss', () => {
    const { problem, lambda } = tanhProblem();
    expect(problem.hyperDim).toBe(problem.priorDim + 6);
    const eta = 0.5 / problem.innerLmax(lambda);
    const T = 8;
    const g = unrolledReverse({ innerSteps: T, innerLearningRate: eta }).estimate(problem, lambda).hypergradient;
    const unrolled = (l: Float64Array) => ignoreHypergradient({ innerSteps: T, innerLearningRate: eta }).estimate(problem, l).outerValue;
    const r = new Rng(5);
    const gn = Math.sqrt(dot(g, g));
    for (const u of [g.map((v) => v / gn), r.normalArray(problem.hyperDim).map((v) => v / Math.sqrt(problem.hyperDim))]) {
      const h = 1e-2;
      const fd = (unrolled(lambda.map((v, i) => v + h * u[i])) - unrolled(lambda.map((v, i) => v - h * u[i]))) / (2 * h);
      expect(Math.abs(fd - dot(g, u))).toBeLessThan(0.02 * gn);
    }
    problem.dispose();
  });

  it('IFT-CG at a converged inner solution = central differences of F(λ) = L_V(δ*(λ), λ)', () => {
    // precision 4: a well-conditioned inner problem, so gradient descent converges in a few hundred steps
    const { problem, lambda } = tanhProblem(2, 4);
    const gd = (l: Float64Array, eta: number, steps: number, from?: Float64Array) =>
      ignoreHypergradient({ innerSteps: steps, innerLearningRate: eta }).estimate(problem, l, from === undefined ? {} : { theta0: from });
    // λmax grows as the tasks are fitted: a cautious start, then 0.8/λmax at the adapted point
    let star = gd(lambda, 0.25 / problem.innerLmax(lambda), 150).states[0];
    const eta = 0.8 / problem.innerLmax(lambda, star);
    star = gd(lambda, eta, 300, star).states[0];
    expect(Math.max(...Array.from(problem.innerGradient(star, lambda), Math.abs))).toBeLessThan(1e-4);
    const g = iftCG({ innerSteps: 0, innerLearningRate: eta, maxIter: problem.dim }).estimate(problem, lambda, { theta0: star }).hypergradient;
    const gn = Math.sqrt(dot(g, g));
    const u = g.map((v) => v / gn);
    const h = 2e-2;
    const F = (l: Float64Array) => gd(l, eta, 200, star).outerValue;
    const fd = (F(lambda.map((v, i) => v + h * u[i])) - F(lambda.map((v, i) => v - h * u[i]))) / (2 * h);
    expect(Math.abs(fd / gn - 1)).toBeLessThan(0.02);
    problem.dispose();
  });
});

describe('mlpMetaPrior: seeded task stream, meta-batches, reproducibility, leaks, bad input', () => {
  it('meta-batch b = tasks bM … bM + M − 1 of the seeded stream; the same seed gives the same bits', () => {
    const a = tanhProblem(4).problem;
    const b = tanhProblem(4).problem;
    const c = tanhProblem(5).problem;
    const t0 = a.tasks();
    expect(b.tasks()).toEqual(t0);
    expect(c.tasks()[0].x).not.toEqual(t0[0].x);
    a.setMetaBatch(3);
    expect(a.batchIndex).toBe(3);
    expect(a.tasks()[0].x).not.toEqual(t0[0].x);
    a.setMetaBatch(0);
    expect(a.tasks()).toEqual(t0);
    for (const t of t0) {
      expect(t.amplitude).toBeGreaterThanOrEqual(0.1);
      expect(t.amplitude).toBeLessThanOrEqual(5);
      t.x.forEach((x, i) => {
        expect(t.y[i]).toBeCloseTo(t.amplitude * Math.sin(x - t.phase), 12);
      });
    }
    // a seeded meta-training run with fresh meta-batches (SGLD adjoint) is bit-reproducible
    const run = (problem: typeof a) => {
      problem.setMetaBatch(0);
      const lambda0 = problem.initialLambda({ seed: 1 });
      const eta = 0.5 / problem.innerLmax(lambda0);
      return bilevelTrain(problem, {
        estimator: sgldFirstOrder({ learningRate: eta, temperature: 1e-4, burnIn: 3, samples: 3, chains: 2 }),
        lambda0,
        logSpace: false,
        warmStart: false,
        maxSteps: 3,
        learningRate: 0.01,
        seed: 7,
        onStep: ({ step }) => problem.setMetaBatch(step + 1),
      });
    };
    const ra = run(a);
    const rb = run(b);
    expect(ra.lambda).toEqual(rb.lambda);
    expect(ra.history.map((h) => h.outerValue)).toEqual(rb.history.map((h) => h.outerValue));
    expect(a.batchIndex).toBe(3);
    expect(ra.lambda).not.toEqual(a.initialLambda({ seed: 1 }));
    for (const p of [a, b, c]) p.dispose();
  });

  it('no tensor leaks (estimates, meta-batches, meta-test, dispose)', () => {
    const before = tf.memory().numTensors;
    const { problem, lambda } = tanhProblem(6);
    const eta = 0.5 / problem.innerLmax(lambda);
    sgldFirstOrder({ learningRate: eta, temperature: 1e-4, burnIn: 2, samples: 2, chains: 2 }).estimate(problem, lambda);
    sgldCovariance({ learningRate: eta, temperature: 1e-4, burnIn: 2, samples: 2, chains: 2 }).estimate(problem, lambda);
    iftCG({ innerSteps: 3, innerLearningRate: eta, maxIter: 3 }).estimate(problem, lambda);
    problem.setMetaBatch(2);
    problem.metaTestLoss(lambda, { tasks: 3, steps: 2, learningRate: eta });
    const tree = problem.priorTree(lambda);
    tf.dispose(Object.values(tree).flatMap((g) => Object.values(g)));
    problem.dispose();
    problem.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('bad input: typed errors naming the argument', () => {
    const arg = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(DescentError);
        return (e as DescentError).argument;
      }
      return 'no error';
    };
    expect(arg(() => mlpMetaPrior(42 as never))).toBe('options');
    expect(arg(() => mlpMetaPrior({ metaBatch: 0 }))).toBe('metaBatch');
    expect(arg(() => mlpMetaPrior({ precision: -1 }))).toBe('precision');
    expect(arg(() => mlpMetaPrior({ model: {} as never }))).toBe('model');
    expect(arg(() => mlpMetaPrior({ inputs: 'x' as never }))).toBe('inputs');
    expect(arg(() => mlpMetaPrior({ inputs: () => [Number.NaN], model: mlp({ sizes: [1, 2, 1] }) }))).toBe('inputs');
    expect(arg(() => mlpMetaPrior({ shots: 1.5 }))).toBe('shots');
    expect(arg(() => mlpMetaPrior({ bogus: 1 } as never))).toBe('bogus');
    const { problem, lambda } = tanhProblem();
    expect(arg(() => problem.setMetaBatch(-1))).toBe('index');
    expect(arg(() => problem.priorTree([1, 2]))).toBe('lambda');
    expect(arg(() => problem.metaTestLoss(lambda, { steps: 1 } as never))).toBe('learningRate');
    expect(arg(() => problem.metaTestLoss(lambda, { steps: 1, learningRate: 0.1, tasks: 0 }))).toBe('tasks');
    expect(arg(() => problem.initialLambda({ prior: 'ones' as never }))).toBe('prior');
    expect(arg(() => problem.innerLmax(lambda, undefined, 0))).toBe('iterations');
    problem.dispose();
    expect(arg(() => problem.innerGradient(new Float64Array(problem.dim), lambda))).toBe('problem');
    expect(arg(() => problem.setMetaBatch(1))).toBe('problem');
  });
});
