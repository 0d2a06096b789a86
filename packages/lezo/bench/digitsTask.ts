/**
 * The fine-tuning task of the lezo bench, on sklearn's digits (1797 8×8 images, pixels / 16,
 * `@descent/datasets`): a model is pre-trained in-process on a source task and fine-tuned on a
 * shifted target task, as MeZO/LeZO fine-tune a pre-trained language model (ZO fine-tuning works
 * from a good initialisation; from scratch it would look far worse than it is).
 *
 * - source: digits 0–4 (labels 0–4);
 * - target: digits 5–9, relabelled 0–4 (the head's five outputs are reused).
 *
 * The target rows are split (seeded) into a training part and a held-out test part.
 * @module
 */
import { loadDataset } from '@descent/datasets/node';
import type { Dataset } from '@descent/nn';
import { Rng } from '@descent/tensor';
import { tf } from '@descent/tensor/tf';

/** Features per image. */
export const DIGITS_FEATURES = 64;

/** The three data sets of the task (tensors owned by the caller). */
export interface TransferTask {
  /** Pre-training data: every source row. */
  source: Dataset;
  /** Fine-tuning data: target rows not in the test part. */
  train: Dataset;
  /** Held-out target rows. */
  test: Dataset;
}

function toDataset(X: Float64Array[], labels: number[], rows: ArrayLike<number>): Dataset {
  const m = rows.length;
  const x = new Float32Array(m * DIGITS_FEATURES);
  const y = new Int32Array(m);
  for (let i = 0; i < m; i++) {
    const r = rows[i];
    y[i] = labels[r];
    for (let t = 0; t < DIGITS_FEATURES; t++) x[i * DIGITS_FEATURES + t] = X[r][t] / 16;
  }
  return { x: tf.tensor2d(x, [m, DIGITS_FEATURES]), y: tf.tensor1d(y, 'int32') };
}

/** The digits transfer task; `seed` draws the target's train/test split (`testFraction` held out). */
export function digitsTransfer(seed: number, testFraction = 1 / 3): TransferTask {
  const data = loadDataset('digits');
  const src: number[] = [];
  const tgt: number[] = [];
  const labels: number[] = [];
  for (let i = 0; i < data.X.length; i++) {
    const d = data.labels[i];
    labels.push(d % 5);
    (d < 5 ? src : tgt).push(i);
  }
  const perm = new Rng(seed).fold('digits-target-split').permutation(tgt.length);
  const nTest = Math.round(testFraction * tgt.length);
  const testRows = Array.from(perm.subarray(0, nTest), (i) => tgt[i]);
  const trainRows = Array.from(perm.subarray(nTest), (i) => tgt[i]);
  return {
    source: toDataset(data.X, labels, src),
    train: toDataset(data.X, labels, trainRows),
    test: toDataset(data.X, labels, testRows),
  };
}

/** Disposes the task's tensors. */
export function disposeTask(t: TransferTask): void {
  tf.dispose([t.source.x, t.source.y, t.train.x, t.train.y, t.test.x, t.test.y]);
}
