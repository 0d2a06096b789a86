/**
 * In-memory data sets as tensors and seeded minibatches.
 *
 * A {@link Dataset} is a pair of tensors whose first axis indexes examples (`x` float32 features
 * or int32 token ids, `y` labels or targets). Minibatch order is a pure function of the seed, the
 * epoch and the batch size: epoch `e` visits the examples in the order
 * `new Rng(seed).fold('shuffle', e).permutation(n)`, so a resumed run sees the same batches.
 * @module
 */
import { Rng, ShapeError, ValueError, assertInteger, checkName, describe, readBoolean } from '@descent/tensor';
import { type SeedLike, toRng } from './layer';
import { tf } from './tf';

/** Examples along the first axis of `x` and `y`. */
export interface Dataset {
  /** Inputs [n, ...] (float32 features, or int32 token ids). */
  x: tf.Tensor;
  /** Targets [n, ...] (int32 class ids, 0/1 labels, or float targets). */
  y: tf.Tensor;
}

/** Throws a typed error naming `name` unless `data` is a {@link Dataset} with matching first axes; returns n. */
export function assertDataset(name: string, data: unknown): number {
  checkName(name);
  const d = data as Partial<Dataset> | null;
  if (d == null || typeof d !== 'object' || !(d.x instanceof tf.Tensor) || !(d.y instanceof tf.Tensor)) {
    throw new ShapeError(
      `${name} must be a dataset { x: tf.Tensor, y: tf.Tensor }, got ${describe(data)}`,
      name,
    );
  }
  if (d.x.isDisposed || d.y.isDisposed) throw new ValueError(`${name} holds a disposed tensor`, name);
  if (d.x.rank < 1 || d.y.rank < 1)
    throw new ShapeError(`${name}.x and ${name}.y must have an example axis`, name);
  const n = d.x.shape[0];
  if (d.y.shape[0] !== n)
    throw new ShapeError(
      `${name}.y must have ${n} examples (those of ${name}.x), got ${d.y.shape[0]}`,
      `${name}.y`,
    );
  if (n === 0) throw new ShapeError(`${name} must have at least one example, got 0`, name);
  return n;
}

/** Options of {@link epochBatches}. */
export interface BatchOptions {
  /** Shuffle each epoch (default true); otherwise batches follow the stored order. */
  shuffle?: boolean;
  /** Drop the last batch when it is smaller than `batchSize` (default false, as PyTorch and Keras). */
  dropLast?: boolean;
}

/** Number of batches per epoch for n examples. */
export function batchesPerEpoch(n: number, batchSize: number, dropLast = false): number {
  assertInteger('n', n, 1);
  assertInteger('batchSize', batchSize, 1);
  readBoolean(dropLast, 'dropLast');
  const k = dropLast ? Math.floor(n / batchSize) : Math.ceil(n / batchSize);
  if (k === 0)
    throw new ValueError(`batchSize must be <= n = ${n} with dropLast, got ${batchSize}`, 'batchSize');
  return k;
}

/**
 * The example indices of every batch of epoch `epoch` (a pure function of the arguments).
 *
 * ```ts
 * const batches = epochBatches(1000, 128, 'seed', 0); // 8 Int32Arrays, the last of length 104
 * ```
 */
export function epochBatches(
  n: number,
  batchSize: number,
  seed: SeedLike,
  epoch: number,
  options: BatchOptions = {},
): Int32Array[] {
  const k = batchesPerEpoch(n, batchSize, options.dropLast ?? false);
  assertInteger('epoch', epoch, 0);
  const order =
    (options.shuffle ?? true)
      ? toRng(seed).fold('shuffle', epoch).permutation(n)
      : Int32Array.from({ length: n }, (_, i) => i);
  const out: Int32Array[] = [];
  for (let b = 0; b < k; b++) out.push(order.slice(b * batchSize, Math.min(n, (b + 1) * batchSize)));
  return out;
}

/** The examples `indices` of `data` as a new {@link Dataset} (a forward-only gather; owned by the caller). */
export function takeRows(data: Dataset, indices: ArrayLike<number>): Dataset {
  const n = assertDataset('data', data);
  for (let i = 0; i < indices.length; i++) {
    const j = indices[i];
    if (!Number.isInteger(j) || j < 0 || j >= n) {
      throw new ValueError(
        `indices must be integers in [0, ${n - 1}], got ${describe(j)} at index ${i}`,
        'indices',
      );
    }
  }
  return tf.tidy(() => {
    const idx = tf.tensor1d(Int32Array.from(indices), 'int32');
    return { x: tf.gather(data.x, idx), y: tf.gather(data.y, idx) };
  });
}

/**
 * A seeded split of `data` into train and test sets (`testFraction` of the examples, rounded, go
 * to test; the permutation is `new Rng(seed).fold('split').permutation(n)`).
 */
export function trainTestSplit(
  data: Dataset,
  testFraction: number,
  seed: SeedLike,
): { train: Dataset; test: Dataset } {
  const n = assertDataset('data', data);
  if (!(typeof testFraction === 'number' && testFraction > 0 && testFraction < 1)) {
    throw new ValueError(`testFraction must be in (0, 1), got ${describe(testFraction)}`, 'testFraction');
  }
  const nTest = Math.round(n * testFraction);
  if (nTest === 0 || nTest === n)
    throw new ValueError(
      `testFraction ${testFraction} leaves an empty split of ${n} examples`,
      'testFraction',
    );
  const perm = (seed instanceof Rng ? seed : toRng(seed)).fold('split').permutation(n);
  const test = takeRows(data, perm.subarray(0, nTest));
  try {
    return { train: takeRows(data, perm.subarray(nTest)), test };
  } catch (e) {
    tf.dispose([test.x, test.y]);
    throw e;
  }
}

/**
 * Examples held in flat typed arrays, e.g. `@descent/datasets`' `ClassificationData` (structural:
 * nn does not depend on that package).
 */
export interface ExampleArrays {
  /** Number of examples. */
  n: number;
  /** Inputs, example after example: float32 features or int32 token ids (`n × features` values). */
  x: Float32Array | Int32Array;
  /** Values per example (default `x.length / n`). */
  features?: number;
  /** `[height, width, channels]` of one example when the rows are images. */
  imageShape?: readonly number[];
  /** Targets: int32 class ids (or float32 targets), one per example. */
  y: Int32Array | Float32Array;
}

/**
 * The tensors `{ x, y }` of examples held in typed arrays: `x` is `[n, features]` (int32 for
 * token ids, float32 otherwise) or `[n, h, w, c]` with `images: true`; `y` is `[n]`. Owned by the
 * caller (`disposeDataset`).
 *
 * ```ts
 * const digits = loadMnistDigits();                         // @descent/datasets/node
 * const { train, test } = splitData(digits, { train: 0.8, test: 0.2 }, 0);
 * const data = toDataset(train);                            // x [8000, 784], y [8000] int32
 * const images = toDataset(train, { images: true });        // x [8000, 28, 28, 1]
 * ```
 */
export function toDataset(data: ExampleArrays, options: { images?: boolean } = {}): Dataset {
  const d = data as Partial<ExampleArrays> | null;
  if (d == null || typeof d !== 'object' || !Number.isInteger(d.n) || (d.n as number) < 1) {
    throw new ValueError(`data must be { n, x, y } typed arrays with n >= 1, got ${describe(data)}`, 'data');
  }
  const n = d.n as number;
  if (!(d.x instanceof Float32Array || d.x instanceof Int32Array)) {
    throw new ValueError(`data.x must be a Float32Array or an Int32Array, got ${describe(d.x)}`, 'data.x');
  }
  if (!(d.y instanceof Int32Array || d.y instanceof Float32Array)) {
    throw new ValueError(`data.y must be an Int32Array or a Float32Array, got ${describe(d.y)}`, 'data.y');
  }
  const features = d.features ?? d.x.length / n;
  if (!Number.isInteger(features) || features < 1 || d.x.length !== n * features) {
    throw new ShapeError(`data.x must hold n × features = ${n} × ${features} values, got ${d.x.length}`, 'data.x');
  }
  if (d.y.length !== n) throw new ShapeError(`data.y must have n = ${n} values, got ${d.y.length}`, 'data.y');
  let shape = [n, features];
  if (options?.images) {
    const s = d.imageShape;
    if (!Array.isArray(s) || s.length !== 3 || s[0] * s[1] * s[2] !== features) {
      throw new ShapeError(`data.imageShape must be [h, w, c] with h·w·c = ${features}, got ${describe(s)}`, 'data.imageShape');
    }
    shape = [n, ...s];
  }
  const x = tf.tensor(d.x, shape, d.x instanceof Int32Array ? 'int32' : 'float32');
  const y = tf.tensor1d(d.y, d.y instanceof Int32Array ? 'int32' : 'float32');
  return { x, y };
}

/**
 * Disposes the tensors of a dataset (`null` and `undefined` are no-ops; already-disposed tensors
 * are skipped). Anything else that is not a dataset is a {@link ShapeError}.
 */
export function disposeDataset(data: Dataset | null | undefined): void {
  if (data == null) return;
  const d = data as Partial<Dataset>;
  if (typeof d !== 'object' || Array.isArray(d) || !(d.x instanceof tf.Tensor) || !(d.y instanceof tf.Tensor)) {
    throw new ShapeError(`data must be a dataset { x: tf.Tensor, y: tf.Tensor }, got ${describe(data)}`, 'data');
  }
  tf.dispose([d.x, d.y]);
}
