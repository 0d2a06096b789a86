/**
 * Losses with exact Hessian-vector products (built on the shared second-order-safe ops; the
 * stock `tf.losses.softmaxCrossEntropy` gives HVPs off by ~100%, tfjs#3252), and accuracy.
 *
 * A {@link LossFn} maps `(output, target)` to a scalar; all default to the mean over examples.
 * @module
 */
import { ShapeError, ValueError, describe, option, resolveOptions } from '@descent/tensor';
import { safeLogSumExp, safeSoftplus, tf } from './tf';

/** A loss: scalar of the model output and the targets (mean over examples unless told). */
export type LossFn = (output: tf.Tensor, target: tf.Tensor) => tf.Scalar;

/** How per-example losses are combined. */
export type LossReduction = 'mean' | 'sum';

/** Options of the losses. */
export interface LossOptions {
  /** `'mean'` over examples (default) or `'sum'`. */
  reduction?: LossReduction;
}

function assertTensor(name: string, x: unknown): asserts x is tf.Tensor {
  if (!(x instanceof tf.Tensor))
    throw new ShapeError(`${name} must be a tf.Tensor, got ${describe(x)}`, name);
  if (x.isDisposed) throw new ValueError(`${name} is a disposed tensor`, name);
}

const REDUCTION = option.oneOf(['mean', 'sum'] as const, { default: 'mean' });

function reductionOf(options: LossOptions | undefined): LossReduction {
  return resolveOptions(options, { reduction: REDUCTION }).reduction;
}

/**
 * Checks int32 class ids in [0, classes) (one read-back of the labels); `ignore` ids are allowed
 * and counted. Returns the number of ignored labels.
 */
function assertClassIds(labels: tf.Tensor, classes: number, ignore?: number): number {
  const v = labels.dataSync();
  let ignored = 0;
  for (let i = 0; i < v.length; i++) {
    if (v[i] === ignore) ignored++;
    else if (v[i] < 0 || v[i] >= classes) {
      throw new ValueError(
        `labels must be class ids in [0, ${classes - 1}]${ignore !== undefined ? ` or ignoreIndex ${ignore}` : ''}, got ${v[i]} at index ${i}`,
        'labels',
      );
    }
  }
  return ignored;
}

/** Options of {@link softmaxCrossEntropyLoss}. */
export interface CrossEntropyOptions extends LossOptions {
  /**
   * A label value (int32 labels only) whose positions are left out: they add nothing to the loss
   * and the mean is over the other positions (PyTorch's `ignore_index`; e.g. −1 for the padding
   * targets of `nextTokenBatch` in `@descent/datasets`). Default: none.
   */
  ignoreIndex?: number;
}

/**
 * Softmax cross-entropy of logits [..., C] against int32 class ids [...] (e.g. [B] for
 * classification, [B, T] for next-token prediction) or class probabilities with the shape of the
 * logits (one-hot or soft labels, any dtype). Mean over all examples (positions) by default. Value equal to
 * `tf.losses.softmaxCrossEntropy`; derivatives of every order exact.
 *
 * ```ts
 * const loss = softmaxCrossEntropyLoss(model.apply(params, x), y); // y: int32 [B]
 * ```
 */
export function softmaxCrossEntropyLoss(
  logits: tf.Tensor,
  labels: tf.Tensor,
  options?: CrossEntropyOptions,
): tf.Scalar {
  assertTensor('logits', logits);
  assertTensor('labels', labels);
  const { reduction, ignoreIndex: ignore } = resolveOptions(options, {
    reduction: REDUCTION,
    ignoreIndex: option.integer(),
  });
  if (logits.rank < 1) throw new ShapeError(`logits must have rank >= 1, got a scalar`, 'logits');
  const C = logits.shape[logits.rank - 1];
  const lead = logits.shape.slice(0, -1);
  return tf.tidy(() => {
    let oneHot: tf.Tensor;
    let count = lead.reduce((a, b) => a * b, 1);
    if (labels.shape.join(',') === logits.shape.join(',')) {
      if (ignore !== undefined) {
        throw new ValueError('ignoreIndex needs int32 class-id labels, got probabilities', 'ignoreIndex');
      }
      oneHot = tf.reshape(labels.dtype === 'float32' ? labels : tf.cast(labels, 'float32'), [-1, C]);
    } else if (labels.dtype === 'int32') {
      if (labels.shape.join(',') !== lead.join(',')) {
        throw new ShapeError(
          `int32 labels must have shape [${lead}] (logits without the class axis), got [${labels.shape}]`,
          'labels',
        );
      }
      count -= assertClassIds(labels, C, ignore);
      const ids = tf.reshape(labels, [-1]) as tf.Tensor1D;
      if (ignore === undefined) oneHot = tf.oneHot(ids, C);
      else {
        // an ignored position gets an all-zero row, so it adds 0 to the loss
        const keep = tf.notEqual(ids, tf.scalar(ignore, 'int32'));
        const safeIds = tf.where(keep, ids, tf.zerosLike(ids)) as tf.Tensor1D;
        oneHot = tf.mul(tf.oneHot(safeIds, C), tf.expandDims(tf.cast(keep, 'float32'), 1));
      }
    } else {
      throw new ShapeError(
        `float labels must have the shape of logits [${logits.shape}], got [${labels.shape}]`,
        'labels',
      );
    }
    // −Σ_c y_c log softmax(z)_c = logSumExp(z)·Σ_c y_c − Σ_c y_c z_c (no clamp needed: logits
    // here are finite); safeLogSumExp's derivatives of every order are exact
    const z = tf.reshape(logits, [-1, C]);
    const per = tf.sub(tf.mul(safeLogSumExp(z, -1), tf.sum(oneHot, -1)), tf.sum(tf.mul(oneHot, z), -1));
    if (reduction === 'sum') return tf.sum(per) as tf.Scalar;
    return (ignore === undefined ? tf.mean(per) : tf.div(tf.sum(per), Math.max(count, 1))) as tf.Scalar;
  });
}

/**
 * Logistic (binary cross-entropy with logits) loss log(1 + e^z) − y·z for labels y ∈ {0, 1} of
 * the shape of the logits z (or z [B, 1] with y [B]). For labels ±1 this equals
 * log(1 + e^{−y z}) with y₀₁ = (y + 1)/2. Stable for large |z|; derivatives of every order exact.
 */
export function logisticLoss(logits: tf.Tensor, labels: tf.Tensor, options?: LossOptions): tf.Scalar {
  assertTensor('logits', logits);
  assertTensor('labels', labels);
  const reduction = reductionOf(options);
  const z =
    logits.rank === 2 && logits.shape[1] === 1 && labels.rank === 1 ? tf.reshape(logits, [-1]) : logits;
  try {
    if (z.shape.join(',') !== labels.shape.join(',')) {
      throw new ShapeError(
        `labels must have the shape of logits [${z.shape}], got [${labels.shape}]`,
        'labels',
      );
    }
    const v = labels.dataSync();
    for (let i = 0; i < v.length; i++) {
      if (v[i] !== 0 && v[i] !== 1)
        throw new ValueError(`labels must be 0 or 1, got ${v[i]} at index ${i}`, 'labels');
    }
    return tf.tidy(() => {
      const per = tf.sub(safeSoftplus(z), tf.mul(tf.cast(labels, 'float32'), z));
      return (reduction === 'sum' ? tf.sum(per) : tf.mean(per)) as tf.Scalar;
    });
  } finally {
    if (z !== logits) z.dispose();
  }
}

/**
 * Mean squared error mean((output − target)²) over all entries (PyTorch `MSELoss`, Keras `mse`);
 * with `reduction: 'sum'`, the sum of the squared entries Σ‖output − target‖². Shapes must match.
 */
export function meanSquaredError(output: tf.Tensor, target: tf.Tensor, options?: LossOptions): tf.Scalar {
  assertTensor('output', output);
  assertTensor('target', target);
  const reduction = reductionOf(options);
  if (output.shape.join(',') !== target.shape.join(',')) {
    throw new ShapeError(
      `target must have the shape of output [${output.shape}], got [${target.shape}]`,
      'target',
    );
  }
  return tf.tidy(() => {
    const sq = tf.square(tf.sub(output, target));
    return (reduction === 'sum' ? tf.sum(sq) : tf.mean(sq)) as tf.Scalar;
  });
}

/**
 * Fraction of examples whose arg-max logit equals the label (class ids [...], or one-hot /
 * probabilities with the shape of the logits, compared by arg-max). A single number (one read-back).
 */
export function accuracy(logits: tf.Tensor, labels: tf.Tensor): number {
  assertTensor('logits', logits);
  assertTensor('labels', labels);
  const C = logits.shape[logits.rank - 1];
  const pred = tf.tidy(() => tf.argMax(tf.reshape(logits, [-1, C]), 1));
  const probs = labels.shape.join(',') === logits.shape.join(',');
  const truth = tf.tidy(() => (probs ? tf.argMax(tf.reshape(labels, [-1, C]), 1) : tf.reshape(labels, [-1])));
  try {
    if (pred.size !== truth.size) {
      throw new ShapeError(
        `labels must describe ${pred.size} examples (those of logits [${logits.shape}]), got shape [${labels.shape}]`,
        'labels',
      );
    }
    const p = pred.dataSync();
    const t = truth.dataSync();
    let hits = 0;
    for (let i = 0; i < p.length; i++) if (p[i] === t[i]) hits++;
    return p.length === 0 ? 0 : hits / p.length;
  } finally {
    pred.dispose();
    truth.dispose();
  }
}
