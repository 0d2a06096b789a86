/**
 * The MLP tasks shared by the tensor-path experiments (`nnExperiments.ts`) and the sensitivity grid
 * (`mlpSensitivity.ts`): hyper-cleaning of a ReLU MLP on the digits, the fixed-λ inner runs
 * (warm starts, refits, grid search) and the tensor-peak measurement.
 * @module
 */
import { ready, safeSigmoid, softmaxCrossEntropy, tf } from '@descent/tensor/tf';
import { loadClassification } from '@descent/datasets/node';
import { splitData, withLabelNoise } from '@descent/datasets';
import { accuracy, disposeTree, mlp } from '@descent/nn';
import { bilevelTrain } from '../src/bilevelTrain';
import { ignoreHypergradient } from '../src/oneStep';
import type { StepSize } from '../src/stepSize';
import { type NnBilevelProblem, nnBilevelProblem } from '../src/tf/nnProblem';

/** Tensor peak bytes of one call (peak minus bytes alive before; tf.profile), as lezo's measureStep. */
export async function tensorPeak(fn: () => unknown): Promise<number> {
  const before = tf.memory().numBytes;
  const info = await tf.profile(() => {
    fn();
    return [] as tf.Tensor[];
  });
  return Math.max(0, info.peakBytes - before);
}

/**
 * `steps` × `T` inner gradient-descent steps at a fixed λ from `theta0`, the step re-resolved every
 * T steps (the outer loop with the zero hypergradient): grid search, warm starts and refits.
 */
export function atFixedLambda(problem: NnBilevelProblem, lambda: Float64Array, theta0: Float64Array, steps: number, T: number, eta: StepSize): Float64Array {
  const r = bilevelTrain(problem, {
    estimator: ignoreHypergradient({ innerSteps: T, innerLearningRate: eta }),
    lambda0: lambda,
    theta0,
    logSpace: false,
    maxSteps: steps,
  });
  return r.states[0];
}

/** The hyper-cleaning task of one seed. */
export interface CleaningTask {
  problem: NnBilevelProblem;
  /** θ of the initial network. */
  initial: Float64Array;
  /** Test accuracy of θ. */
  testAccuracy(theta: Float64Array): number;
  /** F1 of flagging the corrupted labels as σ(λᵢ) < ½. */
  corruptionF1(lambda: Float64Array): number;
  dispose(): void;
}

/**
 * Hyper-cleaning (Franceschi et al. 2017) of a ReLU MLP 64-`hidden`-10 on the sklearn digits:
 * `nTrain` training digits with 50% of the labels corrupted, 100 clean validation digits, the rest
 * for test; inner loss mean σ(λᵢ)·CE + 1e-3/2‖θ‖², outer loss validation CE.
 */
export async function cleaningTask(seed: number, nTrain: number, hidden: number): Promise<CleaningTask> {
  await ready();
  const digits = loadClassification('digits');
  const parts = splitData(digits, { train: nTrain, val: 100, test: digits.n - nTrain - 100 }, seed);
  const noisy = withLabelNoise(parts.train, 0.5, seed);
  const corrupted = Array.from(noisy.y, (c, i) => c !== parts.train.y[i]);
  const scale = Math.max(...digits.x);
  const k = digits.classes;
  const f = digits.features;
  const xt = (e: { x: Float32Array; n: number }) => tf.tensor2d(Float32Array.from(e.x, (v) => v / scale), [e.n, f]);
  const oneHot = (y: ArrayLike<number>) => tf.tidy(() => tf.oneHot(tf.tensor1d(Int32Array.from(y), 'int32'), k));
  const X = xt(noisy);
  const Y = oneHot(noisy.y);
  const Xv = xt(parts.val);
  const Yv = oneHot(parts.val.y);
  const Xte = xt(parts.test);
  const Yte = tf.tensor1d(Int32Array.from(parts.test.y), 'int32');
  const model = mlp({ sizes: [f, hidden, k] });
  const params = model.init(seed);
  const l2 = 1e-3;
  const problem = nnBilevelProblem({
    params,
    hyperDim: nTrain,
    innerLoss: (q, l) => {
      const per = softmaxCrossEntropy(Y, model.apply(q, X), { reduction: 'none' });
      const sq = tf.addN(Object.values(q).flatMap((g) => Object.values(g).map((t) => tf.sum(tf.square(t)))));
      return tf.add(tf.mean(tf.mul(safeSigmoid(l), per)), tf.mul(l2 / 2, sq));
    },
    outerLoss: (q) => softmaxCrossEntropy(Yv, model.apply(q, Xv)) as tf.Scalar,
  });
  const initial = problem.fromTree(params);
  disposeTree(params);
  return {
    problem,
    initial,
    testAccuracy(theta) {
      const tree = problem.toTree(theta);
      try {
        return tf.tidy(() => accuracy(model.apply(tree, Xte), Yte));
      } finally {
        disposeTree(tree);
      }
    },
    corruptionF1(lambda) {
      let tp = 0;
      let fp = 0;
      let fn = 0;
      lambda.forEach((l, j) => {
        const flagged = l < 0;
        if (flagged && corrupted[j]) tp++;
        else if (flagged) fp++;
        else if (corrupted[j]) fn++;
      });
      return tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
    },
    dispose() {
      tf.dispose([X, Y, Xv, Yv, Xte, Yte]);
    },
  };
}
