/**
 * Full-batch gradient descent on the first layer of a {@link TwoLayerReLU}, in float64 (the
 * reference path): W ← W − η ∇_W L, b ← b − η ∇_b L with
 *
 * - binary net: L = (1/n) Σ log(1 + e^{−y_i f(x_i)}) (logistic loss on y = ±1);
 * - multi-class net: L = (1/n) Σ −log softmax(f(x_i))_{j_i} (cross-entropy on the cluster index).
 *
 * The head stays fixed, as in the paper. Defaults are the reproduction's Figure-2 values
 * (η = 1e-3, T = 100); the paper does not state them.
 * @module
 */
import { type RunResult, ShapeError, ValueError, describe, option, resolveOptions } from '@descent/tensor';
import type { ClusterData } from './clusterData';
import {
  type TwoLayerParams,
  type TwoLayerReLU,
  checkModel,
  checkParams,
  hiddenActivations,
  rowsOf,
} from './twoLayerReLU';

/** Loss, accuracy and gradients at one parameter point. */
export interface LossAndGradient {
  loss: number;
  /** Training accuracy of the model's own task (sign for binary, argmax for multi-class). */
  accuracy: number;
  gW: Float64Array;
  gb: Float64Array;
}

/** The labels a model trains on: y (±1) for the binary net, the cluster index for the multi-class net. */
export function trainingLabels(
  model: TwoLayerReLU,
  data: Pick<ClusterData, 'y' | 'cluster'>,
): Float64Array | Int32Array {
  checkModel(model);
  if (data === null || typeof data !== 'object')
    throw new ValueError(`data must be ClusterData { y, cluster }, got ${describe(data)}`, 'data');
  if (model.kind === 'binary') {
    if (!(data.y instanceof Float64Array))
      throw new ValueError(`data.y must be a Float64Array of ±1 labels, got ${describe(data.y)}`, 'data.y');
    return data.y;
  }
  if (!(data.cluster instanceof Int32Array))
    throw new ValueError(`data.cluster must be an Int32Array of cluster indices, got ${describe(data.cluster)}`, 'data.cluster');
  return data.cluster;
}

function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/**
 * L and ∇L at `params` on (X, labels): labels ±1 for a binary model, class indices in [0, k)
 * for a multi-class model.
 */
export function lossAndGradient(
  model: TwoLayerReLU,
  params: TwoLayerParams,
  X: Float64Array,
  labels: ArrayLike<number>,
): LossAndGradient {
  checkParams(model, params);
  const { d, neurons: M, outputs: o, head } = model;
  const n = rowsOf(X, d);
  if (labels == null || labels.length !== n) {
    throw new ShapeError(`labels must have length n = ${n}, got ${labels?.length}`, 'labels');
  }
  const { pre, act } = hiddenActivations(params, X, n, d, M);
  // dOut: n×o gradient of L with respect to the outputs
  const dOut = new Float64Array(n * o);
  let loss = 0;
  let correct = 0;
  const logits = new Float64Array(o);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < o; c++) {
      let s = 0;
      for (let r = 0; r < M; r++) s += act[i * M + r] * head[c * M + r];
      logits[c] = s;
    }
    if (o === 1) {
      const y = labels[i];
      const m = y * logits[0];
      loss += m > 0 ? Math.log1p(Math.exp(-m)) : -m + Math.log1p(Math.exp(m));
      dOut[i] = (-y * sigmoid(-m)) / n;
      if (m > 0) correct++;
    } else {
      const j = labels[i];
      let mx = Number.NEGATIVE_INFINITY;
      let arg = 0;
      for (let c = 0; c < o; c++) {
        if (logits[c] > mx) {
          mx = logits[c];
          arg = c;
        }
      }
      let z = 0;
      for (let c = 0; c < o; c++) z += Math.exp(logits[c] - mx);
      loss += mx + Math.log(z) - logits[j];
      for (let c = 0; c < o; c++) dOut[i * o + c] = (Math.exp(logits[c] - mx) / z - (c === j ? 1 : 0)) / n;
      if (arg === j) correct++;
    }
  }
  const gW = new Float64Array(M * d);
  const gb = new Float64Array(M);
  for (let i = 0; i < n; i++) {
    const xo = i * d;
    for (let r = 0; r < M; r++) {
      if (!(pre[i * M + r] > 0)) continue;
      let g = 0;
      for (let c = 0; c < o; c++) g += dOut[i * o + c] * head[c * M + r];
      if (g === 0) continue;
      gb[r] += g;
      const wo = r * d;
      for (let t = 0; t < d; t++) gW[wo + t] += g * X[xo + t];
    }
  }
  return { loss: loss / n, accuracy: correct / n, gW, gb };
}

/** One record of {@link trainGD}'s history. */
export interface TrainRecord {
  /** Steps taken before this record (0 = at initialisation). */
  step: number;
  loss: number;
  accuracy: number;
}

/** Options of {@link trainGD}. */
export interface TrainGDOptions {
  /** Step size η (default 1e-3, the reproduction's). */
  learningRate?: number;
  /** Full-batch steps T (default 100, the reproduction's). */
  maxSteps?: number;
  /** Record the loss every this many steps (default 10; the last step is always recorded). Renamed from `recordEvery`. */
  historyEvery?: number;
  /** Called after each record. */
  onRecord?: (record: TrainRecord) => void;
}

/**
 * The options of {@link trainGD} and of the tensor path's `trainGDTensor` (one spec, the same
 * defaults), resolved and checked; `name` prefixes the error messages. Internal to the package.
 * @internal
 */
export function readTrainGDOptions(options: TrainGDOptions, name: string) {
  return resolveOptions(
    options,
    {
      learningRate: option.number({ gt: 0, default: 1e-3 }),
      maxSteps: option.integer({ min: 0, default: 100 }),
      historyEvery: option.integer({ min: 1, default: 10 }),
      onRecord: option.func<(record: TrainRecord) => void>(),
    },
    { name, renamed: { recordEvery: 'historyEvery' } },
  );
}

/** Result of {@link trainGD}: the shared `RunResult` fields plus the trained parameters. */
export interface TrainGDResult extends RunResult<TrainRecord> {
  params: TwoLayerParams;
  /** Full-batch gradient evaluations (= steps). */
  evaluations: number;
  stopReason: 'maxSteps';
}

/**
 * Full-batch GD from `params` (not modified) on `data`, with the labels of the model's task.
 *
 * ```ts
 * const { train } = makeClusterData({ k: 8, d: 256, nTrain: 400, seed: 0 });
 * const net = binaryReLU({ d: 256, m: 4 });
 * const { params } = trainGD(net, net.init(0), train, { learningRate: 0.05, maxSteps: 200 });
 * ```
 */
export function trainGD(
  model: TwoLayerReLU,
  params: TwoLayerParams,
  data: Pick<ClusterData, 'X' | 'y' | 'cluster'>,
  options: TrainGDOptions = {},
): TrainGDResult {
  const { learningRate, maxSteps, historyEvery, onRecord } = readTrainGDOptions(options, 'trainGD options');
  checkParams(model, params);
  const t0 = performance.now();
  const labels = trainingLabels(model, data);
  const W = params.W.slice();
  const b = params.b.slice();
  const current = { W, b };
  const history: TrainRecord[] = [];
  for (let step = 0; step <= maxSteps; step++) {
    const g = lossAndGradient(model, current, data.X, labels);
    if (step % historyEvery === 0 || step === maxSteps) {
      const rec = { step, loss: g.loss, accuracy: g.accuracy };
      history.push(rec);
      onRecord?.(rec);
    }
    if (step === maxSteps) break;
    for (let t = 0; t < W.length; t++) W[t] -= learningRate * g.gW[t];
    for (let r = 0; r < b.length; r++) b[r] -= learningRate * g.gb[r];
  }
  return {
    params: current,
    history,
    evaluations: maxSteps,
    timeMs: performance.now() - t0,
    stopReason: 'maxSteps',
  };
}
