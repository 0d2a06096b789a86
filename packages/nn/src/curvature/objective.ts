/**
 * Objectives for the curvature tools: one scalar function of the parameters, or a list of parts
 * whose sum is the objective (e.g. a full-data loss split into physical batches, so that HVPs
 * over thousands of examples stay within memory).
 * @module
 */
import { ShapeError, ValueError, assertInteger, checkName, describe } from '@descent/tensor';
import { type Dataset, assertDataset } from '../data';
import { type TreeObjective, directionalLoss } from '../grad';
import type { Model } from '../layer';
import type { LossFn } from '../losses';
import { tf } from '../tf';
import type { ParamTree } from '../tree';

/** A {@link TreeObjective} or a list of parts whose sum is the objective. */
export type CurvatureObjective = TreeObjective | readonly TreeObjective[];

/** The parts of an objective (a single function is one part). Throws {@link ValueError} on anything else. */
export function objectiveParts(f: CurvatureObjective, name = 'f'): readonly TreeObjective[] {
  checkName(name);
  const parts = typeof f === 'function' ? [f] : f;
  if (!Array.isArray(parts) || parts.length === 0 || parts.some((p) => typeof p !== 'function')) {
    throw new ValueError(
      `${name} must be a function of the parameters or a non-empty array of them, got ${describe(f)}`,
      name,
    );
  }
  return parts;
}

/** The objective's value at `params` (sum of the parts, float64 accumulation). */
export function objectiveValue(f: CurvatureObjective, params: ParamTree): number {
  let total = 0;
  for (const part of objectiveParts(f)) {
    const y = tf.tidy(() => part(params));
    try {
      if (!(y instanceof tf.Tensor))
        throw new ValueError(`f must return a tf.Tensor, got ${describe(y)}`, 'f');
      if (y.size !== 1) throw new ShapeError(`f must return a scalar tensor, got shape [${y.shape}]`, 'f');
      total += y.dataSync()[0];
    } finally {
      if (y instanceof tf.Tensor) y.dispose();
    }
  }
  return total;
}

/**
 * The mean loss of `model` over all of `data`, as parts of at most `batchSize` examples each
 * weighted by (batch size / n), so that the parts sum to the full-data mean (for a mean-reduced
 * loss). Each part slices its batch inside the call: nothing is held between calls.
 *
 * ```ts
 * const f = datasetObjective(model, softmaxCrossEntropyLoss, train, { batchSize: 256 });
 * const { values } = hessianEigs(f, params, 2); // top-2 eigenvalues of the full-data Hessian
 * ```
 */
export function datasetObjective(
  model: Model,
  loss: LossFn,
  data: Dataset,
  options: { batchSize?: number } = {},
): TreeObjective[] {
  if (model == null || typeof model.apply !== 'function')
    throw new ValueError(`model must be a Model, got ${describe(model)}`, 'model');
  if (typeof loss !== 'function')
    throw new ValueError(`loss must be a loss function, got ${describe(loss)}`, 'loss');
  const n = assertDataset('data', data);
  const batchSize = options.batchSize ?? 256;
  assertInteger('batchSize', batchSize, 1);
  const parts: TreeObjective[] = [];
  for (let start = 0; start < n; start += batchSize) {
    const m = Math.min(batchSize, n - start);
    const part: TreeObjective = (params) =>
      tf.tidy(
        () =>
          tf.mul(
            loss(model.apply(params, tf.slice(data.x, start, m)), tf.slice(data.y, start, m)),
            m / n,
          ) as tf.Scalar,
      );
    if (typeof model.jvp === 'function') {
      part.directional = (params, v) => {
        const dd = directionalLoss(model, loss, tf.slice(data.x, start, m), tf.slice(data.y, start, m));
        return tf.mul((dd as NonNullable<typeof dd>)(params, v), m / n) as tf.Scalar;
      };
    }
    parts.push(part);
  }
  return parts;
}
