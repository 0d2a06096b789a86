/**
 * The tensor path (an @descent/nn model as a bilevel problem, oracles by nn/tfjs autodiff)
 * against the float64 path: ridge as a one-layer linear nn and hyper-cleaning's multinomial
 * logistic regression as a one-layer nn give the float64 oracles to float32 precision and the
 * same hypergradients (deterministic estimators to ~1e-3, SGLD estimators within Monte-Carlo
 * error of each other and of the closed form); on a tiny tanh MLP, second-order products pass
 * adjoint/symmetry/finite-difference checks and unrolled RMD matches finite differences of the
 * unrolled objective; nothing leaks; bad input gets typed errors.
 */
import { DescentError, Rng, ShapeError, ValueError } from '@descent/tensor';
import { ready, softmaxCrossEntropy, safeSigmoid, tf } from '@descent/tensor/tf';
import { dense, disposeTree, meanSquaredError, mlp, sequential } from '@descent/nn';
import { checkProblem } from '../problem';
import { ridgeData, ridgeProblem } from '../ridge';
import { reweightingProblem } from '../reweighting';
import { iftCG } from '../ift';
import { unrolledReverse } from '../unrolled';
import { sgldCovariance } from '../sgldCovariance';
import { sgldFirstOrder } from '../sgldFirstOrder';
import { maxRel, maxZ } from '../testing';
import { nnBilevelProblem, treeWeightDecay, weightDecayDim } from './nnProblem';
import { errorArgument } from '@descent/testkit';

beforeAll(async () => {
  await ready();
});

/** Ridge ½‖Xw − y‖² + ½Σλᵢwᵢ² as a one-layer linear nn (dense, no bias): θ = W [d, 1]. */
function ridgeAsNn(seed: number, dim = 4) {
  const data = ridgeData({ dim, nTrain: 20, nVal: 30, seed });
  const ref = ridgeProblem(data);
  const model = sequential([dense({ inputs: dim, units: 1, bias: false })]);
  const X = tf.tensor2d(Float32Array.from(data.X.data), [data.X.rows, dim]);
  const y = tf.tensor2d(Float32Array.from(data.y), [data.X.rows, 1]);
  const Xv = tf.tensor2d(Float32Array.from(data.Xval.data), [data.Xval.rows, dim]);
  const yv = tf.tensor2d(Float32Array.from(data.yval), [data.Xval.rows, 1]);
  const params = model.init(seed);
  const problem = nnBilevelProblem({
    params,
    hyperDim: dim,
    innerLoss: (p, l) =>
      tf.add(
        tf.mul(0.5, meanSquaredError(model.apply(p, X), y, { reduction: 'sum' })),
        tf.mul(0.5, tf.sum(tf.mul(l, tf.square(tf.reshape(p.dense0.W, [-1]))))),
      ),
    outerLoss: (p) => tf.mul(0.5, meanSquaredError(model.apply(p, Xv), yv, { reduction: 'sum' })),
  });
  disposeTree(params);
  const lambda = Float64Array.from({ length: dim }, (_, i) => 0.5 + ((i * 7 + seed) % 5) * 0.6);
  return { ref, problem, lambda, dispose: () => tf.dispose([X, y, Xv, yv]) };
}

describe('ridge as a one-layer nn = the float64 ridge problem', () => {
  it('every oracle (∇θ, ∇λ, H v, Bᵀv, B u, L_V) agrees to float32 precision', () => {
    const { ref, problem, lambda, dispose } = ridgeAsNn(1);
    const r = new Rng(3);
    const theta = r.normalArray(4);
    const v = r.normalArray(4);
    const u = r.normalArray(4);
    const a = checkProblem(problem);
    const b = checkProblem(ref);
    expect(maxRel(a.innerGradient(theta, lambda), b.innerGradient(theta, lambda))).toBeLessThan(1e-5);
    expect(maxRel(a.innerHyperGradient(theta, lambda), b.innerHyperGradient(theta, lambda))).toBeLessThan(1e-5);
    expect(maxRel(a.outerGradient(theta, lambda), b.outerGradient(theta, lambda))).toBeLessThan(1e-5);
    expect(maxRel(a.hvp(theta, lambda, v), b.hvp(theta, lambda, v))).toBeLessThan(1e-5);
    expect(maxRel(a.mixedVjp(theta, lambda, v), b.mixedVjp(theta, lambda, v))).toBeLessThan(1e-5);
    expect(maxRel(a.mixedJvp(theta, lambda, u), b.mixedJvp(theta, lambda, u))).toBeLessThan(1e-5);
    expect(Math.abs(a.outerValue(theta, lambda) / b.outerValue(theta, lambda) - 1)).toBeLessThan(1e-5);
    expect(a.outerHyperGradient(theta, lambda)).toEqual(new Float64Array(4));
    dispose();
  });

  it('IFT-CG on the nn reaches the closed-form hypergradient (1e-3), as on float64', () => {
    const { ref, problem, lambda, dispose } = ridgeAsNn(2);
    const exact = ref.hypergradient(lambda);
    const est = iftCG({ innerLearningRate: 0.02, innerSteps: 400, maxIter: 10 });
    const nn = est.estimate(problem, lambda);
    const f64 = est.estimate(ref, lambda);
    expect(maxRel(f64.hypergradient, exact)).toBeLessThan(1e-3);
    expect(maxRel(nn.hypergradient, exact)).toBeLessThan(1e-3);
    dispose();
  });

  it('SGLD estimators on the nn (B: adjoint, C: covariance) agree with float64 within Monte-Carlo error and hit their closed forms', () => {
    const { ref, problem, lambda, dispose } = ridgeAsNn(3);
    const lmax = 40; // ≥ λmax(A) for this data (checked below)
    const eta = 0.8 / lmax;
    const tau = 0.5;
    const o = { learningRate: eta, temperature: tau, burnIn: 60, samples: 100, chains: 8 };
    const start = { theta0: ref.innerMinimizer(lambda) };
    const fEta = ref.hypergradient(lambda, { temperature: tau, learningRate: eta });
    const b64 = sgldFirstOrder({ ...o, seed: 1 }).estimate(ref, lambda, start);
    const bnn = sgldFirstOrder({ ...o, seed: 2 }).estimate(problem, lambda, start);
    expect(maxZ(bnn.hypergradient, fEta, bnn.standardError)).toBeLessThan(4);
    expect(maxZ(b64.hypergradient, fEta, b64.standardError)).toBeLessThan(4);
    const se = b64.standardError!.map((s, i) => Math.hypot(s, bnn.standardError![i]));
    expect(maxZ(bnn.hypergradient, b64.hypergradient, se)).toBeLessThan(4);
    const cMean = ref.covarianceEstimatorMean(lambda, { temperature: tau, learningRate: eta });
    const cnn = sgldCovariance({ ...o, seed: 4 }).estimate(problem, lambda, start);
    expect(maxZ(cnn.hypergradient, cMean, cnn.standardError)).toBeLessThan(4);
    dispose();
  });

  it('treeWeightDecay (λ = log decays) is ridge with decays exp(λ): chain rule dF/dλ = exp(λ) ⊙ dF/d(decay)', () => {
    const dim = 3;
    const data = ridgeData({ dim, nTrain: 15, nVal: 20, seed: 5 });
    const ref = ridgeProblem(data);
    const model = sequential([dense({ inputs: dim, units: 1, bias: false })]);
    const X = tf.tensor2d(Float32Array.from(data.X.data), [15, dim]);
    const y = tf.tensor2d(Float32Array.from(data.y), [15, 1]);
    const Xv = tf.tensor2d(Float32Array.from(data.Xval.data), [20, dim]);
    const yv = tf.tensor2d(Float32Array.from(data.yval), [20, 1]);
    const params = model.init(0);
    expect(weightDecayDim(params, 'weight')).toBe(dim);
    expect(weightDecayDim(params, 'tensor')).toBe(1);
    const problem = nnBilevelProblem({
      params,
      hyperDim: dim,
      innerLoss: (p, l) =>
        tf.add(tf.mul(0.5, meanSquaredError(model.apply(p, X), y, { reduction: 'sum' })), treeWeightDecay(p, l, 'weight')),
      outerLoss: (p) => tf.mul(0.5, meanSquaredError(model.apply(p, Xv), yv, { reduction: 'sum' })),
    });
    disposeTree(params);
    const logDecay = Float64Array.of(-0.5, 0.3, 1);
    const decay = logDecay.map(Math.exp);
    const exact = ref.hypergradient(decay).map((g, i) => g * decay[i]);
    const got = iftCG({ innerLearningRate: 0.02, innerSteps: 400, maxIter: 10 }).estimate(problem, logDecay);
    expect(maxRel(got.hypergradient, exact)).toBeLessThan(2e-3);
    tf.dispose([X, y, Xv, yv]);
  });
});

describe('hyper-cleaning: multinomial logistic regression as a one-layer nn = the float64 problem', () => {
  it('per-example weights σ(λ): the same IFT-CG and T-step RMD hypergradients (layout-free)', () => {
    const rng = new Rng(7);
    const n = 24;
    const f = 3;
    const k = 3;
    const nv = 18;
    const x = rng.normalArray(n * f);
    const y = Array.from({ length: n }, (_, i) => i % k);
    const xVal = rng.normalArray(nv * f);
    const yVal = Array.from({ length: nv }, (_, i) => (i * 2) % k);
    const l2 = 0.05;
    const ref = reweightingProblem({ x, y, xVal, yVal, features: f, classes: k }, { l2 });
    const model = sequential([dense({ inputs: f, units: k })]);
    const X = tf.tensor2d(Float32Array.from(x), [n, f]);
    const Y = tf.oneHot(tf.tensor1d(y, 'int32'), k);
    const Xv = tf.tensor2d(Float32Array.from(xVal), [nv, f]);
    const Yv = tf.oneHot(tf.tensor1d(yVal, 'int32'), k);
    const params = model.init(1);
    const problem = nnBilevelProblem({
      params,
      hyperDim: n,
      innerLoss: (p, l) => {
        const per = softmaxCrossEntropy(Y, model.apply(p, X), { reduction: 'none' });
        const sq = tf.addN(Object.values(p.dense0).map((t) => tf.sum(tf.square(t))));
        return tf.add(tf.mean(tf.mul(safeSigmoid(l), per)), tf.mul(l2 / 2, sq));
      },
      outerLoss: (p) => softmaxCrossEntropy(Yv, model.apply(p, Xv)) as tf.Scalar,
    });
    disposeTree(params);
    const lambda = rng.normalArray(n);
    for (const est of [
      iftCG({ innerLearningRate: 0.5, innerSteps: 150, maxIter: 20 }),
      unrolledReverse({ innerLearningRate: 0.5, innerSteps: 30 }),
    ]) {
      const a = est.estimate(problem, lambda);
      const b = est.estimate(ref, lambda);
      expect(maxRel(a.hypergradient, b.hypergradient)).toBeLessThan(2e-3);
      expect(Math.abs(a.outerValue - b.outerValue)).toBeLessThan(1e-4 * b.outerValue);
    }
    tf.dispose([X, Y, Xv, Yv]);
  });
});

/** A tiny tanh MLP regressor with per-tensor log weight decays (p = 4). */
function tinyMlp(batchChains = false) {
  const model = mlp({ sizes: [1, 6, 1], activation: 'tanh' });
  const rng = new Rng(11);
  const xs = Float64Array.from(rng.uniformArray(8, { low: -3, high: 3 }));
  const xq = Float64Array.from(rng.uniformArray(12, { low: -3, high: 3 }));
  const X = tf.tensor2d(Float32Array.from(xs), [8, 1]);
  const Y = tf.tensor2d(Float32Array.from(xs.map((t) => Math.sin(t))), [8, 1]);
  const Xq = tf.tensor2d(Float32Array.from(xq), [12, 1]);
  const Yq = tf.tensor2d(Float32Array.from(xq.map((t) => Math.sin(t))), [12, 1]);
  const params = model.init(2);
  const hyperDim = weightDecayDim(params, 'tensor');
  const problem = nnBilevelProblem({
    params,
    hyperDim,
    batchChains,
    innerLoss: (p, l) => tf.add(meanSquaredError(model.apply(p, X), Y), treeWeightDecay(p, l)),
    outerLoss: (p) => meanSquaredError(model.apply(p, Xq), Yq),
  });
  const theta0 = problem.fromTree(params);
  disposeTree(params);
  return { problem, theta0, hyperDim, dispose: () => tf.dispose([X, Y, Xq, Yq]) };
}

describe('tiny tanh MLP (second-order safe ops)', () => {
  it('HVP and mixed products: symmetric, adjoint, and equal to finite differences of the gradients', () => {
    const { problem, theta0, hyperDim, dispose } = tinyMlp();
    expect(hyperDim).toBe(4);
    const r = new Rng(5);
    const lambda = Float64Array.of(-2, -3, -2.5, -4);
    const P = checkProblem(problem);
    const v = r.normalArray(P.dim);
    const w = r.normalArray(P.dim);
    const u = r.normalArray(hyperDim);
    const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((s, x, i) => s + x * b[i], 0);
    const hv = P.hvp(theta0, lambda, v);
    const hw = P.hvp(theta0, lambda, w);
    expect(Math.abs(dot(hv, w) - dot(v, hw))).toBeLessThan(1e-4 * Math.abs(dot(hv, w)) + 1e-6);
    // ⟨Bᵀv, u⟩ = ⟨v, B u⟩
    const btv = P.mixedVjp(theta0, lambda, v);
    const bu = P.mixedJvp(theta0, lambda, u);
    expect(Math.abs(dot(btv, u) - dot(v, bu))).toBeLessThan(1e-4 * Math.abs(dot(btv, u)) + 1e-6);
    // against central differences of the (float32) first-order oracles
    expect(maxRel(hv, P.hvp(theta0, lambda, v, 'fd'))).toBeLessThan(2e-2);
    expect(maxRel(btv, P.mixedVjp(theta0, lambda, v, 'fd'))).toBeLessThan(2e-2);
    dispose();
  });

  it('full unrolled RMD = finite differences of the unrolled validation loss (d/dλ L_V(θ_T(λ)))', () => {
    const { problem, theta0, hyperDim, dispose } = tinyMlp();
    const lambda = Float64Array.of(-1, -1.5, -1.2, -2);
    const est = unrolledReverse({ innerLearningRate: 0.1, innerSteps: 10 });
    const g = est.estimate(problem, lambda, { theta0 }).hypergradient;
    const h = 5e-3;
    const fd = new Float64Array(hyperDim);
    for (let j = 0; j < hyperDim; j++) {
      const lp = Float64Array.from(lambda);
      const lm = Float64Array.from(lambda);
      lp[j] += h;
      lm[j] -= h;
      fd[j] = (est.estimate(problem, lp, { theta0 }).outerValue - est.estimate(problem, lm, { theta0 }).outerValue) / (2 * h);
    }
    expect(maxRel(g, fd)).toBeLessThan(3e-2);
    dispose();
  });

  it('batched oracle (one tape over K trees) = per-θ gradients; lockstep B gives the same estimate; no leaks', () => {
    const { problem, theta0, dispose } = tinyMlp(true);
    const plain = tinyMlp();
    expect(plain.problem.innerGradients).toBeUndefined(); // opt-in
    plain.dispose();
    const lambda = Float64Array.of(-2, -3, -2.5, -4);
    const r = new Rng(9);
    const thetas = [theta0, theta0.map((v) => v + 0.1 * r.normal()), theta0.map((v) => v - 0.05 * r.normal())];
    const before = tf.memory().numTensors;
    const batched = problem.innerGradients?.(thetas, lambda) ?? [];
    expect(batched.length).toBe(3);
    for (const [k, t] of thetas.entries()) expect(maxRel(batched[k], problem.innerGradient(t, lambda))).toBeLessThan(1e-6);
    const est = sgldFirstOrder({ learningRate: 0.01, temperature: 1e-3, burnIn: 3, samples: 4, chains: 3 });
    const a = est.estimate(problem, lambda, { theta0 });
    const b = est.estimate({ ...problem, innerGradients: undefined }, lambda, { theta0 });
    expect(maxRel(a.hypergradient, b.hypergradient)).toBeLessThan(1e-5);
    expect(tf.memory().numTensors).toBe(before);
    dispose();
  });

  it('leaks no tensors: estimates, and a loss that throws mid-estimate', () => {
    const { problem, theta0, dispose } = tinyMlp();
    const lambda = Float64Array.of(-2, -3, -2.5, -4);
    const before = tf.memory().numTensors;
    sgldFirstOrder({ learningRate: 0.01, temperature: 1e-3, burnIn: 5, samples: 5, chains: 2 }).estimate(problem, lambda, { theta0 });
    sgldCovariance({ learningRate: 0.01, temperature: 1e-3, burnIn: 5, samples: 5, chains: 2 }).estimate(problem, lambda, { theta0 });
    iftCG({ innerLearningRate: 0.05, innerSteps: 5, maxIter: 3 }).estimate(problem, lambda, { theta0 });
    expect(tf.memory().numTensors).toBe(before);
    let calls = 0;
    const bad = nnBilevelProblem({
      params: problem.shapes,
      hyperDim: 4,
      innerLoss: (p, l) => {
        if (++calls > 3) throw new Error('boom');
        return tf.add(tf.addN(Object.values(p).flatMap((g) => Object.values(g).map((t) => tf.sum(tf.square(t))))), tf.sum(l));
      },
      outerLoss: (p) => tf.addN(Object.values(p).flatMap((g) => Object.values(g).map((t) => tf.sum(t)))),
    });
    expect(() => sgldFirstOrder({ learningRate: 0.01, burnIn: 5, samples: 5, chains: 1 }).estimate(bad, lambda)).toThrow('boom');
    expect(tf.memory().numTensors).toBe(before);
    dispose();
  });
});

describe('bad input', () => {
  it('typed errors naming the argument', () => {
    const model = mlp({ sizes: [1, 2, 1] });
    const params = model.init(0);
    const loss = (p: Record<string, Record<string, tf.Tensor>>) => tf.sum(p.dense0.W) as tf.Scalar;
    const ok = { params, hyperDim: 1, innerLoss: loss, outerLoss: loss };
    const catches = (fn: () => unknown, cls: typeof DescentError, arg: string) => {
      expect(fn).toThrow(cls);
      expect(errorArgument(fn)).toBe(arg);
    };
    catches(() => nnBilevelProblem(null as never), ValueError, 'options');
    catches(() => nnBilevelProblem({ ...ok, hyperDim: 0 }), ValueError, 'hyperDim');
    catches(() => nnBilevelProblem({ ...ok, innerLoss: 3 as never }), ValueError, 'innerLoss');
    catches(() => nnBilevelProblem({ ...ok, params: { a: 1 } as never }), DescentError, 'params.a');
    catches(() => nnBilevelProblem({ ...ok, hvp: 'exact' as never }), ValueError, 'hvp');
    const P = nnBilevelProblem(ok);
    catches(() => P.innerGradient(new Float64Array(3), Float64Array.of(0)), ShapeError, 'theta');
    catches(() => P.innerGradient(new Float64Array(P.dim), Float64Array.of(Number.NaN)), ValueError, 'lambda');
    const nanLoss = nnBilevelProblem({ ...ok, innerLoss: (p) => tf.div(tf.sum(p.dense0.W), 0) as tf.Scalar });
    catches(() => nanLoss.innerGradient(new Float64Array(P.dim), Float64Array.of(0)), ValueError, 'f');
    // λ (or a θ tensor) a loss ignores has zero derivatives, not tfjs' "Cannot compute gradient"
    expect(P.innerHyperGradient(new Float64Array(P.dim), Float64Array.of(0))).toEqual(new Float64Array(1));
    expect(Array.from(P.innerGradient(new Float64Array(P.dim), Float64Array.of(0))).filter((g) => g !== 0).length).toBe(2);
    expect(P.innerMixedVjp?.(new Float64Array(P.dim), new Float64Array(1), new Float64Array(P.dim).fill(1))).toEqual(new Float64Array(1));
    expect(P.innerMixedJvp?.(new Float64Array(P.dim), new Float64Array(1), Float64Array.of(1))).toEqual(new Float64Array(P.dim));
    const vec = nnBilevelProblem({ ...ok, outerLoss: (p) => p.dense0.W });
    catches(() => vec.outerValue(new Float64Array(P.dim), Float64Array.of(0)), ShapeError, 'outerLoss');
    const z3 = tf.zeros([3]) as tf.Tensor1D;
    catches(() => treeWeightDecay(params, z3), ShapeError, 'lambda');
    z3.dispose();
    catches(() => weightDecayDim(params, 'layer' as never), ValueError, 'layout');
    disposeTree(params);
  });
});
