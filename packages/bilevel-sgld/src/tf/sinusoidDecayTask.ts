/**
 * The few-shot sinusoid weight-decay task on an MLP, shared by the bench
 * (`bilevel-mlp-sinusoid-decay`, the sensitivity grid) and the tensor-path tests (the family of
 * seeds, widths and shot counts on which no estimator may diverge). Not exported from the package.
 *
 * One task y = a·sin(x − φ), a ∈ [0.1, 5], φ ∈ [0, π], x ∈ [−5, 5] (the paper notes §3.2 item 4
 * family); `shots` noisy support points (noise 0.3·a) for the inner loss, `shots` noisy validation
 * points for the outer loss, 100 noise-free test points on a grid. The network sees x/5 ∈ [−1, 1].
 * Inner loss: support MSE + ½ Σⱼ exp(λⱼ)‖θⱼ‖² with one log decay per tensor (p = 2 × layers).
 * @module
 */
import type { Rng } from '@descent/tensor';
import { tf } from '@descent/tensor/tf';
import { type Model, disposeTree, meanSquaredError, mlp } from '@descent/nn';
import { type NnBilevelProblem, nnBilevelProblem, treeWeightDecay, weightDecayDim } from './nnProblem';

/** Options of {@link sinusoidDecayTask}. */
export interface SinusoidDecayOptions {
  /** Layer sizes (default [1, 40, 40, 1]). */
  sizes?: number[];
  /** Support and validation points (default 10 each). */
  shots?: number;
  /** Seed of the network's initial weights. */
  initSeed: number;
  /** Stream of the task and its points. */
  rng: Rng;
}

/** The task: its bilevel problem, the initial θ, MSE on any split, and a disposer for its tensors. */
export interface SinusoidDecayTask {
  problem: NnBilevelProblem;
  model: Model;
  /** p = number of tensors. */
  hyperDim: number;
  /** θ of the initial network (flat, tree order). */
  theta0: Float64Array;
  /** MSE of θ on 'support' | 'val' | 'test'. */
  mse(theta: Float64Array, split: 'support' | 'val' | 'test'): number;
  dispose(): void;
}

/** Builds the task (see the module comment). */
export function sinusoidDecayTask(options: SinusoidDecayOptions): SinusoidDecayTask {
  const sizes = options.sizes ?? [1, 40, 40, 1];
  const shots = options.shots ?? 10;
  const rng = options.rng;
  const a = rng.uniformIn(0.1, 5);
  const phase = rng.uniformIn(0, Math.PI);
  const f = (x: number) => a * Math.sin(x - phase);
  const draw = (n: number, key: string, noise: number) => {
    const r = rng.fold(key);
    const x = Float32Array.from({ length: n }, () => r.uniformIn(-5, 5));
    const y = Float32Array.from(x, (v) => f(v) + noise * a * r.normal());
    return { x: tf.tensor2d(x.map((v) => v / 5), [n, 1]), y: tf.tensor2d(y, [n, 1]) };
  };
  const grid = Float32Array.from({ length: 100 }, (_, i) => -5 + (10 * i) / 99);
  const splits = {
    support: draw(shots, 'support', 0.3),
    val: draw(shots, 'val', 0.3),
    test: { x: tf.tensor2d(grid.map((v) => v / 5), [100, 1]), y: tf.tensor2d(Float32Array.from(grid, f), [100, 1]) },
  };
  const model = mlp({ sizes, activation: 'tanh' });
  const params = model.init(options.initSeed);
  const hyperDim = weightDecayDim(params, 'tensor');
  const problem = nnBilevelProblem({
    params,
    hyperDim,
    innerLoss: (q, l) => tf.add(meanSquaredError(model.apply(q, splits.support.x), splits.support.y), treeWeightDecay(q, l)),
    outerLoss: (q) => meanSquaredError(model.apply(q, splits.val.x), splits.val.y),
  });
  const theta0 = problem.fromTree(params);
  disposeTree(params);
  return {
    problem,
    model,
    hyperDim,
    theta0,
    mse(theta, split) {
      const tree = problem.toTree(theta);
      try {
        return tf.tidy(() => meanSquaredError(model.apply(tree, splits[split].x), splits[split].y).dataSync()[0]);
      } finally {
        disposeTree(tree);
      }
    },
    dispose() {
      tf.dispose(Object.values(splits).flatMap((s) => [s.x, s.y]));
    },
  };
}
