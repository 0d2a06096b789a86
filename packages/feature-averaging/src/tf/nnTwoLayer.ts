/**
 * The tensor path: a {@link TwoLayerReLU} as a `@descent/nn` functional model, and full-batch GD
 * with nn's optimizer and train step on tfjs (wasm), for sizes where float64 JavaScript is slow
 * (the paper's d = 3072, n = 1000). The model's parameter tree is one group
 * `hidden: { W: [d, M], b: [M] }`; the head A is fixed and not a parameter, so gradient steps
 * touch the first layer only, as in the paper. Only ops whose gradients exist on wasm are used
 * (matMul through nn's `fastMatMul`, add, relu; no gather, no where).
 * @module
 */
import {
  type Model,
  type ParamTree,
  type SeedLike,
  disposeTree,
  logisticLoss,
  sgd,
  softmaxCrossEntropyLoss,
  trainStep,
  disposeState,
} from '@descent/nn';
import { Rng, ShapeError, ValueError, describe, readSeed } from '@descent/tensor';
import { fastMatMul, tf } from '@descent/tensor/tf';
import type { ClusterData } from '../clusterData';
import { type TrainGDResult, type TrainRecord, readTrainGDOptions } from '../fullBatchGD';
import { type TwoLayerParams, type TwoLayerReLU, checkParams, rowsOf } from '../twoLayerReLU';

/** The fixed head Aᵀ (M×o) as a tensor (created per call; the caller disposes it). */
function headTransposed(spec: TwoLayerReLU): tf.Tensor2D {
  const { neurons: M, outputs: o, head } = spec;
  const t = new Float32Array(M * o);
  for (let c = 0; c < o; c++) for (let r = 0; r < M; r++) t[r * o + c] = head[c * M + r];
  return tf.tensor2d(t, [M, o]);
}

/**
 * The nn model of a two-layer ReLU net: `init(seed)` draws the same numbers as `spec.init(seed)`
 * (rounded to float32), `apply(params, x)` = ReLU(x·W + b)·Aᵀ for x of shape [n, d].
 *
 * ```ts
 * const model = nnModel(binaryReLU({ d: 256, m: 4 }));
 * const params = model.init(0); // { hidden: { W: [256, 8], b: [8] } }
 * ```
 */
export function nnModel(spec: TwoLayerReLU): Model {
  if (spec == null || typeof spec.init !== 'function' || !(spec.head instanceof Float64Array)) {
    throw new ValueError(
      `spec must be a TwoLayerReLU (binaryReLU or multiClassReLU), got ${describe(spec)}`,
      'spec',
    );
  }
  return {
    name: `twoLayerReLU(${spec.kind}, ${spec.d}→${spec.neurons}→${spec.outputs}, fixed head)`,
    init(seed: SeedLike): ParamTree {
      const rng = seed instanceof Rng ? seed : new Rng(readSeed(seed));
      return toParamTree(spec, spec.init(rng));
    },
    apply(params: ParamTree, x: tf.Tensor): tf.Tensor {
      const { W, b } = hiddenGroup(spec, params);
      if (!(x instanceof tf.Tensor) || x.rank !== 2 || x.shape[1] !== spec.d) {
        throw new ShapeError(`x must be a tensor [n, ${spec.d}], got ${describe(x)}`, 'x');
      }
      return tf.tidy(() => {
        const A = headTransposed(spec);
        return tf.matMul(tf.relu(tf.add(fastMatMul(x as tf.Tensor2D, W as tf.Tensor2D), b)), A);
      });
    },
  };
}

function hiddenGroup(spec: TwoLayerReLU, params: ParamTree): { W: tf.Tensor; b: tf.Tensor } {
  const g = params?.hidden;
  if (g == null || !(g.W instanceof tf.Tensor) || !(g.b instanceof tf.Tensor)) {
    throw new ValueError(`params must be { hidden: { W, b } }, got ${describe(params)}`, 'params');
  }
  if (g.W.shape.join(',') !== `${spec.d},${spec.neurons}` || g.b.shape.join(',') !== `${spec.neurons}`) {
    throw new ShapeError(
      `params.hidden must have W [${spec.d}, ${spec.neurons}] and b [${spec.neurons}], got W [${g.W.shape}] and b [${g.b.shape}]`,
      'params',
    );
  }
  return { W: g.W, b: g.b };
}

/** Float64 parameters (W: M×d) → an nn parameter tree (W: [d, M], float32). */
export function toParamTree(spec: TwoLayerReLU, params: TwoLayerParams): ParamTree {
  checkParams(spec, params);
  const { d, neurons: M } = spec;
  const Wt = new Float32Array(d * M);
  for (let r = 0; r < M; r++) for (let t = 0; t < d; t++) Wt[t * M + r] = params.W[r * d + t];
  return { hidden: { W: tf.tensor2d(Wt, [d, M]), b: tf.tensor1d(Float32Array.from(params.b)) } };
}

/** An nn parameter tree → float64 parameters (W: M×d). Does not dispose the tree. */
export function fromParamTree(spec: TwoLayerReLU, tree: ParamTree): TwoLayerParams {
  const { W, b } = hiddenGroup(spec, tree);
  const { d, neurons: M } = spec;
  const wt = W.dataSync();
  const out = new Float64Array(M * d);
  for (let r = 0; r < M; r++) for (let t = 0; t < d; t++) out[r * d + t] = wt[t * M + r];
  return { W: out, b: Float64Array.from(b.dataSync()) };
}

/** The training targets as a tensor: 0/1 labels for the binary net, int32 cluster ids otherwise. */
function targetTensor(spec: TwoLayerReLU, data: Pick<ClusterData, 'y' | 'cluster'>): tf.Tensor1D {
  if (spec.kind === 'binary') return tf.tensor1d(Float32Array.from(data.y, (v) => (v > 0 ? 1 : 0)));
  return tf.tensor1d(Int32Array.from(data.cluster), 'int32');
}

/** Options of {@link trainGDTensor} (the same as the float64 {@link trainGD}'s). */
export interface TrainGDTensorOptions {
  /** Step size η (default 1e-3, the reproduction's). */
  learningRate?: number;
  /** Full-batch steps T (default 100). */
  maxSteps?: number;
  /** Record loss and accuracy every this many steps (default 10; the last step always). */
  historyEvery?: number;
  /** Called after each record. */
  onRecord?: (record: TrainRecord) => void;
}

/**
 * Full-batch GD on the first layer with nn's `sgd` and `trainStep` on tfjs (float32): the same
 * iteration as {@link trainGD}, faster at large sizes. Returns float64 parameters; every tensor
 * it creates is disposed.
 *
 * ```ts
 * const spec = binaryReLU({ d: 3072, m: 5 });
 * const { params } = trainGDTensor(spec, spec.init(0), train, { learningRate: 1e-3, maxSteps: 100 });
 * ```
 */
export function trainGDTensor(
  spec: TwoLayerReLU,
  params: TwoLayerParams,
  data: Pick<ClusterData, 'X' | 'y' | 'cluster'>,
  options: TrainGDTensorOptions = {},
): TrainGDResult {
  const { learningRate, maxSteps, historyEvery, onRecord } = readTrainGDOptions(
    options,
    'trainGDTensor options',
  );
  const model = nnModel(spec);
  const n = rowsOf(data.X, spec.d, 'data.X');
  if (data.y?.length !== n || data.cluster?.length !== n) {
    throw new ShapeError(`data.y and data.cluster must have length n = ${n}`, 'data');
  }
  const t0 = performance.now();
  const x = tf.tensor2d(Float32Array.from(data.X), [n, spec.d]);
  const y = targetTensor(spec, data);
  const loss = spec.kind === 'binary' ? logisticLoss : softmaxCrossEntropyLoss;
  const optimizer = sgd({ learningRate });
  const setup = { model, loss, optimizer };
  const first = toParamTree(spec, params);
  let state = { params: first, optState: optimizer.init(first), step: 0 };
  const history: TrainRecord[] = [];
  const push = (rec: TrainRecord) => {
    history.push(rec);
    onRecord?.(rec);
  };
  try {
    for (let step = 0; step < maxSteps; step++) {
      const recordNow = step % historyEvery === 0;
      const accuracy = recordNow ? trainingAccuracy(spec, model, state.params, x, data) : Number.NaN;
      const r = trainStep(setup, state, x, y); // disposes the old state; r.loss is at the old parameters
      state = r.state;
      if (recordNow) push({ step, loss: r.loss, accuracy });
    }
    const finalLoss = tf.tidy(() => loss(model.apply(state.params, x), y).dataSync()[0]);
    push({ step: maxSteps, loss: finalLoss, accuracy: trainingAccuracy(spec, model, state.params, x, data) });
    return {
      params: fromParamTree(spec, state.params),
      history,
      evaluations: maxSteps,
      timeMs: performance.now() - t0,
      stopReason: 'maxSteps',
    };
  } finally {
    disposeTree(state.params);
    disposeState(state.optState);
    tf.dispose([x, y]);
  }
}

/** Accuracy of the model's own task (sign for binary, argmax for multi-class) at `params`. */
function trainingAccuracy(
  spec: TwoLayerReLU,
  model: Model,
  params: ParamTree,
  x: tf.Tensor,
  data: Pick<ClusterData, 'y' | 'cluster'>,
): number {
  const out = tf.tidy(() => model.apply(params, x).dataSync());
  const o = spec.outputs;
  const n = out.length / o;
  let hits = 0;
  for (let i = 0; i < n; i++) {
    if (o === 1) {
      if (data.y[i] * out[i] > 0) hits++;
    } else {
      let arg = 0;
      for (let c = 1; c < o; c++) if (out[i * o + c] > out[i * o + arg]) arg = c;
      if (arg === data.cluster[i]) hits++;
    }
  }
  return hits / n;
}
